/*
 * out[T, n] = x[T, k] . w^T with w [n, k] stored as weight_t and widened to fp32 on load
 * (built once per weight dtype: the weights stay bf16/fp16 in device memory).
 *
 * Tiling: a work-group computes a GEMM_TM x GEMM_TN tile of out, stepping over k in slices of
 * GEMM_TK held in local memory; each work-item accumulates a GEMM_RM x GEMM_RN micro-tile in
 * registers, its rows and columns strided by the group's extent so that neighbouring
 * work-items read neighbouring local-memory words. Local size (GEMM_TN / GEMM_RN,
 * GEMM_TM / GEMM_RM); grid rounded up, ragged edges load zeros and skip their stores.
 */
#ifndef GEMM_TM
#define GEMM_TM 32
#endif
#ifndef GEMM_TN
#define GEMM_TN 32
#endif
#ifndef GEMM_TK
#define GEMM_TK 16
#endif
#ifndef GEMM_RM
#define GEMM_RM 4
#endif
#ifndef GEMM_RN
#define GEMM_RN 4
#endif
#define GEMM_LX (GEMM_TN / GEMM_RN)
#define GEMM_LY (GEMM_TM / GEMM_RM)

KERNEL void gemm(GLOBAL float *out, GLOBAL const float *x, GLOBAL const weight_t *w, int rows, int n, int k) {
    LOCAL float xs[GEMM_TK][GEMM_TM + 1]; /* x slice, transposed: xs[kk][m] */
    LOCAL float ws[GEMM_TK][GEMM_TN + 1]; /* w slice, transposed: ws[kk][j] */
    int tx = LID(0), ty = LID(1);
    int tid = ty * GEMM_LX + tx;
    int m0 = GROUP(1) * GEMM_TM, n0 = GROUP(0) * GEMM_TN;
    float acc[GEMM_RM][GEMM_RN];
    for (int a = 0; a < GEMM_RM; a++) {
        for (int b = 0; b < GEMM_RN; b++) {
            acc[a][b] = 0.0f;
        }
    }
    for (int k0 = 0; k0 < k; k0 += GEMM_TK) {
        /* k is the fastest index of both loads, so consecutive work-items read consecutive words */
        for (int e = tid; e < GEMM_TM * GEMM_TK; e += GEMM_LX * GEMM_LY) {
            int m = e / GEMM_TK, kk = e % GEMM_TK;
            int row = m0 + m, col = k0 + kk;
            xs[kk][m] = (row < rows && col < k) ? x[row * k + col] : 0.0f;
        }
        for (int e = tid; e < GEMM_TN * GEMM_TK; e += GEMM_LX * GEMM_LY) {
            int j = e / GEMM_TK, kk = e % GEMM_TK;
            int row = n0 + j, col = k0 + kk;
            ws[kk][j] = (row < n && col < k) ? WIDEN(w[row * k + col]) : 0.0f;
        }
        BARRIER();
        for (int kk = 0; kk < GEMM_TK; kk++) {
            float xa[GEMM_RM], wb[GEMM_RN];
            for (int a = 0; a < GEMM_RM; a++) {
                xa[a] = xs[kk][ty + a * GEMM_LY];
            }
            for (int b = 0; b < GEMM_RN; b++) {
                wb[b] = ws[kk][tx + b * GEMM_LX];
            }
            for (int a = 0; a < GEMM_RM; a++) {
                for (int b = 0; b < GEMM_RN; b++) {
                    acc[a][b] += xa[a] * wb[b];
                }
            }
        }
        BARRIER(); /* every work-item is done with this slice before the next overwrites it */
    }
    for (int a = 0; a < GEMM_RM; a++) {
        int row = m0 + ty + a * GEMM_LY;
        for (int b = 0; b < GEMM_RN; b++) {
            int col = n0 + tx + b * GEMM_LX;
            if (row < rows && col < n) {
                out[row * n + col] = acc[a][b];
            }
        }
    }
}
