package dev.stepmem.quality;

import dev.stepmem.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Passkey accuracy over a depth x length grid: {@code trials} prompts per cell, each with its own
 * key (seed + a running trial number, so cells never share keys), answered by an {@link Answerer}
 * and scored by exact match ({@link PasskeyPrompts#exactMatch}).
 */
public final class PasskeyGrid {
    /** Answer tokens decoded per prompt: the key's digits plus room for a leading space and a period. */
    public static final int ANSWER_TOKENS = PasskeyPrompts.KEY_DIGITS + 3;

    /** One cell: how many of {@code trials} prompts of this length and depth were answered exactly. */
    public record Cell(int length, double depth, int correct, int trials, String lastAnswer) {
        public double accuracy() {
            return (double) correct / trials;
        }
    }

    /** Receives each cell as it completes (for progress lines). */
    @FunctionalInterface
    public interface Listener {
        void cellDone(Cell cell);
    }

    private PasskeyGrid() {}

    public static List<Cell> run(Tokenizer tokenizer, Answerer answerer, int[] lengths, double[] depths, int trials,
                                 long seed, Listener listener) {
        if (trials < 1) {
            throw new IllegalArgumentException("passkey trials must be >= 1, got " + trials);
        }
        List<Cell> cells = new ArrayList<>();
        long trial = 0;
        for (int length : lengths) {
            for (double depth : depths) {
                int correct = 0;
                String answer = "";
                for (int t = 0; t < trials; t++) {
                    PasskeyPrompt p = PasskeyPrompts.build(tokenizer, length, depth, seed + trial++);
                    answer = tokenizer.decode(answerer.answer(p.tokens(), ANSWER_TOKENS));
                    if (PasskeyPrompts.exactMatch(answer, p.key())) {
                        correct++;
                    }
                }
                Cell cell = new Cell(length, depth, correct, trials, answer);
                cells.add(cell);
                if (listener != null) {
                    listener.cellDone(cell);
                }
            }
        }
        return cells;
    }

    /** Correct answers over all prompts of the grid. */
    public static double accuracy(List<Cell> cells) {
        int correct = 0, trials = 0;
        for (Cell c : cells) {
            correct += c.correct();
            trials += c.trials();
        }
        return trials == 0 ? Double.NaN : (double) correct / trials;
    }
}
