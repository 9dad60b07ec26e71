package dev.stepmem.datasets.sources;

import dev.stepmem.datasets.packages.InstalledPackage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Jane Austen's six completed novels from the R package janeaustenr (Debian r-cran-janeaustenr):
 * each is a character vector of the Project Gutenberg text's lines inside data/Rdata.rdb. A
 * novel becomes one file named after its title (its first line), lines joined with "\n".
 */
public record AustenNovels(String id, String pkg, String rdb) implements TextSource {
    public static AustenNovels debian() {
        return new AustenNovels("austen", "r-cran-janeaustenr", "usr/lib/R/site-library/janeaustenr/data/Rdata.rdb");
    }

    @Override
    public List<String> packages() {
        return List.of(pkg);
    }

    @Override
    public String describe() {
        return pkg + ":/" + rdb + " (R character vectors, one per novel)";
    }

    @Override
    public Listing list(Map<String, InstalledPackage> installed) throws IOException {
        Path file = Trees.resolve(TextSource.need(installed, pkg).tree(), rdb, pkg);
        List<SourceEntry> novels = new ArrayList<>();
        for (List<String> lines : RCharacterVectors.readAll(Files.readAllBytes(file), file.toString())) {
            String title = lines.stream().filter(l -> !l.isBlank()).findFirst().orElse("untitled").strip();
            byte[] text = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
            novels.add(new Novel(slug(title), text));
        }
        novels.sort(Comparator.comparing(SourceEntry::path));
        return Listing.of(novels);
    }

    static String slug(String title) {
        return title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    private record Novel(String path, byte[] text) implements SourceEntry {
        @Override
        public long size() {
            return text.length;
        }

        @Override
        public byte[] read() {
            return text.clone();
        }
    }
}
