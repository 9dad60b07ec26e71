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
    private static final int L = F.length();
    // One constant shuffle per fold (lane i reads lane i + k, wrapping), so the JIT emits one
    // permute per fold; the folds beyond the species' lanes are skipped by constant branches.
    private static final VectorShuffle<Float> FOLD_8 = fold(8), FOLD_4 = fold(4), FOLD_2 = fold(2),
            FOLD_1 = fold(1);

    private static VectorShuffle<Float> fold(int k) {
        return VectorShuffle.fromOp(F, i -> (i + Math.min(k, L / 2)) % L);
    }

    static float of(FloatVector v) {
        if (L > 16) {
            throw new IllegalStateException("LaneSum folds up to 16 lanes, the preferred species has " + L);
        }
        if (L == 16) {
            v = v.add(v.rearrange(FOLD_8));
        }
        if (L >= 8) {
            v = v.add(v.rearrange(FOLD_4));
        }
        if (L >= 4) {
            v = v.add(v.rearrange(FOLD_2));
        }
        if (L >= 2) {
            v = v.add(v.rearrange(FOLD_1));
        }
        return v.lane(0);
    }
}
