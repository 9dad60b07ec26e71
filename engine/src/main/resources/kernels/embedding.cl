/*
 * out[t, :] = table[tokens[t], :] widened to fp32. out [T, d], table [V, d] in weight_t
 * (built once per weight dtype). Token ids are checked on the host. Grid: (d, T).
 */
KERNEL void embedding(GLOBAL float *out, GLOBAL const int *tokens, GLOBAL const weight_t *table, int d, int rows) {
    int i = GID(0), t = GID(1);
    if (i < d && t < rows) {
        out[t * d + i] = WIDEN(table[tokens[t] * d + i]);
    }
}
