package dev.stepmem.backend.cuda;

import dev.stepmem.backend.gpu.DeviceUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * Probes the CUDA driver once per JVM and lists its devices. Without the driver library
 * (libcuda.so.1), JCuda's first touch throws UnsatisfiedLinkError and every later one
 * NoClassDefFoundError; with a driver and no GPU, cuInit answers CUDA_ERROR_NO_DEVICE. Every
 * such case becomes one line: "no CUDA device: <reason>".
 */
public final class CudaDevices {
    private static List<CudaDevice> devices;
    private static String unavailable;

    private CudaDevices() {
    }

    /** The devices, or {@link DeviceUnavailableException} with the one-line reason. */
    public static synchronized List<CudaDevice> list() {
        if (devices == null && unavailable == null) {
            probe();
        }
        if (unavailable != null) {
            throw new DeviceUnavailableException(unavailable);
        }
        return devices;
    }

    /** The device at an index, or the first whose name contains the selector (case-insensitive); null: the first. */
    public static CudaDevice pick(String selector) {
        List<CudaDevice> all = list();
        if (selector == null || selector.isBlank()) {
            return all.getFirst();
        }
        if (selector.chars().allMatch(Character::isDigit)) {
            int i = Integer.parseInt(selector);
            if (i >= all.size()) {
                throw new DeviceUnavailableException("no CUDA device " + i + ": there are " + all.size());
            }
            return all.get(i);
        }
        for (CudaDevice d : all) {
            if (d.name().toLowerCase(Locale.ROOT).contains(selector.toLowerCase(Locale.ROOT))) {
                return d;
            }
        }
        throw new DeviceUnavailableException("no CUDA device matches '" + selector + "' (stepmem devices lists them)");
    }

    private static void probe() {
        try {
            int rc = JCudaDriver.cuInit(0);
            if (rc != CUresult.CUDA_SUCCESS) {
                unavailable = "no CUDA device: cuInit failed with " + CUresult.stringFor(rc)
                        + (rc == CUresult.CUDA_ERROR_NO_DEVICE ? " (the driver is installed but sees no GPU)" : "");
                return;
            }
            int[] count = new int[1];
            check(JCudaDriver.cuDeviceGetCount(count), "cuDeviceGetCount");
            List<CudaDevice> found = new ArrayList<>();
            for (int i = 0; i < count[0]; i++) {
                CUdevice dev = new CUdevice();
                check(JCudaDriver.cuDeviceGet(dev, i), "cuDeviceGet");
                byte[] name = new byte[256];
                check(JCudaDriver.cuDeviceGetName(name, name.length, dev), "cuDeviceGetName");
                long[] mem = new long[1];
                check(JCudaDriver.cuDeviceTotalMem(mem, dev), "cuDeviceTotalMem");
                int[] major = new int[1], minor = new int[1];
                JCudaDriver.cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev);
                JCudaDriver.cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev);
                found.add(new CudaDevice(i, cString(name), mem[0], major[0], minor[0]));
            }
            if (found.isEmpty()) {
                unavailable = "no CUDA device: the driver reports 0 devices";
            } else {
                devices = List.copyOf(found);
            }
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            unavailable = "no CUDA device: the CUDA driver library (libcuda.so.1) is not installed on this machine";
        } catch (DeviceUnavailableException e) {
            unavailable = e.getMessage();
        }
    }

    static void check(int rc, String call) {
        if (rc != CUresult.CUDA_SUCCESS) {
            throw new DeviceUnavailableException("no CUDA device: " + call + " failed with " + CUresult.stringFor(rc));
        }
    }

    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, java.nio.charset.StandardCharsets.UTF_8).strip();
    }
}
