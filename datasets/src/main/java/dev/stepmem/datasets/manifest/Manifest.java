package dev.stepmem.datasets.manifest;

import java.util.Map;
import java.util.TreeMap;

/**
 * What was built, written next to the documents as manifest.json: the tokenizers the counts
 * refer to and, per domain, the packages (with versions), sources and documents. It holds no
 * timestamps or absolute paths, so rebuilding from the same packages gives the same bytes.
 *
 * @param format     version of this layout
 * @param tokenizers tokenizer name -> what it is and the sha256 of its file
 * @param domains    domain name -> what was built for it
 */
public record Manifest(int format, Map<String, TokenizerInfo> tokenizers, Map<String, DomainEntry> domains) {
    public static final int FORMAT = 1;

    public static Manifest empty() {
        return new Manifest(FORMAT, new TreeMap<>(), new TreeMap<>());
    }

    public Manifest {
        tokenizers = new TreeMap<>(tokenizers);
        domains = new TreeMap<>(domains);
    }

    public Manifest with(String domain, DomainEntry entry, Map<String, TokenizerInfo> usedTokenizers) {
        Map<String, DomainEntry> d = new TreeMap<>(domains);
        d.put(domain, entry);
        Map<String, TokenizerInfo> t = new TreeMap<>(tokenizers);
        t.putAll(usedTokenizers);
        return new Manifest(format, t, d);
    }

    public Manifest without(String domain) {
        Map<String, DomainEntry> d = new TreeMap<>(domains);
        d.remove(domain);
        return new Manifest(format, tokenizers, d);
    }
}
