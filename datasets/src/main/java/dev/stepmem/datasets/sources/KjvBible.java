package dev.stepmem.datasets.sources;

import dev.stepmem.datasets.DatasetException;
import dev.stepmem.datasets.packages.InstalledPackage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The King James Bible from Debian's bible-kjv-text, whose text is stored in the compressed
 * format of Chip Chapin's Bible Retrieval System. The faithful way to read it is the packaged
 * reader, {@code bible} from bible-kjv, run from the unpacked tree (no install): it prints
 * Genesis 1:1 to Revelation 22:21 with "Book N" chapter headings and lines wrapped at 79
 * columns. The output is cut into the 66 books, one file each ("01-genesis" ... "66-revelation").
 */
public record KjvBible(String id, String readerPkg, String textPkg) implements TextSource {
    private static final Pattern FIRST_CHAPTER = Pattern.compile("(\\S.*) 1");

    public static KjvBible debian() {
        return new KjvBible("kjv", "bible-kjv", "bible-kjv-text");
    }

    @Override
    public List<String> packages() {
        return List.of(readerPkg, textPkg);
    }

    @Override
    public String describe() {
        return textPkg + ":/usr/lib/bible.data printed by " + readerPkg + ":/usr/bin/bible -l79 Gen1:1-Rev22:21, one file per book";
    }

    @Override
    public Listing list(Map<String, InstalledPackage> installed) throws IOException {
        Path bible = Trees.resolve(TextSource.need(installed, readerPkg).tree(), "usr/bin/bible", readerPkg);
        Path data = Trees.resolve(TextSource.need(installed, textPkg).tree(), "usr/lib/bible.data", textPkg);
        String text = run(bible, data);
        List<SourceEntry> books = new ArrayList<>();
        for (Book b : splitBooks(text)) {
            books.add(new BookEntry(String.format("%02d-%s", books.size() + 1, AustenNovels.slug(b.name())),
                    b.text().getBytes(StandardCharsets.UTF_8)));
        }
        return Listing.of(books);
    }

    private static String run(Path bible, Path data) throws IOException {
        List<String> cmd = List.of(bible.toString(), "-p", data.getParent().toString(), "-d", data.getFileName().toString(),
                "-l79", "Gen1:1-Rev22:21");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true);
        pb.environment().put("COLUMNS", "80");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new DatasetException("cannot run the KJV reader " + bible + " (" + e.getMessage() + "): it is an "
                    + "amd64 Linux program from bible-kjv and needs libreadline8. Install libreadline8, or build "
                    + "without the books domain.");
        }
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new DatasetException("the KJV reader " + bible + " failed (exit " + (p.isAlive() ? "timeout"
                        : p.exitValue()) + "): " + new String(out, 0, Math.min(out.length, 500), StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + bible, e);
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** A book of the Bible as printed by the reader. */
    record Book(String name, String text) {
    }

    /** Cuts the reader's output at each "Name 1" heading that stands between blank lines. */
    static List<Book> splitBooks(String text) {
        List<String> lines = text.lines().toList();
        List<Book> books = new ArrayList<>();
        String name = null;
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            boolean blankAround = (i == 0 || lines.get(i - 1).isEmpty()) && i + 1 < lines.size() && lines.get(i + 1).isEmpty();
            var m = FIRST_CHAPTER.matcher(line);
            if (blankAround && m.matches()) {
                if (name != null) {
                    books.add(new Book(name, cur.toString().strip() + "\n"));
                }
                name = m.group(1);
                cur.setLength(0);
            }
            cur.append(line).append('\n');
        }
        if (name == null) {
            throw new DatasetException("the KJV reader printed no book headings: " + text.substring(0, Math.min(200, text.length())));
        }
        books.add(new Book(name, cur.toString().strip() + "\n"));
        return books;
    }

    private record BookEntry(String path, byte[] text) implements SourceEntry {
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
