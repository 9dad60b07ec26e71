package dev.stepmem.datasets.sources;

import java.io.IOException;

/** One file of a source, read only when a document needs it (a source can hold 200 MB). */
public interface SourceEntry {
    /** Path shown in the document's separator and recorded in the manifest, "/"-separated. */
    String path();

    /** Size in bytes as stored (compressed size for .gz files); used to estimate what is left. */
    long size();

    /** The raw bytes of the file (decompressed if it was gzipped). */
    byte[] read() throws IOException;
}
