package dev.stepmem.backend.cpu;

import static dev.stepmem.tensor.HostTensor.F32_LE;

import dev.stepmem.backend.MemoryLedger;
import dev.stepmem.backend.RopeStyle;
import dev.stepmem.backend.Tensor;

/**
 * The plain, obviously correct implementation of every op: one thread, scalar loops, double
 * accumulators. It is the oracle the fast backends are tested against, not something to run.
 */
public final class ReferenceBackend extends HostMemoryBackend {

    /** A backend with no memory limit (the ledger still counts). */
    public ReferenceBackend() {
        this(new MemoryLedger());
    }

    public ReferenceBackend(MemoryLedger ledger) {
        super(ledger);
    }

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public void rmsnorm(Tensor out, Tensor x, Tensor weight, int rows, float eps) {
        CpuTensor o = f32(out), in = f32(x), w = f32(weight);
        int d = in.cols();
        for (int t = 0; t < rows; t++) {
            double ss = 0;
            for (int i = 0; i < d; i++) {
                double v = get(in, t, i);
                ss += v * v;
            }
            double scale = 1.0 / Math.sqrt(ss / d + eps);
            for (int i = 0; i < d; i++) {
                set(o, t, i, (float) (get(in, t, i) * scale * get(w, 0, i)));
            }
        }
    }

