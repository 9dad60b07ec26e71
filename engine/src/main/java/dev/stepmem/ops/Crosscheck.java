package dev.stepmem.ops;

import dev.stepmem.backend.Backend;
import dev.stepmem.backend.RopeStyle;
import dev.stepmem.model.AttentionMode;
import dev.stepmem.model.ModelConfig;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.prefill.ChunkedPrefill;
import dev.stepmem.prefill.Method;
import dev.stepmem.prefill.PrefillResult;
import dev.stepmem.prefill.PrefillSettings;
import dev.stepmem.prefill.compress.Compressors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * A chunked prefill end to end on one backend against another (a GPU against the CPU): every
 * method x compressor x attention mode on the same weights and tokens, compared on what the
 * method decides and what the devices account: the tokens kept in every layer and KV head
 * (identical), the last logits (within a tolerance), the first token, and the ledger's peaks
 * (equal, in total and per category).
 */
public final class Crosscheck {
    /** A small random LLaMA with grouped-query attention (8 query heads on 2 KV heads, head size 32). */
    public static final ModelConfig TINY_GQA = new ModelConfig("llama", 256, 688, 4, 8, 2, 4096, 4096, 1e-5f, 10000.0,
            RopeStyle.ROTATE_HALF, 0, false);

    private Crosscheck() {
    }

    /** One configuration's comparison. */
    public record Outcome(PrefillSettings settings, boolean sameKept, double logitsError, boolean sameFirstToken,
                          long peak, long otherPeak, boolean samePeaks, long selections, double millis,
                          double otherMillis) {
        public boolean passed(double logitsTolerance) {
            return sameKept && sameFirstToken && samePeaks && logitsError <= logitsTolerance && selections > 0;
        }
    }

    /** FM, IM, IMDC x SnapKV, StreamingLLM x flash, eager at L, c, m_max. */
    public static List<PrefillSettings> settings(int length, int chunk, int memory) {
        List<PrefillSettings> out = new ArrayList<>();
        for (Method m : Method.values()) {
            for (String compressor : List.of("snapkv", "streamingllm")) {
                for (AttentionMode a : AttentionMode.values()) {
                    out.add(new PrefillSettings(m, "linear", Compressors.parse(compressor), length, chunk, memory, a));
                }
            }
        }
        return out;
    }

    /** Seeded token ids, BOS first. */
    public static int[] tokens(int length, int vocab, long seed) {
        int[] ids = new SplittableRandom(seed).ints(length, 3, vocab).toArray();
        ids[0] = 1;
        return ids;
    }

    /** Runs one setting on a fresh backend of each supplier (each with its own ledger) and compares. */
    public static Outcome compare(ModelWeights weights, PrefillSettings s, int[] tokens, Supplier<Backend> backend,
                                  Supplier<Backend> reference) {
        PrefillResult want, got;
        try (Backend ref = reference.get()) {
            want = ChunkedPrefill.run(weights, ref, s, tokens, null);
        }
        try (Backend b = backend.get()) {
            got = ChunkedPrefill.run(weights, b, s, tokens, null);
        }
        boolean sameKept = Arrays.deepEquals(want.memoryOrigins(), got.memoryOrigins());
        boolean samePeaks = want.peakBytes() == got.peakBytes() && want.peakByCategory().equals(got.peakByCategory());
        return new Outcome(s, sameKept, OpHarness.relativeError(want.lastLogits(), got.lastLogits()),
                want.firstToken() == got.firstToken(), got.peakBytes(), want.peakBytes(), samePeaks, want.selections(),
                got.ttftNanos() / 1e6, want.ttftNanos() / 1e6);
    }
}
