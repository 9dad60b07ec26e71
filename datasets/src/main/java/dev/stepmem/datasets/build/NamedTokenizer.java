package dev.stepmem.datasets.build;

import dev.stepmem.datasets.manifest.TokenizerInfo;
import dev.stepmem.tokenizer.Tokenizer;

/**
 * A tokenizer under the name the manifest counts tokens for.
 *
 * @param name      "llama2", "internlm2", or a test's own
 * @param info      what it is and the sha256 of its file (a different file invalidates counts)
 * @param tokenizer the encoder
 */
public record NamedTokenizer(String name, TokenizerInfo info, Tokenizer tokenizer) {
    /** Tokens of {@code text} as a document: no BOS, no EOS. */
    public int count(String text) {
        return tokenizer.encode(text, false, false).length;
    }
}
