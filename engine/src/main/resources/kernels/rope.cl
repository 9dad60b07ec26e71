/*
 * Rotary embedding in place. x [T, nHeads * headSize]; row t is at position firstPosition + t;
 * pair i of each head turns by angle position * invFreq[i] (invFreq [headSize / 2]).
 * rotateHalf = 0: pairs (2i, 2i + 1) (llama2.c); 1: pairs (i, i + headSize / 2) (Hugging Face).
 * One work-item per (row, head, pair): no two touch the same element.
 */
KERNEL void rope(GLOBAL float *x, GLOBAL const float *invFreq, int rows, int nHeads, int headSize,
                 int firstPosition, int rotateHalf) {
    int pairs = headSize / 2;
    int gid = GID(0);
    if (gid >= rows * nHeads * pairs) {
        return;
    }
    int i = gid % pairs;
    int h = (gid / pairs) % nHeads;
    int t = gid / (pairs * nHeads);
    float angle = (float) (firstPosition + t) * invFreq[i]; /* fp32 product, as the host reference */
    float c = COS(angle), s = SIN(angle);
    int base = t * nHeads * headSize + h * headSize;
    int a = rotateHalf ? base + i : base + 2 * i;
    int b = rotateHalf ? base + i + pairs : base + 2 * i + 1;
    float x0 = x[a], x1 = x[b];
    x[a] = x0 * c - x1 * s;
    x[b] = x0 * s + x1 * c;
}
