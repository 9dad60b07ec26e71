package dev.stepmem.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * e^x lane by lane from IEEE-exact operations only (fma, add, mul, min, max, bit moves), so a
 * lane's result is the same bits whether the JIT has compiled the caller or not.
 * {@code lanewise(VectorOperators.EXP)} is not: compiled code calls a vector math library
 * whose last bit can differ from the interpreter's per-lane {@code Math.exp}, which made two
 * identical runs give different logits. Cephes' expf: x = n ln2 + r with |r| <= ln2 / 2,
 * e^r by a degree-7 polynomial, then 2^n put into the exponent bits; about 1 ulp.
 */
final class VectorExp {
    private VectorExp() {
    }

    /** Below this e^x is under float's smallest normal: the result is 0. */
    static final float MIN_ARG = -87.33654f;
    /** Above this 2^n would overflow the exponent: arguments are clamped to it (e^88.37 = 2.4e38). */
    static final float MAX_ARG = 88.37626f;
    private static final float LOG2E = 1.44269504088896341f;
    /** 1.5 * 2^23: adding it rounds to an integer, which then sits in the low mantissa bits. */
    private static final float ROUND = 12582912f;
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    private static final float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f;
    private static final float P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

    static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(MIN_ARG).min(MAX_ARG);
        FloatVector t = xc.fma(LOG2E, ROUND);               // round(x log2 e) + 1.5 * 2^23
        FloatVector n = t.sub(ROUND);
        IntVector ni = ((IntVector) t.reinterpretAsInts()).sub(ROUND_BITS);
        FloatVector r = n.fma(xc.broadcast(-LN2_HI), xc);  // x - n ln2, in two exact steps
        r = n.fma(xc.broadcast(-LN2_LO), r);
        FloatVector p = r.fma(P0, P1).fma(r, r.broadcast(P2)).fma(r, r.broadcast(P3)).fma(r, r.broadcast(P4))
                .fma(r, r.broadcast(P5));
        FloatVector y = p.mul(r).fma(r, r).add(1f);         // 1 + r + r^2 p(r)
        FloatVector scale = ni.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return y.mul(scale).blend(0f, x.lt(MIN_ARG));
    }
}
