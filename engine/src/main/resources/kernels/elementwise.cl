/* Elementwise ops over flat fp32 ranges; one work-item per element, the grid rounded up. */

/* x[offset, offset + count) = 0 */
KERNEL void fill_zero(GLOBAL float *x, int offset, int count) {
    int i = GID(0);
    if (i < count) {
        x[offset + i] = 0.0f;
    }
}

/* x += y over count elements ([T, cols] flattened) */
KERNEL void add(GLOBAL float *x, GLOBAL const float *y, int count) {
    int i = GID(0);
    if (i < count) {
        x[i] += y[i];
    }
}

/* gate = silu(gate) * up over count elements ([T, hidden] flattened) */
KERNEL void swiglu(GLOBAL float *gate, GLOBAL const float *up, int count) {
    int i = GID(0);
    if (i < count) {
        float g = gate[i];
        gate[i] = g / (1.0f + EXP(-g)) * up[i];
    }
}
