package dev.stepmem.prefill;

/**
 * Perplexity of one document's final chunk (METHOD.md §6).
 *
 * @param perplexity   exp(meanNll)
 * @param meanNll      mean cross-entropy over the scored tokens, in nats
 * @param scoredTokens c, the final chunk's tokens (the first predicted from the prefix's last position)
 * @param prefix       the chunked prefill of the first L - c tokens that preceded the scoring;
 *                     null for the full-attention reference, which is one forward
 */
public record PerplexityResult(double perplexity, double meanNll, int scoredTokens, PrefillResult prefix) {
}
