package dev.stepmem.datasets.manifest;

import java.util.List;
import java.util.Map;

/**
 * One document: a contiguous run of whole files of one source, each preceded by the separator.
 *
 * @param id       e.g. "github-03" or "github-long"
 * @param kind     "standard" (cut to at least minTokens) or "long" (at least longTokens; it starts
 *                 at the beginning of its source, so it overlaps that source's standard documents)
 * @param file     the text file, relative to the manifest's folder
 * @param source   the source id
 * @param start    first byte in the source's stream (all its files with separators, in order)
 * @param end      one past the last byte in that stream
 * @param sha256   of the document's UTF-8 text (the whole file)
 * @param tokens   tokenizer name -> token count of the whole text (no BOS/EOS)
 * @param target   the minimum token count it was cut for
 * @param files    the files it is made of, in order
 */
public record DocumentEntry(String id, String kind, String file, String source, long start, long end, String sha256,
                            Map<String, Integer> tokens, int target, List<String> files) {
    public static final String STANDARD = "standard";
    public static final String LONG = "long";

    public long bytes() {
        return end - start;
    }

    /** The smallest count over the tokenizers: what "at least N tokens" is checked against. */
    public int minTokens() {
        return tokens.values().stream().mapToInt(Integer::intValue).min().orElse(0);
    }
}
