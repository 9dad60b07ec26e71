package dev.stepmem.ops;

import dev.stepmem.backend.Backend;
import dev.stepmem.backend.RopeStyle;
import dev.stepmem.backend.Tensor;
import dev.stepmem.backend.sim.OpCost;
import dev.stepmem.profiles.ImplementationProfile;
import dev.stepmem.profiles.ProfileRegistry;
import dev.stepmem.ops.OpCase.Inputs;
import dev.stepmem.ops.OpCase.Prepared;
import dev.stepmem.tensor.DType;
import dev.stepmem.tensor.HostTensor;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Every op family of {@link Backend} at one {@link OpShapes}, with seeded inputs. Tolerances are
 * the op tests' (BackendOpsTest, GpuKernelsTest): GEMM 1e-5 for every weight dtype (widening is
 * exact; only fp32 summation differs from the double-accumulating reference), rmsnorm, SwiGLU,
 * attention, window scores and losses 1e-5, RoPE 2e-6, add, embedding and the KV gather exact.
 * Costs are counted as the sim charges each op (SimBackend, OpCost; activations fp32, a = 4).
 */
public final class OpCases {
    /** The napkin math beside each timing is the efficient engine's (what the hardware allows). */
    static final ImplementationProfile EFFICIENT = ProfileRegistry.builtin().implementation("efficient");

    private static final int A = 4; // bytes of an fp32 activation
    private static final int SINKS = 4;

    private OpCases() {
    }

    /** The cases at these shapes; weights live in the arena. */
    public static List<OpCase> all(OpShapes s, Arena arena) {
        List<OpCase> cases = new ArrayList<>();
        int t = s.rows(), d = s.width(), h = s.hidden(), keys = s.keys(), hs = s.headSize();
        int nh = s.nHeads(), nkv = s.nKvHeads(), qw = s.attentionWidth(), kvw = s.kvWidth();
        float[] x = SeededTensors.random(t * d, 1);
        for (DType type : DType.values()) {
            HostTensor w = SeededTensors.weight(arena, "ops.matmul." + name(type), type, h, d, 2);
            cases.add(new OpCase("matmul", String.format(Locale.ROOT, "[%d, %d] x [%d, %d]^T %s", t, d, h, d, name(type)),
                    type, 1e-5, OpCost.matmul(t, h, d, type.bytes(), A), in -> {
                        Tensor xt = in.filled(t, d, x), wt = in.weight(w), out = in.zeros(t, h);
                        return prepared(() -> in.backend().matmul(out, xt, wt, t), () -> in.read(out));
                    }));
        }
        float[] norm = SeededTensors.random(d, 3);
        cases.add(new OpCase("rmsnorm", "[" + t + ", " + d + "]", DType.F32, 1e-5, elementwise("rmsnorm", t * d, 2, 4),
                in -> {
                    Tensor xt = in.filled(t, d, x), wt = in.filled(1, d, norm), out = in.zeros(t, d);
                    return prepared(() -> in.backend().rmsnorm(out, xt, wt, t, 1e-5f), () -> in.read(out));
                }));
        float[] q = SeededTensors.random(t * qw, 4), k = SeededTensors.random(keys * kvw, 5), v = SeededTensors.random(keys * kvw, 6);
        float[] invFreq = new float[hs / 2];
        for (int i = 0; i < invFreq.length; i++) {
            invFreq[i] = (float) Math.pow(10000, -2.0 * i / hs);
        }
        cases.add(new OpCase("rope", String.format(Locale.ROOT, "[%d, %d x %d] from position %d", t, nh, hs, s.past()),
                DType.F32, 2e-6, elementwise("rope", (double) t * qw, 2, 3), in -> {
                    Tensor qt = in.filled(t, qw, q);
                    return prepared(() -> in.backend().rope(qt, t, nh, hs, s.past(), invFreq, RopeStyle.ROTATE_HALF),
                            () -> in.read(qt));
                }));
        String attShape = String.format(Locale.ROOT, "T=%d S=%d heads %d/%d hs=%d", t, keys, nh, nkv, hs);
        cases.add(new OpCase("attention (flash)", attShape, DType.F32, 1e-5,
                OpCost.flashAttention(t, keys, nh, nkv, hs, A), in -> {
                    Tensor qt = in.filled(t, qw, q), kt = in.filled(keys, kvw, k), vt = in.filled(keys, kvw, v);
                    Tensor out = in.zeros(t, qw);
                    return prepared(() -> in.backend().attention(out, qt, kt, vt, t, keys, nh, nkv, hs), () -> in.read(out));
                }));
        cases.add(new OpCase("attentionProbabilities", attShape, DType.F32, 1e-5,
                OpCost.eagerProbabilities(t, keys, nh, nkv, hs, A, EFFICIENT.mapPasses().probabilities()), in -> {
                    Tensor qt = in.filled(t, qw, q), kt = in.filled(keys, kvw, k), probs = in.zeros(nh * t, keys);
                    return prepared(() -> in.backend().attentionProbabilities(probs, qt, kt, t, keys, nh, nkv, hs),
                            () -> in.read(probs));
                }));
        cases.add(new OpCase("attentionApply", attShape, DType.F32, 1e-5, OpCost.eagerApply(t, keys, nh, nkv, hs, A, EFFICIENT.mapPasses().apply()),
                in -> {
                    Tensor probs = probabilities(in, q, k, s), vt = in.filled(keys, kvw, v), out = in.zeros(t, qw);
                    return prepared(() -> in.backend().attentionApply(out, probs, vt, t, keys, nh, nkv, hs),
                            () -> in.read(out));
                }));
        String windowShape = attShape + " window " + s.window();
        cases.add(new OpCase("attentionWindowScores", windowShape, DType.F32, 1e-5,
                OpCost.windowScores(t, keys, s.window(), nh, nkv, hs, A), in -> {
                    Tensor qt = in.filled(t, qw, q), kt = in.filled(keys, kvw, k);
                    return hostResult(() -> in.backend().attentionWindowScores(qt, kt, t, keys, s.window(), nh, nkv, hs));
                }));
        cases.add(new OpCase("probabilityWindowSums", windowShape, DType.F32, 1e-5,
                OpCost.windowSums(keys, s.window(), nh, A, EFFICIENT.mapPasses().windowSums()), in -> {
                    Tensor probs = probabilities(in, q, k, s);
                    return hostResult(() -> in.backend().probabilityWindowSums(probs, t, keys, s.window(), nh));
                }));
        int[][] keep = keepRows(keys - SINKS, (keys - SINKS) / 2, nkv, 7);
        cases.add(new OpCase("compactKv", String.format(Locale.ROOT, "[%d, %d] keep %d of %d per KV head", keys, kvw,
                keep[0].length, keys - SINKS), DType.F32, 0, OpCost.compactKv((long) nkv * keep[0].length, hs, A), in -> {
                    Tensor kt = in.filled(keys, kvw, k), vt = in.filled(keys, kvw, v);
                    return prepared(() -> in.backend().compactKv(kt, vt, SINKS, keep, hs), () -> concat(in.read(kt), in.read(vt)));
                }));
        float[] gate = SeededTensors.random(t * h, 8), up = SeededTensors.random(t * h, 9);
        cases.add(new OpCase("swiglu", "[" + t + ", " + h + "]", DType.F32, 1e-5, elementwise("swiglu", (double) t * h, 3, 6),
                in -> {
                    Tensor g = in.filled(t, h, gate), u = in.filled(t, h, up);
                    return prepared(() -> in.backend().swiglu(g, u, t), () -> in.read(g));
                }));
        cases.add(new OpCase("add", "[" + t + ", " + h + "]", DType.F32, 0, elementwise("add", (double) t * h, 3, 1),
                in -> {
                    Tensor a = in.filled(t, h, gate), b = in.filled(t, h, up);
                    return prepared(() -> in.backend().add(a, b, t), () -> in.read(a));
                }));
        HostTensor table = SeededTensors.weight(arena, "ops.embedding", DType.BF16, s.vocab(), d, 10);
        int[] tokens = new SplittableRandom(11).ints(t, 0, s.vocab()).toArray();
        cases.add(new OpCase("embedding", "[" + t + "] of [" + s.vocab() + ", " + d + "] bf16", DType.F32, 0,
                OpCost.elementwise("embedding", 0, (double) t * d * (DType.BF16.bytes() + A)), in -> {
                    Tensor tab = in.weight(table), out = in.zeros(t, d);
                    return prepared(() -> in.backend().embedding(out, tokens, tab), () -> in.read(out));
                }));
        float[] logits = SeededTensors.random(t * s.vocab(), 12);
        for (int i = 0; i < logits.length; i++) {
            logits[i] *= 8; // logits of a trained model spread over several units
        }
        int[] targets = new SplittableRandom(13).ints(t, 0, s.vocab()).toArray();
        cases.add(new OpCase("crossEntropy", "[" + t + ", " + s.vocab() + "]", DType.F32, 1e-5,
                // not an op of the sim: one pass over the logits, max, exp-sum and log (3 FLOPs an element)
                OpCost.elementwise("crossEntropy", 3.0 * t * s.vocab(), (double) t * s.vocab() * A), in -> {
                    Tensor lt = in.filled(t, s.vocab(), logits);
                    double[][] losses = new double[1][];
                    return prepared(() -> losses[0] = in.backend().crossEntropy(lt, t, targets), () -> {
                        float[] f = new float[t];
                        for (int i = 0; i < t; i++) {
                            f[i] = (float) losses[0][i];
                        }
                        return f;
                    });
                }));
        return cases;
    }

