package dev.stepmem.backend.opencl;

import dev.stepmem.backend.Backend;
import dev.stepmem.backend.TestTensors;
import dev.stepmem.backend.MemoryLedger;
import dev.stepmem.backend.RopeStyle;
import dev.stepmem.backend.Tensor;
import dev.stepmem.backend.cpu.ReferenceBackend;
import dev.stepmem.backend.gpu.DeviceKernel;
import dev.stepmem.backend.gpu.KernelCatalog;
import dev.stepmem.tensor.DType;
import dev.stepmem.tensor.HostTensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Runs in a child JVM whose only OpenCL platform is Oclgrind (OclgrindTest sets the environment):
 * every kernel once at tiny, ragged sizes (several tiles where a kernel tiles), each checked
 * against ReferenceBackend, while Oclgrind watches for data races, out-of-bounds accesses and API
 * errors. Mode {@code broken-barrier} instead runs rmsnorm with its reduction's barrier removed,
 * which Oclgrind must flag. Exit code 0 when every result matched.
 */
public final class OclgrindHarness {
    private static final Backend REF = new ReferenceBackend();
    private static final Arena ARENA = Arena.ofShared();
    private static int failures;

    private OclgrindHarness() {
    }

    public static void main(String[] args) {
        try (OpenClBackend gpu = OpenClBackend.open("oclgrind", new MemoryLedger())) {
            System.out.println("device: " + gpu.runtime().description());
            if (args.length > 0 && args[0].equals("broken-barrier")) {
                brokenBarrier(gpu);
            } else {
                allKernels(gpu);
            }
        }
        System.out.println(failures == 0 ? "all results match the reference" : failures + " mismatches");
        System.exit(failures == 0 ? 0 : 1);
    }

