package dev.stepmem.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from logits as llama2.c does: argmax at temperature 0, otherwise
 * softmax(logits / temperature) and nucleus (top-p) sampling from a seeded generator.
 */
public final class Sampler {
    private final float temperature;
    private final float topP;
    private final SplittableRandom random;

    public Sampler(float temperature, float topP, long seed) {
        if (!(temperature >= 0) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("--temperature must be a finite number >= 0, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("--top-p must be in (0, 1], got " + topP);
        }
        this.temperature = temperature;
        this.topP = topP;
        this.random = new SplittableRandom(seed);
    }

    public static Sampler greedy() {
        return new Sampler(0f, 1f, 0);
    }

    public int sample(float[] logits) {
        if (temperature == 0f) {
            return argmax(logits);
        }
        double[] p = softmax(logits, temperature);
        double coin = random.nextDouble();
        return topP >= 1f ? sampleAll(p, coin) : sampleTopP(p, coin);
    }

    public static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    private static double[] softmax(float[] logits, float temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l / temperature);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] / temperature - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    private static int sampleAll(double[] p, double coin) {
        double cdf = 0;
        for (int i = 0; i < p.length; i++) {
            cdf += p[i];
            if (coin < cdf) {
                return i;
            }
        }
        return p.length - 1; // rounding
    }

    /** Samples among the smallest set of most likely tokens whose probability exceeds topP. */
    private int sampleTopP(double[] p, double coin) {
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
        double mass = 0;
        int last = order.length - 1;
        for (int i = 0; i < order.length; i++) {
            mass += p[order[i]];
            if (mass > topP) {
                last = i;
                break;
            }
        }
        double r = coin * mass, cdf = 0;
        for (int i = 0; i <= last; i++) {
            cdf += p[order[i]];
            if (r < cdf) {
                return order[i];
            }
        }
        return order[last];
    }
}
