/*
 * Per-token loss of scored tokens: nll[t] = -log softmax(logits[t, :])[targets[t]]
 * = log(sum_j exp(logits[t, j] - max)) + max - logits[t, target], as ChunkedPrefill.crossEntropy.
 * logits [T, V]. One work-group of CE_LOCAL per row; grid (CE_LOCAL * T).
 */
#ifndef CE_LOCAL
#define CE_LOCAL 256
#endif

KERNEL void cross_entropy(GLOBAL float *nll, GLOBAL const float *logits, GLOBAL const int *targets, int vocab) {
    LOCAL float scratch[CE_LOCAL];
    int row = GROUP(0), lid = LID(0);
    GLOBAL const float *x = logits + row * vocab;
    float mx = NEG_INF;
    for (int j = lid; j < vocab; j += CE_LOCAL) {
        mx = FMAX(mx, x[j]);
    }
    mx = group_max(scratch, mx);
    float sum = 0.0f;
    for (int j = lid; j < vocab; j += CE_LOCAL) {
        sum += EXP(x[j] - mx);
    }
    sum = group_sum(scratch, sum);
    if (lid == 0) {
        nll[row] = LOG(sum) + mx - x[targets[row]];
    }
}
