package dev.stepmem.quality;

/** Produces the answer tokens to a prompt: in the CLI, chunked prefill then greedy decoding from the memory. */
@FunctionalInterface
public interface Answerer {
    /** The generated tokens after {@code prompt}, at most {@code maxNewTokens}. */
    int[] answer(int[] prompt, int maxNewTokens);
}
