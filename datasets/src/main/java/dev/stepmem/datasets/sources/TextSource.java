package dev.stepmem.datasets.sources;

import dev.stepmem.datasets.packages.InstalledPackage;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * One project's worth of text inside one or more Debian packages (the Go standard library, the
 * PARI manual, the KJV): an ordered list of files. The order is fixed (sorted paths unless a
 * source says otherwise), so the same package gives the same documents.
 */
public interface TextSource {
    /** Short name used in document ids and the manifest ("go", "pari", "kjv"). */
    String id();

    /** The Debian packages it reads. */
    List<String> packages();

    /** Where in the packages the text is and how it is selected, for the manifest and README. */
    String describe();

    /** Lists the files; {@link Listing#close()} releases anything opened (a zip file). */
    Listing list(Map<String, InstalledPackage> installed) throws IOException;

    /** The files of a source in their fixed order. */
    record Listing(List<SourceEntry> entries, Closeable resources) implements Closeable {
        public static Listing of(List<SourceEntry> entries) {
            return new Listing(entries, () -> { });
        }

        public long totalSize() {
            return entries.stream().mapToLong(SourceEntry::size).sum();
        }

        @Override
        public void close() throws IOException {
            resources.close();
        }
    }

    /** The installed package named {@code name}, which the builder must have fetched. */
    static InstalledPackage need(Map<String, InstalledPackage> installed, String name) {
        InstalledPackage p = installed.get(name);
        if (p == null) {
            throw new IllegalStateException("package " + name + " was not fetched");
        }
        return p;
    }
}
