/*
 * out[t, :] = x[t, :] / sqrt(mean(x[t, :]^2) + eps) * w. x, out [T, d] (out may be x), w [1, d].
 * One work-group of RMS_LOCAL work-items per row: each sums the squares of a strided slice, the
 * group reduces them through local memory, then each scales its own slice (so writing over x
 * never races with another work-item's reads).
 */
#ifndef RMS_LOCAL
#define RMS_LOCAL 256
#endif

KERNEL void rmsnorm(GLOBAL float *out, GLOBAL const float *x, GLOBAL const float *w, int d, float eps) {
    LOCAL float partial[RMS_LOCAL];
    int row = GROUP(0), lid = LID(0);
    GLOBAL const float *in = x + row * d;
    float ss = 0.0f;
    for (int i = lid; i < d; i += RMS_LOCAL) {
        float v = in[i];
        ss += v * v;
    }
    partial[lid] = ss;
    BARRIER();
    for (int stride = RMS_LOCAL / 2; stride > 0; stride >>= 1) {
        if (lid < stride) {
            partial[lid] += partial[lid + stride];
        }
        BARRIER();
    }
    float scale = 1.0f / SQRT(partial[0] / (float) d + eps);
    for (int i = lid; i < d; i += RMS_LOCAL) {
        out[row * d + i] = in[i] * scale * w[i];
    }
}
