package dev.stepmem.datasets.packages;

import java.nio.file.Path;

/**
 * Downloads one Debian package by name. The real one runs {@code apt-get download}; tests build
 * small .deb files instead, so the whole pipeline runs without a network.
 */
public interface PackageFetcher {
    /**
     * Puts the package's .deb into the empty folder {@code dir} and returns it.
     *
     * @throws dev.stepmem.datasets.DatasetException naming the package and what to do
     */
    Path download(String packageName, Path dir);
}
