package dev.stepmem.bench.gate;

import dev.stepmem.backend.cuda.CudaDevices;
import dev.stepmem.backend.opencl.OpenClDevices;
import dev.stepmem.calibrate.HostInfo;
import dev.stepmem.profiles.DeviceProfile;
import dev.stepmem.profiles.ProfileRegistry;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which baseline a run compares with. On the CPU every machine shares the key {@code cpu}: the
 * normalization is what lets a baseline travel between CI runners. A GPU keeps its own:
 * {@code BACKEND:PROFILE} when one of the device profiles matches the name the driver reports
 * (e.g. {@code cuda:a100-80gb}), else {@code BACKEND:DEVICE NAME}. {@code --device-key} overrides
 * either (say, {@code cpu-avx512} for runners too unlike the baseline's).
 *
 * @param key     the baseline's device key
 * @param machine what this run ran on, for the report and the baseline's row
 */
record GateDevice(String key, String machine) {

    static GateDevice resolve(String backend, String device, String keyOverride) {
        String host = HostInfo.read().cpuName() + ", " + Runtime.getRuntime().availableProcessors() + " cores, "
                + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit vectors";
        String selector = device == null || device.isBlank() ? null : device;
        String name = switch (backend) {
            case "cpu" -> {
                if (selector != null) {
                    throw new IllegalArgumentException("--device applies to --backend opencl or cuda, not cpu");
                }
                yield null;
            }
            case "opencl" -> OpenClDevices.pick(selector).name();
            case "cuda" -> CudaDevices.pick(selector).name();
            default -> throw new IllegalArgumentException("unknown --backend '" + backend
                    + "' (the gate runs on cpu, opencl or cuda)");
        };
        String key = key(backend, name, n -> ProfileRegistry.locate(null).match(n).map(DeviceProfile::name));
        if (keyOverride != null) {
            if (keyOverride.isBlank()) {
                throw new IllegalArgumentException("--device-key must not be empty");
            }
            key = keyOverride;
        }
        return new GateDevice(key, name == null ? host : name + " (host: " + host + ")");
    }

    /**
     * {@code cpu} for the CPU (deviceName null); else BACKEND:PROFILE when a profile matches the
     * device's name, BACKEND:NAME when none does.
     */
    static String key(String backend, String deviceName, Function<String, Optional<String>> profileOf) {
        return deviceName == null ? "cpu" : backend + ":" + profileOf.apply(deviceName).orElse(deviceName);
    }
}