    private static void allKernels(Backend gpu) {
        int rows = 3, cols = 37;
        float[] x = TestTensors.random(rows * cols, 1), y = TestTensors.random(rows * cols, 2), w = TestTensors.random(cols, 3);
        check("fill_zero + add", gpu, b -> {
            Tensor t = TestTensors.filled(b, rows, cols, x);
            b.add(t, TestTensors.filled(b, rows, cols, y), rows);
            b.fillZero(t, 1, 1);
            return t;
        }, 0);
        check("swiglu", gpu, b -> {
            Tensor t = TestTensors.filled(b, rows, cols, x);
            b.swiglu(t, TestTensors.filled(b, rows, cols, y), rows);
            return t;
        }, 1e-5);
        check("rmsnorm (in place)", gpu, b -> {
            Tensor t = TestTensors.filled(b, rows, cols, x);
            b.rmsnorm(t, t, TestTensors.filled(b, 1, cols, w), rows, 1e-5f);
            return t;
        }, 1e-5);
        for (DType type : DType.values()) {
            HostTensor weight = TestTensors.weight(ARENA, type, 35, cols, 4); // 35 x 37: two GEMM tiles, ragged both ways
            check("gemm " + type, gpu, b -> {
                Tensor out = b.allocate("o", rows, 35);
                b.matmul(out, TestTensors.filled(b, rows, cols, x), b.upload(weight), rows);
                return out;
            }, 1e-5);
            HostTensor table = TestTensors.weight(ARENA, type, 5, cols, 5);
            check("embedding " + type, gpu, b -> {
                Tensor out = b.allocate("o", 2, cols);
                b.embedding(out, new int[] {4, 1}, b.upload(table));
                return out;
            }, 0);
        }
        float[] invFreq = {1f, 0.1f, 0.01f, 0.001f};
        for (RopeStyle style : RopeStyle.values()) {
            check("rope " + style, gpu, b -> {
                Tensor t = TestTensors.filled(b, rows, 16, TestTensors.random(rows * 16, 6));
                b.rope(t, rows, 2, 8, 7, invFreq, style);
                return t;
            }, 1e-5);
        }
        // attention: 3 queries over 37 keys (three key tiles of 16), 4 heads on 2 KV heads, head size 6
        int nq = 3, nk = 37, nh = 4, nkv = 2, hs = 6;
        float[] q = TestTensors.random(nq * nh * hs, 7), k = TestTensors.random(nk * nkv * hs, 8), v = TestTensors.random(nk * nkv * hs, 9);
        check("attention_flash", gpu, b -> {
            Tensor out = b.allocate("o", nq, nh * hs);
            b.attention(out, TestTensors.filled(b, nq, nh * hs, q), TestTensors.filled(b, nk, nkv * hs, k), TestTensors.filled(b, nk, nkv * hs, v),
                    nq, nk, nh, nkv, hs);
            return out;
        }, 1e-5);
        check("attention_probabilities + attention_apply", gpu, b -> {
            Tensor p = b.allocate("p", nh * nq, nk), out = b.allocate("o", nq, nh * hs);
            b.attentionProbabilities(p, TestTensors.filled(b, nq, nh * hs, q), TestTensors.filled(b, nk, nkv * hs, k), nq, nk, nh, nkv, hs);
            b.attentionApply(out, p, TestTensors.filled(b, nk, nkv * hs, v), nq, nk, nh, nkv, hs);
            float[][] sums = b.probabilityWindowSums(p, nq, nk, 2, nh);
            Tensor s = b.allocate("s", nh, nk);
            for (int h = 0; h < nh; h++) {
                b.write(s, h, sums[h], 1);
            }
            return concat(b, out, s);
        }, 1e-5);
        check("window_softmax_stats + window_score_sums", gpu, b -> {
            float[][] sums = b.attentionWindowScores(TestTensors.filled(b, nq, nh * hs, q), TestTensors.filled(b, nk, nkv * hs, k),
                    nq, nk, 2, nh, nkv, hs);
            Tensor s = b.allocate("s", nh, nk);
            for (int h = 0; h < nh; h++) {
                b.write(s, h, sums[h], 1);
            }
            return s;
        }, 1e-5);
        check("compact_kv", gpu, b -> {
            Tensor kt = TestTensors.filled(b, nk, nkv * hs, k), vt = TestTensors.filled(b, nk, nkv * hs, v);
            int[] keep0 = new int[20], keep1 = new int[20];
            for (int r = 0; r < 20; r++) {
                keep0[r] = r + r / 3;  // 20 rows of 33 candidates: two blocks of 16, overlapping sources
                keep1[r] = 13 + r;
            }
            b.compactKv(kt, vt, 4, new int[][] {keep0, keep1}, hs);
            return concat(b, kt, vt);
        }, 0);
        // SnapKV scoring and top-k (two groups of 128 candidates) against the host's SnapKv
        float[][] sums = new float[nh][4 + 150];
        SplittableRandom r = new SplittableRandom(10);
        for (float[] row : sums) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) r.nextDouble();
            }
        }
        int[][] device = ((dev.stepmem.backend.gpu.GpuBackend) gpu).selectSnapKv(sums, 4, 150, 8, 40, nkv, false);
        float[][] candidates = new float[nh][];
        for (int h = 0; h < nh; h++) {
            candidates[h] = java.util.Arrays.copyOfRange(sums[h], 4, sums[h].length);
        }
        int[][] host = new dev.stepmem.prefill.compress.SnapKv(dev.stepmem.prefill.compress.GqaGrouping.CONTIGUOUS)
                .select(new dev.stepmem.prefill.compress.Selection(
                150, 142, 40, nh, nkv, candidates, 8));
        report("snapkv_scores + topk_flags + topk_indices", java.util.Arrays.deepEquals(host, device), "selections differ");
        Tensor logits = TestTensors.filled(gpu, 2, 300, TestTensors.random(600, 11));
        double[] losses = ((dev.stepmem.backend.gpu.GpuBackend) gpu).crossEntropy(logits, 2, new int[] {5, 299});
        float[] l0 = new float[300];
        gpu.read(logits, 0, 1, l0);
        double want = dev.stepmem.backend.CrossEntropy.of(l0, 5);
        report("cross_entropy", Math.abs(want - losses[0]) < 1e-5, "loss " + losses[0] + " vs " + want);
    }

    /** rmsnorm.cl with the barrier of its reduction loop taken out: partial sums race. */
    private static void brokenBarrier(OpenClBackend gpu) {
        String source = KernelCatalog.resource("rmsnorm.cl");
        int loop = source.indexOf("for (int stride");
        int barrier = source.indexOf("BARRIER();", loop);
        String broken = source.substring(0, barrier) + "/* barrier removed */" + source.substring(barrier + 10);
        OpenClRuntime rt = (OpenClRuntime) gpu.runtime();
        DeviceKernel kernel = rt.compileKernel("rmsnorm_broken", KernelCatalog.resource("prelude.h") + "\n" + broken,
                "-DRMS_LOCAL=256", "rmsnorm");
        int d = 300;
        var xBuf = rt.allocate(d * 4L);
        var wBuf = rt.allocate(d * 4L);
        var oBuf = rt.allocate(d * 4L);
        MemorySegment host = ARENA.allocate(d * 4L);
        for (int i = 0; i < d; i++) {
            host.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i, 1f);
        }
        rt.write(xBuf, 0, host);
        rt.write(wBuf, 0, host);
        rt.launch(kernel, new int[] {256}, new int[] {256}, oBuf, xBuf, wBuf, d, 1e-5f);
        rt.finish();
        System.out.println("ran rmsnorm with its reduction barrier removed");
    }

    private static void check(String what, Backend gpu, Function<Backend, Tensor> op, double tol) {
        float[] want = read(REF, op.apply(REF)), got = read(gpu, op.apply(gpu));
        double maxDiff = 0, maxAbs = 0;
        for (int i = 0; i < want.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(want[i] - got[i]));
            maxAbs = Math.max(maxAbs, Math.abs(want[i]));
        }
        double rel = maxAbs == 0 ? maxDiff : maxDiff / maxAbs;
        report(what, rel <= tol, "relative error " + rel + " > " + tol);
    }

    private static void report(String what, boolean ok, String problem) {
        System.out.println((ok ? "ok    " : "FAIL  ") + what + (ok ? "" : ": " + problem));
        if (!ok) {
            failures++;
        }
    }

    private static Tensor concat(Backend b, Tensor first, Tensor second) {
        float[] a = read(b, first), c = read(b, second);
        float[] all = java.util.Arrays.copyOf(a, a.length + c.length);
        System.arraycopy(c, 0, all, a.length, c.length);
        return TestTensors.filled(b, 1, all.length, all);
    }

    private static float[] read(Backend b, Tensor t) {
        float[] out = new float[t.rows() * t.cols()];
        b.read(t, 0, t.rows(), out);
        return out;
    }
}
