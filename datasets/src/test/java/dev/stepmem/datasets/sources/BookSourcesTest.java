package dev.stepmem.datasets.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.datasets.FakeDebs;
import dev.stepmem.datasets.packages.DebPackages;
import dev.stepmem.datasets.packages.InstalledPackage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two book sources on fake packages laid out like the real ones. */
class BookSourcesTest {
    @TempDir
    Path tmp;

    static final String BIBLE_OUTPUT = "\nGenesis 1\n\n  1 In the beginning God created the heaven and the earth.\n"
            + "\nGenesis 2\n\n  1 Thus the heavens and the earth were finished.\n"
            + "\nSong of Solomon 1\n\n  1 The song of songs, which is Solomon's.\n  2 Verse 1\n";

    Map<String, InstalledPackage> install(FakeDebs debs, String... names) {
        DebPackages p = new DebPackages(tmp.resolve("packages"), debs, new PrintStream(new ByteArrayOutputStream()));
        return java.util.Arrays.stream(names).collect(java.util.stream.Collectors.toMap(n -> n, n -> p.ensure(n, false)));
    }

    static List<String> texts(TextSource.Listing l) throws IOException {
        List<String> out = new java.util.ArrayList<>();
        for (SourceEntry e : l.entries()) {
            out.add(e.path() + "|" + new String(e.read(), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void austenNovelsAreNamedByTitleAndSorted() throws IOException {
        byte[] rdb = RCharacterVectorsTest.rdb(List.of(List.of("PERSUASION", "", "Chapter 1"), List.of("EMMA", "Text")));
        FakeDebs debs = new FakeDebs().put("r-cran-janeaustenr", "1.0.0-1",
                Map.of("usr/lib/R/site-library/janeaustenr/data/Rdata.rdb", rdb));
        try (TextSource.Listing l = AustenNovels.debian().list(install(debs, "r-cran-janeaustenr"))) {
            assertEquals(List.of("emma|EMMA\nText\n", "persuasion|PERSUASION\n\nChapter 1\n"), texts(l));
        }
    }

    @Test
    void theBibleReaderRunsFromTheUnpackedTreeAndIsCutIntoBooks() throws IOException {
        // The reader's stand-in checks it gets the data folder and the whole-Bible range.
        String reader = "#!/bin/sh\n[ \"$1\" = -p ] && [ -f \"$2/$4\" ] && [ \"$6\" = Gen1:1-Rev22:21 ] || exit 3\n"
                + "printf '%s' '" + BIBLE_OUTPUT.replace("'", "'\\''") + "'\n";
        FakeDebs debs = new FakeDebs()
                .put("bible-kjv", "4.38", Map.of("usr/bin/bible", reader.getBytes(StandardCharsets.UTF_8)))
                .put("bible-kjv-text", "4.38", Map.of("usr/lib/bible.data", new byte[]{1, 2, 3}));
        try (TextSource.Listing l = KjvBible.debian().list(install(debs, "bible-kjv", "bible-kjv-text"))) {
            List<String> books = texts(l);
            assertEquals(2, books.size(), books.toString());
            assertTrue(books.get(0).startsWith("01-genesis|Genesis 1\n\n  1 In the beginning")
                    && books.get(0).contains("Genesis 2"), books.get(0));
            assertEquals("02-song-of-solomon|Song of Solomon 1\n\n  1 The song of songs, which is Solomon's.\n  2 Verse 1\n",
                    books.get(1));
        }
    }
}
