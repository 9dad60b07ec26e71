/*
 * SnapKV's observation under flash attention: for each query head, the sum over the last
 * windowRows queries of their causal softmax probabilities over the S keys, without storing
 * any [window, S] map. Two passes over q.k^T: (1) each window row's softmax max and sum,
 * (2) per key, the sum of its probabilities over the window rows that can see it.
 * q [T, nHeads * hs], k [S, nKvHeads * hs], both rotated.
 */
#ifndef WINDOW_LOCAL
#define WINDOW_LOCAL 128
#endif

/* stats [nHeads, windowRows, 2] = (max, sum of exp(s - max)). Grid (WINDOW_LOCAL * windowRows, nHeads). */
KERNEL void window_softmax_stats(GLOBAL float *stats, GLOBAL const float *q, GLOBAL const float *k,
                                 int nQueries, int nKeys, int windowRows, int nHeads, int nKvHeads, int headSize) {
    LOCAL float qrow[HEAD_MAX];
    LOCAL float scratch[WINDOW_LOCAL];
    int r = GROUP(0), h = GROUP(1), lid = LID(0);
    int t = nQueries - windowRows + r;
    int kvHead = h / (nHeads / nKvHeads);
    int kvStride = nKvHeads * headSize;
    float scale = 1.0f / SQRT((float) headSize);
    for (int d = lid; d < headSize; d += WINDOW_LOCAL) {
        qrow[d] = q[t * nHeads * headSize + h * headSize + d];
    }
    BARRIER();
    int visible = nKeys - nQueries + t + 1;
    float mx = NEG_INF;
    for (int j = lid; j < visible; j += WINDOW_LOCAL) {
        float dot = 0.0f;
        for (int d = 0; d < headSize; d++) {
            dot += qrow[d] * k[j * kvStride + kvHead * headSize + d];
        }
        mx = FMAX(mx, dot * scale);
    }
    mx = group_max(scratch, mx);
    float sum = 0.0f;
    for (int j = lid; j < visible; j += WINDOW_LOCAL) {
        float dot = 0.0f;
        for (int d = 0; d < headSize; d++) {
            dot += qrow[d] * k[j * kvStride + kvHead * headSize + d];
        }
        sum += EXP(dot * scale - mx);
    }
    sum = group_sum(scratch, sum);
    if (lid == 0) {
        stats[(h * windowRows + r) * 2] = mx;
        stats[(h * windowRows + r) * 2 + 1] = sum;
    }
}

/* sums [nHeads, S]: sums[h, j] = sum_r exp(s(t_r, j) - max_r) / sum_r over window rows that see j. Grid (S, nHeads). */
KERNEL void window_score_sums(GLOBAL float *sums, GLOBAL const float *q, GLOBAL const float *k,
                              GLOBAL const float *stats, int nQueries, int nKeys, int windowRows,
                              int nHeads, int nKvHeads, int headSize) {
    int j = GID(0), h = GID(1);
    if (j >= nKeys || h >= nHeads) {
        return;
    }
    int kvHead = h / (nHeads / nKvHeads);
    int kvStride = nKvHeads * headSize;
    float scale = 1.0f / SQRT((float) headSize);
    float acc = 0.0f;
    for (int r = 0; r < windowRows; r++) {
        int t = nQueries - windowRows + r;
        if (j > nKeys - nQueries + t) {
            continue; /* hidden from this row */
        }
        float dot = 0.0f;
        for (int d = 0; d < headSize; d++) {
            dot += q[t * nHeads * headSize + h * headSize + d] * k[j * kvStride + kvHead * headSize + d];
        }
        acc += EXP(dot * scale - stats[(h * windowRows + r) * 2]) / stats[(h * windowRows + r) * 2 + 1];
    }
    sums[h * nKeys + j] = acc;
}
