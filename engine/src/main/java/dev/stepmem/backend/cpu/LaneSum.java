package dev.stepmem.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The sum of a vector's lanes in one fixed order, a pairwise tree: lane i adds lane i + L/2,
 * then i + L/4, and so on. {@code reduceLanes(VectorOperators.ADD)} leaves the order to the
 * implementation, and the JIT-compiled order differs from the interpreter's, so the same
 * input gave different bits depending on when the JIT got to a loop. Shuffles and adds are
 * exact IEEE operations in every tier, so this sum is the same bits wherever it runs.
 */
final class LaneSum {
    private LaneSum() {
    }

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** FOLDS[s]: lane i reads lane i + (L >> (s + 1)), wrapping; lane 0 ends up holding the total. */
    private static final VectorShuffle<Float>[] FOLDS = folds();

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] folds() {
        int steps = Integer.numberOfTrailingZeros(F.length());
        VectorShuffle<Float>[] folds = new VectorShuffle[steps];
        for (int s = 0; s < steps; s++) {
            int half = F.length() >> (s + 1);
            folds[s] = VectorShuffle.fromOp(F, i -> (i + half) % F.length());
        }
        return folds;
    }

    static float of(FloatVector v) {
        for (VectorShuffle<Float> fold : FOLDS) {
            v = v.add(v.rearrange(fold));
        }
        return v.lane(0);
    }
}
