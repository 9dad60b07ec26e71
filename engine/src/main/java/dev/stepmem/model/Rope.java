package dev.stepmem.model;

/**
 * RoPE inverse frequencies for one forward pass. They depend on the forward's length only when
 * dynamic-NTK scaling is on ({@link RopeRule}: every LLaMA-family model in the paper's reference
 * code, LLaMA-2 and rope_scaling "dynamic" checkpoints by default):
 * factor = max(2^ceil(log2(T / ctx) + 1) - 1, 1) with T = positions in the forward - 1, and
 * base' = theta * factor^(headSize / (headSize - 2)). Below ctx positions it is plain RoPE.
 */
public final class Rope {
    private Rope() {
    }

    /** invFreq[i] = base^(-2i / headSize) for i < headSize / 2. */
    public static float[] inverseFrequencies(ModelConfig config, int positionsInForward) {
        int hs = config.headSize();
        double base = effectiveBase(config, positionsInForward);
        float[] inv = new float[hs / 2];
        for (int i = 0; i < hs / 2; i++) {
            inv[i] = (float) (1.0 / Math.pow(base, (2.0 * i) / hs));
        }
        return inv;
    }

    /** The RoPE base in force for a forward over this many positions. */
    public static double effectiveBase(ModelConfig config, int positionsInForward) {
        int ctx = config.dynamicNtkContext();
        int t = positionsInForward - 1;
        if (ctx <= 0 || t <= ctx) {
            return config.ropeTheta();
        }
        double factor = Math.max(Math.pow(2, Math.ceil(log2((double) t / ctx) + 1)) - 1, 1);
        int hs = config.headSize();
        return config.ropeTheta() * Math.pow(factor, (double) hs / (hs - 2));
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
