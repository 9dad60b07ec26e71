package dev.stepmem.datasets.sample;

/**
 * One sampled sequence.
 *
 * @param documentId the document's id in the manifest, or "FILE:LINE" for JSON lines
 * @param ids        exactly L token ids: BOS, then the document's first L-1 tokens (as the
 *                   model sees a prompt; {@code stepmem prefill --input} encodes the same way)
 */
public record Sample(String documentId, int[] ids) {
}
