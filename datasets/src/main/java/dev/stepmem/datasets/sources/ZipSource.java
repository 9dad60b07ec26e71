package dev.stepmem.datasets.sources;

import dev.stepmem.datasets.packages.InstalledPackage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Files with one extension inside a zip shipped by a package (OpenJDK's src.zip), in sorted entry order. */
public record ZipSource(String id, String pkg, String zip, String extension) implements TextSource {

    @Override
    public List<String> packages() {
        return List.of(pkg);
    }

    @Override
    public String describe() {
        return pkg + ":/" + zip + "!/**/*" + extension;
    }

    @Override
    public Listing list(Map<String, InstalledPackage> installed) throws IOException {
        Path file = Trees.resolve(TextSource.need(installed, pkg).tree(), zip, pkg);
        ZipFile zf = new ZipFile(file.toFile());
        List<SourceEntry> entries = zf.stream()
                .filter(e -> !e.isDirectory() && e.getName().endsWith(extension))
                .sorted(Comparator.comparing(ZipEntry::getName))
                .<SourceEntry>map(e -> new Entry(zf, e))
                .toList();
        return new Listing(entries, zf);
    }

    private record Entry(ZipFile zf, ZipEntry e) implements SourceEntry {
        @Override
        public String path() {
            return e.getName();
        }

        @Override
        public long size() {
            return e.getSize();
        }

        @Override
        public byte[] read() throws IOException {
            try (InputStream in = zf.getInputStream(e)) {
                return in.readAllBytes();
            }
        }
    }
}
