package dev.stepmem.ops;

import dev.stepmem.backend.Backend;
import dev.stepmem.backend.Tensor;
import dev.stepmem.backend.sim.OpCost;
import dev.stepmem.tensor.DType;
import dev.stepmem.tensor.HostTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One op at one shape, as the harness runs it on every backend: how to set up its seeded inputs
 * on a backend, the tolerance its result must meet against the plain reference, and its work in
 * the sim's counting (FLOPs, bytes) for the napkin math.
 *
 * @param op        the Backend method ("matmul", "attention", ...)
 * @param shape     the shape in words, e.g. "[77, 519] x [1379, 519]^T"
 * @param operands  the dtype of the matrix operands (the weight's for matmul), which sets the modeled rate
 * @param tolerance max |got - want| / max |want| allowed (0 = exact), as the op tests use, for
 *                  backends that compute from fp32 activations
 * @param cost      FLOPs and bytes of one call, counted as the sim counts them
 * @param setup     puts the inputs on a backend (untimed) and returns the call to time
 */
public record OpCase(String op, String shape, DType operands, double tolerance, OpCost cost,
                     Function<Inputs, Prepared> setup) {

    /**
     * Relative error allowed for a matmul whose activations are rounded to the 16-bit weight type
     * first, as a vendor GEMM needs them (cuBLAS GemmEx: bf16 x bf16, fp16 x fp16): about 8 unit
     * roundoffs of that type (bf16 2^-9, fp16 2^-11) against the fp32-activation reference, which
     * OpCasesTest checks by rounding on the host. Other ops and fp32 keep {@link #tolerance}.
     */
    public double tolerance(boolean roundsActivations) {
        if (!roundsActivations || !op.equals("matmul") || operands == DType.F32) {
            return tolerance;
        }
        return operands == DType.BF16 ? 8 * 0x1p-9 : 8 * 0x1p-11;
    }

    /** An op with its inputs in place on one backend. */
    public interface Prepared {
        /** One call of the op (what is timed). */
        void run();

        /** The op's result on the host, after {@link #run}. */
        float[] output();
    }

    /** The buffers a case puts on a backend, freed together when the case is done with it. */
    public static final class Inputs implements AutoCloseable {
        private final Backend backend;
        private final List<Tensor> owned = new ArrayList<>();

        Inputs(Backend backend) {
            this.backend = backend;
        }

        public Backend backend() {
            return backend;
        }

        /** A [rows, cols] fp32 buffer holding values. */
        public Tensor filled(int rows, int cols, float[] values) {
            Tensor t = zeros(rows, cols);
            backend.write(t, 0, values, rows);
            return t;
        }

        public Tensor zeros(int rows, int cols) {
            Tensor t = backend.allocate("act.ops", rows, cols);
            owned.add(t);
            return t;
        }

        public Tensor weight(HostTensor w) {
            Tensor t = backend.upload(w);
            owned.add(t);
            return t;
        }

        /** Reads a whole tensor back. */
        public float[] read(Tensor t) {
            float[] host = new float[t.rows() * t.cols()];
            backend.read(t, 0, t.rows(), host);
            return host;
        }

        @Override
        public void close() {
            owned.forEach(backend::free);
            owned.clear();
        }
    }
}
