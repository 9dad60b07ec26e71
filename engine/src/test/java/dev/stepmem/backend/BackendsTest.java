package dev.stepmem.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.backend.cpu.CpuBackend;
import dev.stepmem.backend.cpu.ReferenceBackend;
import dev.stepmem.backend.gpu.DeviceUnavailableException;
import dev.stepmem.backend.opencl.OpenClDevice;
import dev.stepmem.backend.opencl.OpenClDevices;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Backends by name: the specs the sweeps and benchmarks take, and which devices count as GPUs. */
class BackendsTest {
    @Test
    void specsOpenTheirBackendOrSayWhatIsWrong() {
        try (Backend cpu = Backends.open("cpu", new MemoryLedger());
             Backend ref = Backends.open("reference", new MemoryLedger())) {
            assertInstanceOf(CpuBackend.class, cpu);
            assertInstanceOf(ReferenceBackend.class, ref);
        }
        assertEquals("opencl", Backends.name("opencl:pocl"));
        assertEquals("cpu", Backends.name("cpu"));
        assertEquals("unknown backend 'tpu' (expected cpu, reference, opencl, cuda or sim)",
                assertThrows(IllegalArgumentException.class, () -> Backends.open("tpu", new MemoryLedger()))
                        .getMessage());
        assertEquals("a device applies to the opencl or cuda backend, not cpu",
                assertThrows(IllegalArgumentException.class, () -> Backends.open("cpu:0", new MemoryLedger()))
                        .getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Backends.open("sim", new MemoryLedger()))
                .getMessage().contains("needs a profile"));
    }

    @Test
    void cpuOpenClDevicesAreNotMeasuredAsGpus() {
        List<OpenClDevice> devices;
        try {
            devices = OpenClDevices.list();
        } catch (DeviceUnavailableException e) {
            devices = List.of();
        }
        List<String> gpus = Backends.presentGpus(); // never throws, with or without drivers
        for (OpenClDevice d : devices) {
            assertEquals(d.gpu(), gpus.contains("opencl:" + d.index()), d.describe());
            if (d.platform().contains("Portable Computing Language") || d.platform().contains("Oclgrind")) {
                assertTrue(!d.gpu(), d.describe() + " runs on the CPU: not a GPU");
            }
        }
    }
}
