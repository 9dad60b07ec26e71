package dev.stepmem.datasets.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded permutation. Fisher-Yates over java.util.Random, whose generator the JDK specifies,
 * so a seed picks the same documents on every JDK and machine.
 */
final class SeededOrder {
    private SeededOrder() {
    }

    static <T> List<T> shuffle(List<T> items, long seed) {
        List<T> out = new ArrayList<>(items);
        Random r = new Random(seed);
        for (int i = out.size() - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            T t = out.get(i);
            out.set(i, out.get(j));
            out.set(j, t);
        }
        return out;
    }
}
