package dev.stepmem.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.backend.Backend;
import dev.stepmem.backend.Tensor;
import dev.stepmem.backend.cpu.CpuBackend;
import dev.stepmem.backend.cpu.ReferenceBackend;
import dev.stepmem.ops.OpHarness.Target;
import dev.stepmem.profiles.ProfileRegistry;
import java.lang.foreign.Arena;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The harness passes a correct backend, catches a wrong one, and sets the profile's prediction beside each op. */
class OpHarnessTest {
    private static final OpShapes TINY = new OpShapes("tiny", 5, 14, 23, 2, 1, 7, 9, 61, 2);

    @Test
    void everyOpFamilyPassesOnTheCpuBackendWithThePredictionBesideIt() {
        var profile = ProfileRegistry.builtin().get("a800-80gb");
        try (Arena arena = Arena.ofConfined()) {
            List<OpResult> results = new OpHarness(new ReferenceBackend(), 2, 0)
                    .run(OpCases.all(TINY, arena), List.of(new Target("cpu", new CpuBackend(), "cpu", Optional.of(profile), false, false)), r -> { });
            Set<String> families = results.stream().map(r -> r.op().op()).collect(Collectors.toSet());
            assertEquals(Set.of("matmul", "rmsnorm", "rope", "attention (flash)", "attentionProbabilities",
                    "attentionApply", "attentionWindowScores", "probabilityWindowSums", "compactKv", "swiglu", "add",
                    "embedding", "crossEntropy"), families);
            assertEquals(15, results.size(), "matmul once per weight dtype");
            for (OpResult r : results) {
                assertTrue(r.passed(), r.op().op() + " error " + r.error());
                assertTrue(r.repeats() >= 2 && r.medianNanos() > 0, r.op().op());
                assertTrue(r.modeledNanos() > 0 && r.profile().equals("a800-80gb"), r.op().op());
            }
        }
    }

    @Test
    void aBackendWithAWrongOpFailsThatOpOnly() {
        Backend cpu = new CpuBackend();
        // add applied twice: x += 2y, the kind of slip a kernel makes
        Backend wrong = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    try {
                        Object out = method.invoke(cpu, args);
                        if (method.getName().equals("add")) {
                            cpu.add((Tensor) args[0], (Tensor) args[1], (int) args[2]);
                        }
                        return out;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try (Arena arena = Arena.ofConfined()) {
            List<OpResult> results = new OpHarness(new ReferenceBackend(), 1, 0)
                    .run(OpCases.all(TINY, arena), List.of(new Target("wrong", wrong, "wrong", Optional.empty(), false, false)), r -> { });
            for (OpResult r : results) {
                assertEquals(!r.op().op().equals("add"), r.passed(), r.op().op() + " error " + r.error());
                assertTrue(Double.isNaN(r.modeledNanos()), "no profile, no prediction");
            }
        }
    }

    @Test
    void aMatmulsOnlyVariantRunsTheMatmulsAlone() {
        try (Arena arena = Arena.ofConfined()) {
            List<OpResult> results = new OpHarness(new ReferenceBackend(), 1, 0).run(OpCases.all(TINY, arena),
                    List.of(new Target("gemm-variant", new CpuBackend(), "cpu", Optional.empty(), false, true)), r -> { });
            assertEquals(3, results.size());
            assertTrue(results.stream().allMatch(r -> r.op().op().equals("matmul") && r.passed()));
        }
    }

    @Test
    void relativeErrorIsTheLargestDifferenceOverTheLargestValue() {
        assertEquals(0.25, OpHarness.relativeError(new float[] {4, -2}, new float[] {3, -2}), 1e-12);
        assertEquals(0.5, OpHarness.relativeError(new float[] {0, 0}, new float[] {0.5f, 0}), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, OpHarness.relativeError(new float[] {1}, new float[] {Float.NaN}));
        assertEquals(Double.POSITIVE_INFINITY, OpHarness.relativeError(new float[] {1}, new float[] {1, 2}));
        assertFalse(OpHarness.relativeError(new float[] {1}, new float[] {1}) > 0);
    }
}
