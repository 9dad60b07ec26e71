package dev.stepmem.datasets.build;

import dev.stepmem.datasets.sources.TextSource;

import java.util.List;

/**
 * An evaluation domain: a name, what it stands in for, and its sources. Standard documents are
 * drawn from the sources in turn (round robin), so each domain mixes its projects.
 */
public record Domain(String name, String description, List<TextSource> sources) {
    public List<String> packages() {
        return sources.stream().flatMap(s -> s.packages().stream()).distinct().toList();
    }
}
