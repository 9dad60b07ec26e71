package dev.stepmem.datasets.manifest;

import com.fasterxml.jackson.core.JacksonException;
import dev.stepmem.datasets.AtomicFiles;
import dev.stepmem.datasets.DatasetException;
import dev.stepmem.datasets.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads and atomically replaces {@code documents/manifest.json}. */
public final class ManifestStore {
    public static final String FILE = "manifest.json";

    private final Path file;

    public ManifestStore(Path documentsDir) {
        this.file = documentsDir.resolve(FILE);
    }

    public Path file() {
        return file;
    }

    public boolean exists() {
        return Files.isRegularFile(file);
    }

    /** The manifest, or an empty one if none was written yet. */
    public Manifest read() {
        if (!exists()) {
            return Manifest.empty();
        }
        try {
            Manifest m = Json.MAPPER.readValue(file.toFile(), Manifest.class);
            if (m.format() != Manifest.FORMAT) {
                throw new DatasetException(file + " has format " + m.format() + ", this tool writes " + Manifest.FORMAT
                        + ": rebuild with `datasets build`.");
            }
            return m;
        } catch (JacksonException e) {
            throw new DatasetException(file + " is not a valid manifest (" + e.getOriginalMessage()
                    + "): delete it and run `datasets build` again.", e);
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public void write(Manifest m) throws IOException {
        AtomicFiles.write(file, Json.pretty(m));
    }
}
