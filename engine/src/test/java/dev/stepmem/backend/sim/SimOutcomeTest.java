package dev.stepmem.backend.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.backend.cpu.CpuBackend;
import dev.stepmem.model.AttentionMode;
import dev.stepmem.model.ModelConfig;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.model.load.SyntheticWeights;
import dev.stepmem.modeled.Frontier;
import dev.stepmem.modeled.MethodChoice;
import dev.stepmem.modeled.ModeledPrefill;
import dev.stepmem.prefill.ChunkedPrefill;
import dev.stepmem.prefill.Method;
import dev.stepmem.prefill.PrefillSettings;
import dev.stepmem.prefill.compress.Compressors;
import dev.stepmem.profiles.DeviceProfile;
import dev.stepmem.profiles.ImplementationProfile;
import dev.stepmem.profiles.ProfileTexts;
import dev.stepmem.tensor.DType;
import org.junit.jupiter.api.Test;

/** 7B shapes without 13.5 GB, OOM as a result, modeled time from the loop, the frontier search. */
class SimOutcomeTest {
    static final ModelWeights LLAMA = SyntheticWeights.shapesOnly(ModelConfig.llama2_7b(), DType.BF16);
    static final DeviceProfile GPU24 = ProfileTexts.parse("gpu24", "24 GiB");
    static final ImplementationProfile EFFICIENT = ProfileTexts.implementation("efficient");

    static PrefillSettings settings(Method m, int l, int c, int mem, AttentionMode mode) {
        return new PrefillSettings(m, "linear", Compressors.parse(mode == AttentionMode.EAGER ? "snapkv" : "streamingllm"),
                l, c, mem, mode);
    }

    @Test
    void shapeOnlyWeightsAreRefusedByTheCpuBackend() {
        String m = assertThrows(IllegalArgumentException.class, () -> ChunkedPrefill.run(
                SyntheticWeights.shapesOnly(SimPeakTest.TINY_GQA, DType.F32), new CpuBackend(),
                settings(Method.FM, 64, 32, 16, AttentionMode.FLASH), new int[64], null)).getMessage();
        assertTrue(m.contains("has a shape but no data"), m);
    }

    @Test
    void aSevenBillionModelIsModeledWithoutItsWeights() {
        ModeledPrefill.Outcome o = ModeledPrefill.run(LLAMA, GPU24, EFFICIENT, SimBackend.Precision.forDevice(GPU24, DType.BF16),
                settings(Method.IMDC, 32768, 1024, 1024, AttentionMode.EAGER), null);
        assertFalse(o.oom());
        ModelConfig c = ModelConfig.llama2_7b();
        long norms = (2L * c.nLayers() + 1) * c.dim(); // fp32, the matrices bf16
        assertEquals((c.parameterCount() - norms) * 2 + norms * 4, o.result().peakByCategory().get("weights"));
        // 32K tokens x ~13.5 GFLOP each at 50 TFLOPS is > 8 s; far more would mean a counting error
        assertTrue(o.ttftNanos() > 8e9 && o.ttftNanos() < 60e9, "modeled TTFT " + o.ttftNanos() / 1e9 + " s");
        assertTrue(o.secondsByOp().get("matmul") > o.secondsByOp().get("add"));
    }

    @Test
    void runningOutOfMemoryIsAResultWithTheBytesNeeded() {
        // full attention over 64K tokens: the KV cache alone is 32 layers x 2 x 64K x 4096 x 4 B = 64 GiB
        ModeledPrefill.Outcome o = ModeledPrefill.run(LLAMA, GPU24, EFFICIENT, SimBackend.Precision.forDevice(GPU24, DType.BF16),
                MethodChoice.FULL.settings("linear", Compressors.parse("streamingllm"), 65536, 1024, 0,
                        AttentionMode.FLASH), null);
        assertTrue(o.oom());
        assertEquals(-1, o.ttftNanos());
        assertTrue(o.neededBytes() > 24L << 30, "needed " + o.neededBytes());
        assertEquals(24L << 30, o.capacity());
    }

    @Test
    void imdcIsFasterAndSmallerThanFmUnderEagerSnapKv() {
        DeviceProfile gpu80 = ProfileTexts.parse("gpu80", "80 GiB");
        SimBackend.Precision p = SimBackend.Precision.forDevice(gpu80, DType.BF16);
        ModeledPrefill.Outcome fm = ModeledPrefill.run(LLAMA, gpu80, EFFICIENT, p, settings(Method.FM, 32768, 1024, 1024, AttentionMode.EAGER), null);
        ModeledPrefill.Outcome imdc = ModeledPrefill.run(LLAMA, gpu80, EFFICIENT, p, settings(Method.IMDC, 32768, 1024, 1024, AttentionMode.EAGER), null);
        assertFalse(fm.oom() || imdc.oom());
        assertTrue(fm.ttftNanos() > imdc.ttftNanos());
        assertTrue(fm.peakBytes() > imdc.peakBytes());
    }

    @Test
    void frontierIsTheLastLengthThatFits() {
        SimBackend.Precision p = SimBackend.Precision.forDevice(GPU24, DType.BF16);
        Frontier.Point f = Frontier.search(LLAMA, GPU24, EFFICIENT, p, l -> MethodChoice.FULL.settings("linear",
                Compressors.parse("streamingllm"), l, 1024, 0, AttentionMode.FLASH), 1024, 65536);
        assertFalse(f.unbounded());
        assertFalse(f.atFit().oom());
        assertTrue(f.beyond().oom());
        assertEquals(f.largestFit(), f.atFit().settings().length());
        assertEquals(f.largestFit() + 1, f.beyond().settings().length());
        // 24 GiB - 12.55 GiB of weights leaves room for ~11 GiB of fp32 KV (1 MiB per token over 32 layers)
        assertTrue(f.largestFit() > 8000 && f.largestFit() < 12000, "largest L " + f.largestFit());
    }
}
