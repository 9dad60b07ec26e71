package dev.stepmem.cli;

import dev.stepmem.backend.cuda.CudaDevice;
import dev.stepmem.backend.cuda.CudaDevices;
import dev.stepmem.backend.gpu.DeviceUnavailableException;
import dev.stepmem.backend.opencl.OpenClDevice;
import dev.stepmem.backend.opencl.OpenClDevices;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** `stepmem devices`: what --backend opencl and --backend cuda can run on, or why not, one line each. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = {"List the OpenCL and CUDA devices (--device takes an index or part of a name).",
                "Without a driver or device, says why in one line."})
public final class DevicesCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.println("opencl:");
        try {
            for (OpenClDevice d : OpenClDevices.list()) {
                System.out.println("  " + d.describe());
            }
        } catch (DeviceUnavailableException e) {
            System.out.println("  " + e.getMessage());
        }
        System.out.println("cuda:");
        try {
            for (CudaDevice d : CudaDevices.list()) {
                System.out.println("  " + d.describe());
            }
        } catch (DeviceUnavailableException e) {
            System.out.println("  " + e.getMessage());
        }
        return 0;
    }
}
