package dev.stepmem.cli;

import dev.stepmem.backend.sim.SimBackend;
import dev.stepmem.profiles.DeviceProfile;
import dev.stepmem.tensor.DType;
import picocli.CommandLine.Option;

/** How the sim stores activations: for time always, for memory only when asked. */
public final class SimPrecisionOption {
    @Option(names = "--sim-activations", defaultValue = "device", paramLabel = "TYPE",
            description = "sim: dtype of activations, attention maps and KV for time: device (the weights' dtype on "
                    + "a GPU profile, f32 on the cpu profile), f32, bf16 or f16. Default: ${DEFAULT-VALUE}.")
    String activations;

    @Option(names = "--sim-activation-memory",
            description = "sim: also charge activations, maps and KV at --sim-activations' size (as a bf16 GPU engine "
                    + "holds them) instead of the CPU backends' fp32; peaks then differ from a CPU run's.")
    boolean activationMemory;

    /** Refuses a bad --sim-activations even where the sim does not run (a typo is a typo). */
    public void check() {
        if (!activations.equals("device")) {
            dev.stepmem.exit.ExitCodes.option(() -> DType.parse(activations));
        }
    }

    public SimBackend.Precision precision(DeviceProfile profile, DType matrixType) {
        check();
        SimBackend.Precision device = SimBackend.Precision.forDevice(profile, matrixType);
        DType a = activations.equals("device") ? device.activations() : DType.parse(activations);
        return new SimBackend.Precision(a, activationMemory);
    }
}
