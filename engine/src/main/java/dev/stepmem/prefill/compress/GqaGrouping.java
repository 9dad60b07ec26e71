package dev.stepmem.prefill.compress;

/**
 * Which query heads form the group of a KV head when scores are summed per KV head (METHOD.md
 * §4 step 2: "for GQA, sum the query heads of each KV group"). Irrelevant for MHA (one head per
 * group), i.e. for LLaMA-2-7B, the paper's main model.
 */
public enum GqaGrouping {
    /**
     * Query head h reads KV head h / (nHeads / nKvHeads): the grouping the attention itself uses
     * (HF/InternLM2 {@code repeat_kv} expands each KV head to consecutive query heads); the
     * variant "snapkv-contiguous-gqa".
     */
    CONTIGUOUS {
        @Override
        public int kvHeadOf(int h, int nHeads, int nKvHeads) {
            return h / (nHeads / nKvHeads);
        }
    },
    /**
     * Query head h is counted for KV head h % nKvHeads. This is what the authors' pruner literally
     * computes ({@code attention.view(bsz, num_groups, num_kv_heads, q, k).sum(dim=1)}), which does
     * not match the attention's own grouping, but it is how the paper's InternLM2-7B numbers were
     * computed, so the reproduction default "snapkv" uses it.
     */
    STRIDED {
        @Override
        public int kvHeadOf(int h, int nHeads, int nKvHeads) {
            return h % nKvHeads;
        }
    };

    /** The KV head whose group query head h is summed into. */
    public abstract int kvHeadOf(int h, int nHeads, int nKvHeads);

    /** [nKvHeads][n]: per KV head the sum of its group's rows, added in ascending query-head order, in double. */
    double[][] sumGroups(float[][] perQueryHead, int nKvHeads) {
        int nHeads = perQueryHead.length;
        int n = nHeads == 0 ? 0 : perQueryHead[0].length;
        double[][] out = new double[nKvHeads][n];
        for (int h = 0; h < nHeads; h++) {
            double[] acc = out[kvHeadOf(h, nHeads, nKvHeads)];
            float[] row = perQueryHead[h];
            for (int i = 0; i < n; i++) {
                acc[i] += row[i];
            }
        }
        return out;
    }
}
