package dev.stepmem.bench.gate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.backend.Backend;
import dev.stepmem.backend.MemoryLedger;
import dev.stepmem.backend.Tensor;
import dev.stepmem.backend.cpu.CpuBackend;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SlowedBackendTest {
    private static float[] addRows(Backend b) {
        Tensor x = b.allocate("act.x", 3, 4), y = b.allocate("act.y", 3, 4);
        b.write(x, 0, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 3);
        b.write(y, 0, new float[] {0.5f, 0.25f, 2, 1, 1, 1, 1, 1, -1, -2, -3, -4}, 3);
        b.add(x, y, 3);
        b.rmsnorm(x, x, y, 1, 1e-5f);
        float[] out = new float[12];
        b.read(x, 0, 3, out);
        return out;
    }

    @Test
    void resultsAreThoseOfTheUnslowedBackend() {
        float[] plain = addRows(new CpuBackend(new MemoryLedger()));
        float[] slowed = addRows(SlowedBackend.wrap(new CpuBackend(new MemoryLedger()), 0.5));
        assertArrayEquals(plain, slowed);
    }

    @Test
    void noSlowdownIsTheBackendItselfAndABadOneIsRefused() {
        Backend b = new CpuBackend(new MemoryLedger());
        assertSame(b, SlowedBackend.wrap(b, 0));
        assertThrows(IllegalArgumentException.class, () -> SlowedBackend.wrap(b, -0.1));
        assertThrows(IllegalArgumentException.class, () -> SlowedBackend.wrap(b, Double.NaN));
    }

    @Test
    void eachOpSpinsForTheSlowdownTimesItsOwnTime() {
        // A backend whose clock says every op takes 1 ms (each call to nanoTime advances it by 1 ms).
        AtomicLong clock = new AtomicLong();
        Backend fake = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> method.getName().equals("nanoTime") ? clock.addAndGet(1_000_000) : null);
        Backend slowed = SlowedBackend.wrap(fake, 3.0);
        long start = System.nanoTime();
        slowed.fillZero(null, 0, 1);
        slowed.fillZero(null, 0, 1);
        long spun = System.nanoTime() - start;
        assertTrue(spun >= 6_000_000, "two ops of 1 ms slowed by 3x spin at least 6 ms, spun " + spun + " ns");
        long before = clock.get();
        slowed.name(); // not an op: no clock reads, no spin
        assertTrue(clock.get() == before);
    }
}
