/*
 * Eager attention (METHOD.md §8 `eager`): the probabilities are materialized, then applied to V.
 * Same q, k, v layouts and causal rule as attention_flash.cl.
 */
#ifndef EAGER_LOCAL
#define EAGER_LOCAL 128
#endif
#ifndef APPLY_TILE
#define APPLY_TILE 16
#endif

/*
 * probs [nHeads * T, S]: row h * T + t is query t's softmax under head h over the S keys, 0 for
 * keys it cannot see. One work-group of EAGER_LOCAL per (query row, head); each work-item owns
 * the keys j = lid (mod EAGER_LOCAL) of the row, so the row is a private scratch for its scores.
 * Grid (EAGER_LOCAL * T, nHeads).
 */
KERNEL void attention_probabilities(GLOBAL float *probs, GLOBAL const float *q, GLOBAL const float *k,
                                    int nQueries, int nKeys, int nHeads, int nKvHeads, int headSize) {
    LOCAL float qrow[HEAD_MAX];
    LOCAL float scratch[EAGER_LOCAL];
    int t = GROUP(0), h = GROUP(1), lid = LID(0);
    int kvHead = h / (nHeads / nKvHeads);
    int kvStride = nKvHeads * headSize;
    float scale = 1.0f / SQRT((float) headSize);
    for (int d = lid; d < headSize; d += EAGER_LOCAL) {
        qrow[d] = q[t * nHeads * headSize + h * headSize + d];
    }
    BARRIER();
    int visible = nKeys - nQueries + t + 1;
    GLOBAL float *row = probs + (h * nQueries + t) * nKeys;
    float mx = NEG_INF;
    for (int j = lid; j < visible; j += EAGER_LOCAL) {
        float dot = 0.0f;
        for (int d = 0; d < headSize; d++) {
            dot += qrow[d] * k[j * kvStride + kvHead * headSize + d];
        }
        float s = dot * scale;
        row[j] = s;
        mx = FMAX(mx, s);
    }
    mx = group_max(scratch, mx);
    float sum = 0.0f;
    for (int j = lid; j < visible; j += EAGER_LOCAL) {
        float p = EXP(row[j] - mx);
        row[j] = p;
        sum += p;
    }
    sum = group_sum(scratch, sum);
    for (int j = lid; j < nKeys; j += EAGER_LOCAL) {
        row[j] = j < visible ? row[j] / sum : 0.0f;
    }
}

/*
 * out[t, h * hs + i] = sum_j probs[h * T + t, j] * v[j, g * hs + i], g = h / (nHeads / nKvHeads):
 * per head a [T, S] x [S, hs] product in APPLY_TILE^2 tiles through local memory. Key tiles past
 * the tile's last visible key are skipped (their probabilities are 0).
 * Local size (APPLY_TILE, APPLY_TILE); grid (tiles over hs, tiles over T, nHeads).
 */
KERNEL void attention_apply(GLOBAL float *out, GLOBAL const float *probs, GLOBAL const float *v,
                            int nQueries, int nKeys, int nHeads, int nKvHeads, int headSize) {
    LOCAL float ps[APPLY_TILE][APPLY_TILE + 1];
    LOCAL float vs[APPLY_TILE][APPLY_TILE + 1];
    int tx = LID(0), ty = LID(1);
    int i = GROUP(0) * APPLY_TILE + tx;
    int t0 = GROUP(1) * APPLY_TILE, t = t0 + ty;
    int h = GROUP(2);
    int kvHead = h / (nHeads / nKvHeads);
    int kvStride = nKvHeads * headSize;
    int keyEnd = IMIN(nKeys, nKeys - nQueries + IMIN(t0 + APPLY_TILE, nQueries));
    float acc = 0.0f;
    for (int j0 = 0; j0 < keyEnd; j0 += APPLY_TILE) {
        ps[ty][tx] = (t < nQueries && j0 + tx < nKeys) ? probs[(h * nQueries + t) * nKeys + j0 + tx] : 0.0f;
        vs[ty][tx] = (j0 + ty < nKeys && i < headSize) ? v[(j0 + ty) * kvStride + kvHead * headSize + i] : 0.0f;
        BARRIER();
        for (int jj = 0; jj < APPLY_TILE; jj++) {
            acc += ps[ty][jj] * vs[jj][tx];
        }
        BARRIER();
    }
    if (t < nQueries && i < headSize) {
        out[t * nHeads * headSize + h * headSize + i] = acc;
    }
}

/*
 * SnapKV's observation read off materialized probabilities: sums[h, j] = sum over the window
 * rows t in [T - windowRows, T) of probs[h * T + t, j]. sums [nHeads, S]. One work-item per (j, h).
 */
KERNEL void probability_window_sums(GLOBAL float *sums, GLOBAL const float *probs, int nQueries, int nKeys,
                                    int windowRows, int nHeads) {
    int j = GID(0), h = GID(1);
    if (j >= nKeys || h >= nHeads) {
        return;
    }
    float acc = 0.0f;
    for (int t = nQueries - windowRows; t < nQueries; t++) {
        acc += probs[(h * nQueries + t) * nKeys + j];
    }
    sums[h * nKeys + j] = acc;
}
