package dev.stepmem.backend;

/** The loss of one prediction on the host, in double: the plain reference of every device's loss. */
public final class CrossEntropy {
    private CrossEntropy() {
    }

    /** -log softmax(logits)[target]. */
    public static double of(float[] logits, int target) {
        double max = Double.NEGATIVE_INFINITY;
        for (float x : logits) {
            max = Math.max(max, x);
        }
        double sum = 0;
        for (float x : logits) {
            sum += Math.exp(x - max);
        }
        return Math.log(sum) + max - logits[target];
    }
}