    /** The eager map of q and k on the backend (an input of apply and window sums; not timed). */
    private static Tensor probabilities(Inputs in, float[] q, float[] k, OpShapes s) {
        Tensor probs = in.zeros(s.nHeads() * s.rows(), s.keys());
        in.backend().attentionProbabilities(probs, in.filled(s.rows(), s.attentionWidth(), q),
                in.filled(s.keys(), s.kvWidth(), k), s.rows(), s.keys(), s.nHeads(), s.nKvHeads(), s.headSize());
        return probs;
    }

    /** An elementwise op as SimBackend charges it: passes over the elements (fp32), FLOPs per element. */
    private static OpCost elementwise(String op, double elements, int passes, int flopsPerElement) {
        return OpCost.elementwise(op, elements * flopsPerElement, elements * passes * A);
    }

    private static Prepared prepared(Runnable run, java.util.function.Supplier<float[]> output) {
        return new Prepared() {
            @Override
            public void run() {
                run.run();
            }

            @Override
            public float[] output() {
                return output.get();
            }
        };
    }

    /** An op that returns its result on the host ([heads][keys]). */
    private static Prepared hostResult(java.util.function.Supplier<float[][]> op) {
        float[][][] last = new float[1][][];
        return prepared(() -> last[0] = op.get(), () -> Arrays.stream(last[0]).reduce(new float[0], OpCases::concat));
    }

    /** Per KV head, {@code keep} ascending indices of [0, candidates), seeded. */
    private static int[][] keepRows(int candidates, int keep, int heads, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] out = new int[heads][];
        for (int g = 0; g < heads; g++) {
            out[g] = r.ints(0, candidates).distinct().limit(keep).sorted().toArray();
        }
        return out;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String name(DType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }
}
