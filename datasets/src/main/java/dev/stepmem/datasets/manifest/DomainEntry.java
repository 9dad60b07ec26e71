package dev.stepmem.datasets.manifest;

import dev.stepmem.datasets.packages.InstalledPackage;

import java.util.List;

/**
 * A built domain.
 *
 * @param description what the domain stands for
 * @param settings    how it was cut
 * @param packages    every package read, with its exact version and .deb checksum
 * @param sources     its sources, in the order documents are drawn from them
 * @param documents   standard documents in id order, then the long one if any
 */
public record DomainEntry(String description, BuildSettings settings, List<InstalledPackage> packages,
                          List<SourceInfo> sources, List<DocumentEntry> documents) {
}
