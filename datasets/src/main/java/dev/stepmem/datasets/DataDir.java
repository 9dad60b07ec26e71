package dev.stepmem.datasets;

import dev.stepmem.assets.AssetCache;

import java.nio.file.Path;

/**
 * Where the datasets live: {@code packages/} (downloaded .deb files and their unpacked trees) and
 * {@code documents/} (manifest.json, CHANGES.log and one folder of documents per domain). The
 * default is the asset cache's "datasets" folder, outside the repository.
 */
public record DataDir(Path root) {
    public static DataDir defaultDir() {
        return new DataDir(AssetCache.dir().resolve("datasets"));
    }

    public Path packages() {
        return root.resolve("packages");
    }

    public Path documents() {
        return root.resolve("documents");
    }

    public Path domain(String name) {
        return documents().resolve(name);
    }
}
