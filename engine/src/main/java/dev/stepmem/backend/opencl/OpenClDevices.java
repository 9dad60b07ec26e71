package dev.stepmem.backend.opencl;

import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_DEVICE_VERSION;
import static org.jocl.CL.CL_PLATFORM_NAME;

import dev.stepmem.backend.gpu.DeviceUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/** Lists the OpenCL devices of every platform the ICD loader knows, and picks one by index or name. */
public final class OpenClDevices {
    private OpenClDevices() {
    }

    /**
     * Every device of every platform, numbered in that order.
     *
     * @throws DeviceUnavailableException (one line) without an ICD loader or with no platform
     */
    public static List<OpenClDevice> list() {
        try {
            CL.setExceptionsEnabled(true);
            int[] count = new int[1];
            try {
                CL.clGetPlatformIDs(0, null, count);
            } catch (CLException e) {
                throw new DeviceUnavailableException("no OpenCL platform: the ICD loader found none (" + e.getMessage()
                        + "; Debian: apt-get install pocl-opencl-icd ocl-icd-libopencl1)");
            }
            cl_platform_id[] platforms = new cl_platform_id[count[0]];
            CL.clGetPlatformIDs(platforms.length, platforms, null);
            List<OpenClDevice> out = new ArrayList<>();
            for (cl_platform_id p : platforms) {
                String platformName = platformString(p, CL_PLATFORM_NAME);
                int[] n = new int[1];
                try {
                    CL.clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, null, n);
                } catch (CLException e) {
                    continue; // a platform without devices
                }
                cl_device_id[] devices = new cl_device_id[n[0]];
                CL.clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, devices.length, devices, null);
                for (cl_device_id d : devices) {
                    long[] mem = new long[1];
                    CL.clGetDeviceInfo(d, CL_DEVICE_GLOBAL_MEM_SIZE, Sizeof.cl_ulong, Pointer.to(mem), null);
                    long[] type = new long[1];
                    CL.clGetDeviceInfo(d, CL_DEVICE_TYPE, Sizeof.cl_ulong, Pointer.to(type), null);
                    out.add(new OpenClDevice(out.size(), platformName, deviceString(d, CL_DEVICE_NAME),
                            deviceString(d, CL_DEVICE_VERSION), mem[0], (type[0] & CL_DEVICE_TYPE_GPU) != 0, p, d));
                }
            }
            if (out.isEmpty()) {
                throw new DeviceUnavailableException("no OpenCL device: " + platforms.length
                        + " platform(s) but none has a device");
            }
            return out;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new DeviceUnavailableException("no OpenCL: the ICD loader libOpenCL.so.1 could not be loaded"
                    + " (Debian: apt-get install ocl-icd-libopencl1 pocl-opencl-icd)");
        }
    }

    /**
     * The device named by {@code selector}: null or empty picks the first; a number is an index of
     * {@link #list()}; anything else the first device whose "platform / name" contains it
     * (case-insensitive), e.g. "pocl", "oclgrind", "nvidia".
     */
    public static OpenClDevice pick(String selector) {
        List<OpenClDevice> devices = list();
        if (selector == null || selector.isBlank()) {
            return devices.getFirst();
        }
        if (selector.chars().allMatch(Character::isDigit)) {
            int i = Integer.parseInt(selector);
            if (i >= devices.size()) {
                throw new DeviceUnavailableException("no OpenCL device " + i + ": there are " + devices.size()
                        + " (stepmem devices lists them)");
            }
            return devices.get(i);
        }
        String needle = selector.toLowerCase(Locale.ROOT);
        for (OpenClDevice d : devices) {
            String text = (d.platform() + " / " + d.name()).toLowerCase(Locale.ROOT);
            if (text.contains(needle) || (needle.equals("pocl") && text.contains("portable computing language"))) {
                return d;
            }
        }
        throw new DeviceUnavailableException("no OpenCL device matches '" + selector + "' (stepmem devices lists them)");
    }

    private static String platformString(cl_platform_id p, int param) {
        long[] size = new long[1];
        CL.clGetPlatformInfo(p, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        CL.clGetPlatformInfo(p, param, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    private static String deviceString(cl_device_id d, int param) {
        long[] size = new long[1];
        CL.clGetDeviceInfo(d, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        CL.clGetDeviceInfo(d, param, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    private static String cString(byte[] buf) {
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8).strip();
    }
}
