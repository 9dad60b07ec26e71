package dev.stepmem.datasets.manifest;

import java.util.List;

/**
 * One source of a domain.
 *
 * @param id       short name used by documents
 * @param from     where in the packages its files are
 * @param packages the packages it reads
 * @param files    how many files it lists (before skipping non-UTF-8 ones)
 * @param bytes    their total size as stored
 */
public record SourceInfo(String id, String from, List<String> packages, int files, long bytes) {
}
