package dev.stepmem.backend.cpu;

import static dev.stepmem.tensor.HostTensor.F32_LE;

import dev.stepmem.backend.Backend;
import dev.stepmem.backend.MemoryLedger;
import dev.stepmem.backend.Tensor;
import dev.stepmem.tensor.DType;
import dev.stepmem.tensor.HostTensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Buffer handling shared by the two host backends: each activation is its own off-heap arena
 * (so it can be freed on its own), weights are used in place, and rows are checked on every copy.
 */
abstract class HostMemoryBackend implements Backend {
    private final MemoryLedger ledger;

    HostMemoryBackend(MemoryLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public MemoryLedger ledger() {
        return ledger;
    }

    @Override
    public Tensor allocate(String label, int rows, int cols) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("buffer " + label + ": bad shape [" + rows + ", " + cols + "]");
        }
        ledger.charge(label, (long) rows * cols * 4);
        Arena arena = Arena.ofShared();
        MemorySegment seg = arena.allocate((long) rows * cols * 4, 64);
        return new CpuTensor(label, DType.F32, rows, cols, seg, arena);
    }

    @Override
    public Tensor upload(HostTensor weight) {
        CpuTensor t = CpuTensor.wrap(weight);
        ledger.charge(t.label(), weight.byteSize());
        return t;
    }

    @Override
    public void free(Tensor t) {
        CpuTensor c = CpuTensor.of(t);
        if (c.arena != null) {
            c.arena.close();
        }
        ledger.release(c.label(), c.byteSize());
    }

    @Override
    public void write(Tensor dst, int row, float[] src, int nRows) {
        CpuTensor d = f32(dst);
        checkRows(d, row, nRows);
        MemorySegment.copy(src, 0, d.data, F32_LE, (long) row * d.cols() * 4, nRows * d.cols());
    }

    @Override
    public void read(Tensor src, int row, int nRows, float[] dst) {
        CpuTensor s = f32(src);
        checkRows(s, row, nRows);
        MemorySegment.copy(s.data, F32_LE, (long) row * s.cols() * 4, dst, 0, nRows * s.cols());
    }

    @Override
    public void fillZero(Tensor dst, int row, int nRows) {
        CpuTensor d = f32(dst);
        checkRows(d, row, nRows);
        long rowBytes = (long) d.cols() * 4;
        d.data.asSlice(row * rowBytes, nRows * rowBytes).fill((byte) 0);
    }

    @Override
    public void copyRows(Tensor src, int srcRow, Tensor dst, int dstRow, int nRows) {
        CpuTensor s = f32(src), d = f32(dst);
        if (s.cols() != d.cols()) {
            throw new IllegalArgumentException("copyRows " + s.label() + " -> " + d.label() + ": cols differ");
        }
        checkRows(s, srcRow, nRows);
        checkRows(d, dstRow, nRows);
        long rowBytes = (long) s.cols() * 4;
        MemorySegment.copy(s.data, srcRow * rowBytes, d.data, dstRow * rowBytes, nRows * rowBytes);
    }

    @Override
    public void embedding(Tensor out, int[] tokens, Tensor table) {
        CpuTensor o = f32(out), tab = CpuTensor.of(table);
        checkRows(o, 0, tokens.length);
        HostTensor h = tab.host();
        float[] row = new float[tab.cols()];
        for (int t = 0; t < tokens.length; t++) {
            if (tokens[t] < 0 || tokens[t] >= tab.rows()) {
                throw new IllegalArgumentException("token id " + tokens[t] + " at position " + t
                        + " is outside the vocabulary [0, " + tab.rows() + ")");
            }
            h.getRow(tokens[t], row);
            MemorySegment.copy(row, 0, o.data, F32_LE, (long) t * o.cols() * 4, row.length);
        }
    }

    /** Plain loops: compaction is pure data movement, the same in both host backends. */
    @Override
    public void compactKv(Tensor k, Tensor v, int firstRow, int[][] keep, int headSize) {
        CpuTensor kt = f32(k), vt = f32(v);
        for (int g = 0; g < keep.length; g++) {
            int[] rows = keep[g];
            for (int r = 0; r < rows.length; r++) {
                if (rows[r] < r || (r > 0 && rows[r] <= rows[r - 1])) {
                    throw new IllegalArgumentException("compactKv: indices of KV head " + g
                            + " must be strictly ascending, got " + java.util.Arrays.toString(rows));
                }
                checkRows(kt, firstRow + rows[r], 1);
                if (rows[r] == r) {
                    continue;
                }
                long from = ((long) (firstRow + rows[r]) * kt.cols() + (long) g * headSize) * 4;
                long to = ((long) (firstRow + r) * kt.cols() + (long) g * headSize) * 4;
                MemorySegment.copy(kt.data, from, kt.data, to, headSize * 4L);
                MemorySegment.copy(vt.data, from, vt.data, to, headSize * 4L);
            }
        }
    }

    static CpuTensor f32(Tensor t) {
        CpuTensor c = CpuTensor.of(t);
        if (c.dtype() != DType.F32) {
            throw new IllegalArgumentException("tensor " + c.label() + " must be F32, is " + c.dtype());
        }
        return c;
    }

    static void checkRows(Tensor t, int row, int nRows) {
        if (row < 0 || nRows < 0 || (long) row + nRows > t.rows()) {
            throw new IndexOutOfBoundsException("rows [" + row + ", " + (row + nRows) + ") outside "
                    + t.label() + " with " + t.rows() + " rows");
        }
    }
}
