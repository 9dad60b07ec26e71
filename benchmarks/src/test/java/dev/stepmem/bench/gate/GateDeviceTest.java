package dev.stepmem.bench.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.profiles.DeviceProfile;
import dev.stepmem.profiles.ProfileRegistry;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Device keys: every CPU shares one baseline, a GPU keeps its own, named by its profile when one matches. */
class GateDeviceTest {
    private static Optional<String> builtin(String name) {
        return ProfileRegistry.builtin().match(name).map(DeviceProfile::name);
    }

    @Test
    void aGpuIsKeyedByTheProfileItsDriverNameMatches() {
        assertEquals("cuda:a800-80gb", GateDevice.key("cuda", "NVIDIA A800-SXM4-80GB", GateDeviceTest::builtin));
        assertEquals("cuda:rtx3090-24gb", GateDevice.key("cuda", "NVIDIA GeForce RTX 3090", GateDeviceTest::builtin));
    }

    @Test
    void aGpuWithoutAProfileIsKeyedByItsName() {
        assertEquals("cuda:NVIDIA GeForce GTX 1080", GateDevice.key("cuda", "NVIDIA GeForce GTX 1080",
                GateDeviceTest::builtin));
    }

    @Test
    void theCpuIsOneKeyOnEveryMachineUnlessOverridden() {
        GateDevice d = GateDevice.resolve("cpu", null, null);
        assertEquals("cpu", d.key());
        assertTrue(d.machine().contains("cores"), d.machine());
        assertEquals("cpu-avx512", GateDevice.resolve("cpu", null, "cpu-avx512").key());
        assertThrows(IllegalArgumentException.class, () -> GateDevice.resolve("cpu", "0", null));
        assertThrows(IllegalArgumentException.class, () -> GateDevice.resolve("tpu", null, null));
    }
}