    @Override
    public void matmul(Tensor out, Tensor x, Tensor w, int rows) {
        CpuTensor o = f32(out), in = f32(x), wt = CpuTensor.of(w);
        var wh = wt.host();
        int k = in.cols(), n = wt.rows();
        for (int t = 0; t < rows; t++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int i = 0; i < k; i++) {
                    acc += (double) get(in, t, i) * wh.get(j, i);
                }
                set(o, t, j, (float) acc);
            }
        }
    }

    @Override
    public void rope(Tensor x, int rows, int nHeads, int headSize, int firstPosition, float[] invFreq, RopeStyle style) {
        CpuTensor xt = f32(x);
        int half = headSize / 2;
        for (int t = 0; t < rows; t++) {
            int pos = firstPosition + t;
            for (int h = 0; h < nHeads; h++) {
                int base = h * headSize;
                for (int i = 0; i < half; i++) {
                    float angle = pos * invFreq[i];
                    double cos = Math.cos(angle), sin = Math.sin(angle);
                    int a = style == RopeStyle.INTERLEAVED ? base + 2 * i : base + i;
                    int b = style == RopeStyle.INTERLEAVED ? base + 2 * i + 1 : base + i + half;
                    double x0 = get(xt, t, a), x1 = get(xt, t, b);
                    set(xt, t, a, (float) (x0 * cos - x1 * sin));
                    set(xt, t, b, (float) (x0 * sin + x1 * cos));
                }
            }
        }
    }

    @Override
    public void attention(Tensor out, Tensor q, Tensor k, Tensor v, int nQueries, int nKeys,
                          int nHeads, int nKvHeads, int headSize) {
        CpuTensor o = f32(out), qt = f32(q), kt = f32(k), vt = f32(v);
        int group = nHeads / nKvHeads;
        double[] p = new double[nKeys];
        for (int t = 0; t < nQueries; t++) {
            int visible = nKeys - nQueries + t + 1; // causal: keys 0 .. S - T + t
            for (int h = 0; h < nHeads; h++) {
                int kvBase = (h / group) * headSize;
                probabilities(qt, kt, t, h, kvBase, headSize, visible, p);
                for (int i = 0; i < headSize; i++) {
                    double acc = 0;
                    for (int j = 0; j < visible; j++) {
                        acc += p[j] * get(vt, j, kvBase + i);
                    }
                    set(o, t, h * headSize + i, (float) acc);
                }
            }
        }
    }

    @Override
    public void attentionProbabilities(Tensor probs, Tensor q, Tensor k, int nQueries, int nKeys,
                                       int nHeads, int nKvHeads, int headSize) {
        CpuTensor pt = f32(probs), qt = f32(q), kt = f32(k);
        int group = nHeads / nKvHeads;
        double[] p = new double[nKeys];
        for (int h = 0; h < nHeads; h++) {
            int kvBase = (h / group) * headSize;
            for (int t = 0; t < nQueries; t++) {
                int visible = nKeys - nQueries + t + 1;
                probabilities(qt, kt, t, h, kvBase, headSize, visible, p);
                for (int j = 0; j < nKeys; j++) {
                    set(pt, h * nQueries + t, j, j < visible ? (float) p[j] : 0f);
                }
            }
        }
    }

    @Override
    public void attentionApply(Tensor out, Tensor probs, Tensor v, int nQueries, int nKeys,
                               int nHeads, int nKvHeads, int headSize) {
        CpuTensor o = f32(out), pt = f32(probs), vt = f32(v);
        int group = nHeads / nKvHeads;
        for (int h = 0; h < nHeads; h++) {
            int kvBase = (h / group) * headSize;
            for (int t = 0; t < nQueries; t++) {
                for (int i = 0; i < headSize; i++) {
                    double acc = 0;
                    for (int j = 0; j < nKeys; j++) {
                        acc += (double) get(pt, h * nQueries + t, j) * get(vt, j, kvBase + i);
                    }
                    set(o, t, h * headSize + i, (float) acc);
                }
            }
        }
    }

    @Override
    public float[][] probabilityWindowSums(Tensor probs, int nQueries, int nKeys, int windowRows, int nHeads) {
        CpuTensor pt = f32(probs);
        float[][] sums = new float[nHeads][nKeys];
        for (int h = 0; h < nHeads; h++) {
            for (int j = 0; j < nKeys; j++) {
                double acc = 0;
                for (int t = nQueries - windowRows; t < nQueries; t++) {
                    acc += get(pt, h * nQueries + t, j);
                }
                sums[h][j] = (float) acc;
            }
        }
        return sums;
    }

    @Override
    public float[][] attentionWindowScores(Tensor q, Tensor k, int nQueries, int nKeys, int windowRows,
                                           int nHeads, int nKvHeads, int headSize) {
        CpuTensor qt = f32(q), kt = f32(k);
        int group = nHeads / nKvHeads;
        float[][] sums = new float[nHeads][nKeys];
        double[] p = new double[nKeys];
        for (int t = nQueries - windowRows; t < nQueries; t++) {
            int visible = nKeys - nQueries + t + 1;
            for (int h = 0; h < nHeads; h++) {
                probabilities(qt, kt, t, h, (h / group) * headSize, headSize, visible, p);
                for (int j = 0; j < visible; j++) {
                    sums[h][j] += (float) p[j];
                }
            }
        }
        return sums;
    }

    @Override
    public void swiglu(Tensor gate, Tensor up, int rows) {
        CpuTensor g = f32(gate), u = f32(up);
        for (int t = 0; t < rows; t++) {
            for (int i = 0; i < g.cols(); i++) {
                double x = get(g, t, i);
                set(g, t, i, (float) (x / (1 + Math.exp(-x)) * get(u, t, i)));
            }
        }
    }

    @Override
    public void add(Tensor x, Tensor y, int rows) {
        CpuTensor a = f32(x), b = f32(y);
        for (int t = 0; t < rows; t++) {
            for (int i = 0; i < a.cols(); i++) {
                set(a, t, i, get(a, t, i) + get(b, t, i));
            }
        }
    }

    /**
     * p[0..visible) = softmax over keys 0..visible-1 of q[t, head h] . k[j, KV head at kvBase] /
     * sqrt(headSize), in double: the one definition of attention probabilities every op here uses.
     */
    private static void probabilities(CpuTensor qt, CpuTensor kt, int t, int h, int kvBase, int headSize,
                                      int visible, double[] p) {
        double scale = 1.0 / Math.sqrt(headSize), max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int j = 0; j < visible; j++) {
            double dot = 0;
            for (int i = 0; i < headSize; i++) {
                dot += (double) get(qt, t, h * headSize + i) * get(kt, j, kvBase + i);
            }
            p[j] = dot * scale;
            max = Math.max(max, p[j]);
        }
        for (int j = 0; j < visible; j++) {
            p[j] = Math.exp(p[j] - max);
            sum += p[j];
        }
        for (int j = 0; j < visible; j++) {
            p[j] /= sum;
        }
    }

    private static float get(CpuTensor t, int r, int c) {
        return t.data.get(F32_LE, ((long) r * t.cols() + c) * 4);
    }

    private static void set(CpuTensor t, int r, int c, float v) {
        t.data.set(F32_LE, ((long) r * t.cols() + c) * 4, v);
    }

}
