package dev.stepmem.prefill;

/**
 * A chunked prefill followed by greedy decoding from its compressed memory.
 *
 * @param prefill   the prefill (its first token is {@code generated[0]})
 * @param generated the greedy tokens, first token included, up to and including a stop token
 */
public record Decoded(PrefillResult prefill, int[] generated) {
    public Decoded {
        generated = generated.clone();
    }

    @Override
    public int[] generated() {
        return generated.clone();
    }
}
