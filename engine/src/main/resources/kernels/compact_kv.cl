/*
 * The K/V gather after a selection, in place and per KV head: for head g and r < counts[g],
 * rows firstRow + r of k and v take head g's columns from row firstRow + keep[g * keepStride + r].
 * k, v [S, cols] with cols = nKvHeads * headSize. Each keep row is strictly ascending (checked
 * on the host), so keep[r] >= r.
 *
 * Why one work-group per head walking blocks of COMPACT_ROWS rows in order: a fully parallel
 * copy would race (a row may be read as a source while another work-item overwrites it as a
 * destination). Block b reads its sources (rows >= its first row) into local memory, then, after
 * a barrier, writes its destinations; every later block reads only rows past this block's last.
 * Local size (COMPACT_LOCAL); grid (COMPACT_LOCAL * nKvHeads).
 */
#ifndef COMPACT_LOCAL
#define COMPACT_LOCAL 128
#endif
#ifndef COMPACT_ROWS
#define COMPACT_ROWS 16
#endif

KERNEL void compact_kv(GLOBAL float *k, GLOBAL float *v, GLOBAL const int *keep, GLOBAL const int *counts,
                       int keepStride, int firstRow, int headSize, int cols) {
    LOCAL float kb[COMPACT_ROWS * HEAD_MAX];
    LOCAL float vb[COMPACT_ROWS * HEAD_MAX];
    int g = GROUP(0), lid = LID(0);
    int count = counts[g];
    for (int r0 = 0; r0 < count; r0 += COMPACT_ROWS) {
        int elements = IMIN(COMPACT_ROWS, count - r0) * headSize;
        for (int e = lid; e < elements; e += COMPACT_LOCAL) {
            int r = r0 + e / headSize, d = e % headSize;
            int src = (firstRow + keep[g * keepStride + r]) * cols + g * headSize + d;
            kb[e] = k[src];
            vb[e] = v[src];
        }
        BARRIER_GLOBAL();
        for (int e = lid; e < elements; e += COMPACT_LOCAL) {
            int r = r0 + e / headSize, d = e % headSize;
            int dst = (firstRow + r) * cols + g * headSize + d;
            k[dst] = kb[e];
            v[dst] = vb[e];
        }
        BARRIER_GLOBAL();
    }
}
