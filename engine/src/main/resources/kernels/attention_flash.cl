/*
 * Flash-style causal attention (METHOD.md §8 `flash`): T queries over S keys [sinks | memory |
 * chunk], the queries being the last T positions, so query t sees keys 0 .. S - T + t.
 * q, out [T, nHeads * headSize] (q rotated); k, v [S, nKvHeads * headSize] (k rotated).
 * Query head h reads KV head h / (nHeads / nKvHeads). Nothing of size T x S is stored.
 *
 * A work-group holds ATT_BQ query rows of one head in local memory and streams over key tiles of
 * ATT_BK keys (K and V tiles in local memory), keeping each row's running max m and sum l and
 * rescaling its accumulator when m grows (the online softmax). ATT_TD work-items share a row:
 * each computes a strided subset of the tile's scores, and owns a strided subset of the row's
 * output dimensions. Local size (ATT_TD, ATT_BQ); grid (ATT_TD, ATT_BQ * ceil(T / ATT_BQ), nHeads).
 */
#ifndef ATT_BQ
#define ATT_BQ 16
#endif
#ifndef ATT_BK
#define ATT_BK 16
#endif
#ifndef ATT_TD
#define ATT_TD 8
#endif
#define ATT_DIMS (HEAD_MAX / ATT_TD)

KERNEL void attention_flash(GLOBAL float *out, GLOBAL const float *q, GLOBAL const float *k, GLOBAL const float *v,
                            int nQueries, int nKeys, int nHeads, int nKvHeads, int headSize) {
    LOCAL float qs[ATT_BQ][HEAD_MAX];
    LOCAL float ks[ATT_BK][HEAD_MAX + 1]; /* +1: rows read by different work-items hit different banks */
    LOCAL float vs[ATT_BK][HEAD_MAX];
    LOCAL float ps[ATT_BQ][ATT_BK + 1];
    int lane = LID(0), r = LID(1);
    int tid = r * ATT_TD + lane;
    int h = GROUP(2);
    int t0 = GROUP(1) * ATT_BQ, t = t0 + r;
    int kvHead = h / (nHeads / nKvHeads);
    int qStride = nHeads * headSize, kvStride = nKvHeads * headSize;
    float scale = 1.0f / SQRT((float) headSize);
    int offset = nKeys - nQueries; /* query t sees keys [0, offset + t] */

    for (int e = tid; e < ATT_BQ * headSize; e += ATT_TD * ATT_BQ) {
        int rr = e / headSize, dd = e % headSize;
        qs[rr][dd] = t0 + rr < nQueries ? q[(t0 + rr) * qStride + h * headSize + dd] : 0.0f;
    }
    float acc[ATT_DIMS];
    for (int i = 0; i < ATT_DIMS; i++) {
        acc[i] = 0.0f;
    }
    float m = NEG_INF, l = 0.0f;
    int lastRow = IMIN(t0 + ATT_BQ, nQueries) - 1;
    int keyEnd = offset + lastRow + 1; /* keys past this are hidden from every row of the group */

    for (int j0 = 0; j0 < keyEnd; j0 += ATT_BK) {
        BARRIER(); /* the previous tile's readers are done (and qs is loaded, the first time) */
        for (int e = tid; e < ATT_BK * headSize; e += ATT_TD * ATT_BQ) {
            int jj = e / headSize, dd = e % headSize;
            int j = j0 + jj;
            bool inside = j < nKeys;
            ks[jj][dd] = inside ? k[j * kvStride + kvHead * headSize + dd] : 0.0f;
            vs[jj][dd] = inside ? v[j * kvStride + kvHead * headSize + dd] : 0.0f;
        }
        BARRIER();
        for (int jj = lane; jj < ATT_BK; jj += ATT_TD) {
            int j = j0 + jj;
            float s = NEG_INF;
            if (t < nQueries && j < nKeys && j <= offset + t) {
                float dot = 0.0f;
                for (int d = 0; d < headSize; d++) {
                    dot += qs[r][d] * ks[jj][d];
                }
                s = dot * scale;
            }
            ps[r][jj] = s;
        }
        BARRIER();
        /* every work-item of row r derives the same m and l from ps[r][:] */
        float tileMax = NEG_INF;
        for (int jj = 0; jj < ATT_BK; jj++) {
            tileMax = FMAX(tileMax, ps[r][jj]);
        }
        float mNew = FMAX(m, tileMax);
        if (mNew != NEG_INF) { /* else the row sees no key yet: nothing to add */
            float correction = EXP(m - mNew);
            l *= correction;
            for (int i = 0; i < ATT_DIMS; i++) {
                acc[i] *= correction;
            }
            for (int jj = 0; jj < ATT_BK; jj++) {
                float p = EXP(ps[r][jj] - mNew);
                l += p;
                for (int i = 0; i < ATT_DIMS; i++) {
                    int d = lane + i * ATT_TD;
                    if (d < headSize) {
                        acc[i] += p * vs[jj][d];
                    }
                }
            }
            m = mNew;
        }
    }
    if (t < nQueries) {
        for (int i = 0; i < ATT_DIMS; i++) {
            int d = lane + i * ATT_TD;
            if (d < headSize) {
                out[t * qStride + h * headSize + d] = acc[i] / l;
            }
        }
    }
}
