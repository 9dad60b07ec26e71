package dev.stepmem.datasets.packages;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.nio.file.Path;

/**
 * A Debian package unpacked in the cache.
 *
 * @param name      package name
 * @param version   its Version field, exactly as dpkg-deb reports it
 * @param debFile   file name of the .deb it came from
 * @param debSha256 sha256 of that .deb
 * @param debBytes  size of that .deb
 * @param tree      the unpacked root (holds usr/...); not serialized
 */
public record InstalledPackage(String name, String version, String debFile, String debSha256, long debBytes,
                               @JsonIgnore Path tree) {
    public InstalledPackage withTree(Path t) {
        return new InstalledPackage(name, version, debFile, debSha256, debBytes, t);
    }
}
