package dev.stepmem.datasets.sources;

import dev.stepmem.datasets.packages.InstalledPackage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Files with given extensions under one folder of a package, in sorted path order (so a
 * project's folders stay together, as when a repository is concatenated). Debian gzips many
 * documentation files: "NAME.ext.gz" counts as "NAME.ext" and is read decompressed.
 */
public record DirectorySource(String id, String pkg, String root, List<String> extensions) implements TextSource {

    @Override
    public List<String> packages() {
        return List.of(pkg);
    }

    @Override
    public String describe() {
        return pkg + ":/" + root + "/**/*{" + String.join(",", extensions) + "}[.gz]";
    }

    @Override
    public Listing list(Map<String, InstalledPackage> installed) throws IOException {
        Path dir = Trees.resolve(TextSource.need(installed, pkg).tree(), root, pkg);
        List<SourceEntry> entries = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                String rel = dir.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
                if (selected(rel)) {
                    entries.add(new FileEntry(rel, p, Files.size(p)));
                }
            }
        }
        entries.sort((a, b) -> a.path().compareTo(b.path()));
        return Listing.of(entries);
    }

    private boolean selected(String rel) {
        String name = rel.endsWith(".gz") ? rel.substring(0, rel.length() - 3) : rel;
        return extensions.stream().anyMatch(name::endsWith);
    }

    private record FileEntry(String path, Path file, long size) implements SourceEntry {
        @Override
        public byte[] read() throws IOException {
            if (!path.endsWith(".gz")) {
                return Files.readAllBytes(file);
            }
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                return in.readAllBytes();
            }
        }
    }
}
