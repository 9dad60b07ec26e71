/*
 * SnapKV's selection on the device (METHOD.md §4 steps 2-5), the same arithmetic as
 * prefill/compress/SnapKv.java, GqaGrouping.java, AvgPool.java and TopK.java on the host.
 * Candidates are the keys after the sinks: candidate i is key firstCandidate + i.
 */
#ifndef SNAPKV_POOL
#define SNAPKV_POOL 5
#endif
#ifndef TOPK_LOCAL
#define TOPK_LOCAL 128
#endif

/* Step 2: the window sums of KV head kv's query heads (ascending head order) for candidate u. */
INLINE float grouped_sum(GLOBAL const float *windowSums, int nKeys, int key, int kv, int nHeads, int nKvHeads,
                         int strided) {
    int group = nHeads / nKvHeads;
    float acc = 0.0f;
    for (int g = 0; g < group; g++) {
        int h = strided ? kv + g * nKvHeads : kv * group + g;
        acc += windowSums[h * nKeys + key];
    }
    return acc;
}

/*
 * Steps 2-4: scores [nKvHeads, n] from windowSums [nHeads, nKeys]: group sum, avg_pool1d (kernel
 * SNAPKV_POOL, stride 1, zero padding, divisor always SNAPKV_POOL), then divided by how many of
 * the windowRows window queries see the candidate (before the window: all; the j-th window
 * candidate: windowRows - j). strided = 1 for the reference's literal GQA grouping (h % nKvHeads).
 * Grid (n, nKvHeads).
 */
KERNEL void snapkv_scores(GLOBAL float *scores, GLOBAL const float *windowSums, int nKeys, int firstCandidate,
                          int n, int windowRows, int nHeads, int nKvHeads, int strided) {
    int i = GID(0), kv = GID(1);
    if (i >= n || kv >= nKvHeads) {
        return;
    }
    int lo = i - SNAPKV_POOL / 2 < 0 ? 0 : i - SNAPKV_POOL / 2;
    int hi = IMIN(n - 1, i + SNAPKV_POOL / 2);
    float pooled = 0.0f;
    for (int u = lo; u <= hi; u++) {
        pooled += grouped_sum(windowSums, nKeys, firstCandidate + u, kv, nHeads, nKvHeads, strided);
    }
    pooled /= (float) SNAPKV_POOL;
    int windowStart = n - windowRows;
    int seenBy = i >= windowStart ? windowRows - (i - windowStart) : windowRows;
    scores[kv * n + i] = pooled / (float) seenBy;
}

/*
 * Step 5a: flags[kv, i] = 1 iff fewer than `keep` candidates rank above i, where j ranks above i
 * with a higher score, or the same score and an earlier index (TopK.java's tie rule: the earlier
 * token wins). Each work-group compares its TOPK_LOCAL candidates against all n, one tile of
 * scores in local memory at a time: O(n^2) compares, no sort, deterministic.
 * Local size (TOPK_LOCAL, 1); grid (TOPK_LOCAL * ceil(n / TOPK_LOCAL), nKvHeads).
 */
KERNEL void topk_flags(GLOBAL int *flags, GLOBAL const float *scores, int n, int keep) {
    LOCAL float tile[TOPK_LOCAL];
    int i = GID(0), kv = GROUP(1), lid = LID(0);
    GLOBAL const float *s = scores + kv * n;
    float mine = i < n ? s[i] : 0.0f;
    int above = 0;
    for (int j0 = 0; j0 < n; j0 += TOPK_LOCAL) {
        tile[lid] = j0 + lid < n ? s[j0 + lid] : NEG_INF;
        BARRIER();
        int count = IMIN(TOPK_LOCAL, n - j0);
        for (int jj = 0; jj < count; jj++) {
            float other = tile[jj];
            int j = j0 + jj;
            above += (other > mine || (other == mine && j < i)) ? 1 : 0;
        }
        BARRIER();
    }
    if (i < n) {
        flags[kv * n + i] = above < keep ? 1 : 0;
    }
}

/*
 * Step 5b: indices [nKvHeads, keep] = the flagged candidates of each KV head in ascending order
 * (the position of a flagged i is the number of flagged candidates before it).
 * Local size (TOPK_LOCAL, 1); grid as topk_flags.
 */
KERNEL void topk_indices(GLOBAL int *indices, GLOBAL const int *flags, int n, int keep) {
    LOCAL int tile[TOPK_LOCAL];
    int i = GID(0), kv = GROUP(1), lid = LID(0);
    GLOBAL const int *f = flags + kv * n;
    int before = 0;
    for (int j0 = 0; j0 < n; j0 += TOPK_LOCAL) {
        tile[lid] = j0 + lid < n ? f[j0 + lid] : 0;
        BARRIER();
        int count = IMIN(TOPK_LOCAL, i - j0); /* only candidates before i */
        for (int jj = 0; jj < count; jj++) {
            before += tile[jj];
        }
        BARRIER();
    }
    if (i < n && f[i] != 0) {
        indices[kv * keep + before] = i;
    }
}
