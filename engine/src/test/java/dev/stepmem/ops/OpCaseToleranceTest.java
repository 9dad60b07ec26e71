package dev.stepmem.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.tensor.DType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The vendor GEMM tolerance (activations rounded to the weight's 16-bit type, as cuBLAS's GemmEx
 * needs them) holds for what that rounding does, computed on the host in double, and is needed:
 * the rounding alone is far beyond the fp32-activation tolerance.
 */
class OpCaseToleranceTest {

    @ParameterizedTest(name = "rows={0} n={1} k={2}")
    @CsvSource({"77, 1379, 390", "3, 64, 4096", "2, 40, 11008"})
    void roundingTheActivationsStaysWithinTheVendorTolerance(int rows, int n, int k) {
        float[] x = SeededTensors.random(rows * k, 1), w = SeededTensors.random(n * k, 2);
        for (DType type : new DType[] {DType.BF16, DType.F16}) {
            float[] wt = new float[w.length], xr = new float[x.length];
            for (int i = 0; i < w.length; i++) {
                wt[i] = widen(type, w[i]); // the weight as stored
            }
            for (int i = 0; i < x.length; i++) {
                xr[i] = widen(type, x[i]); // the activations as the vendor GEMM sees them
            }
            float[] exact = matmul(x, wt, rows, n, k), rounded = matmul(xr, wt, rows, n, k);
            OpCase c = new OpCase("matmul", "", type, 1e-5, null, null);
            double error = OpHarness.relativeError(exact, rounded);
            assertTrue(error <= c.tolerance(true), type + ": " + error + " > " + c.tolerance(true));
            assertTrue(error > c.tolerance(false), type + ": the rounding shows (" + error + ")");
        }
        assertEquals(1e-5, new OpCase("rmsnorm", "", DType.BF16, 1e-5, null, null).tolerance(true), "only matmuls");
    }

    private static float widen(DType type, float v) {
        return type == DType.BF16 ? DType.bf16ToFloat(DType.floatToBf16(v)) : Float.float16ToFloat(Float.floatToFloat16(v));
    }

    private static float[] matmul(float[] x, float[] w, int rows, int n, int k) {
        float[] out = new float[rows * n];
        for (int t = 0; t < rows; t++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int i = 0; i < k; i++) {
                    s += (double) x[t * k + i] * w[j * k + i];
                }
                out[t * n + j] = (float) s;
            }
        }
        return out;
    }
}
