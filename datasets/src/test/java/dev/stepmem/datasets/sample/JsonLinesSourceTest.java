package dev.stepmem.datasets.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.datasets.DatasetException;
import dev.stepmem.datasets.TestTokenizers;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RedPajama-style JSON lines: reading, line-numbered errors, and sampling from them. */
class JsonLinesSourceTest {
    @TempDir
    Path tmp;

    Path file(String name, String content) throws IOException {
        return Files.writeString(tmp.resolve(name), content);
    }

    static List<JsonLinesSource.Line> read(Path p) {
        List<JsonLinesSource.Line> out = new ArrayList<>();
        new JsonLinesSource(p).forEach(out::add);
        return out;
    }

    @Test
    void readsTextFieldsSkipsBlankLinesIgnoresMeta() throws IOException {
        Path p = file("a.jsonl", "{\"text\": \"first\\ndoc\", \"meta\": {\"source\": \"arxiv\"}}\n\n{\"text\": \"second é\"}\n");
        assertEquals(List.of(new JsonLinesSource.Line(1, "first\ndoc"), new JsonLinesSource.Line(3, "second é")), read(p));
    }

    @Test
    void gzippedFilesAreReadToo() throws IOException {
        Path p = tmp.resolve("a.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write("{\"text\": \"zipped\"}\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(List.of(new JsonLinesSource.Line(1, "zipped")), read(p));
    }

    @Test
    void aMalformedLineIsReportedWithItsNumber() throws IOException {
        Path p = file("bad.jsonl", "{\"text\": \"ok\"}\n{\"text\": \"also ok\"}\n{\"text\": \"cut off\n");
        DatasetException e = assertThrows(DatasetException.class, () -> read(p));
        assertTrue(e.getMessage().startsWith(p + ":3: not a valid JSON line"), e.getMessage());
        Path noText = file("notext.jsonl", "{\"text\": \"ok\"}\n{\"content\": \"x\"}\n");
        DatasetException e2 = assertThrows(DatasetException.class, () -> read(noText));
        assertEquals(noText + ":2: has no string field \"text\"", e2.getMessage());
        Path array = file("array.jsonl", "[1, 2]\n");
        assertTrue(assertThrows(DatasetException.class, () -> read(array)).getMessage().startsWith(array + ":1: expected a JSON object"));
        DatasetException missing = assertThrows(DatasetException.class, () -> read(tmp.resolve("none.jsonl")));
        assertTrue(missing.getMessage().contains("no such readable file"));
    }

    @Test
    void samplingIsDeterministicAndSkipsShortDocuments() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            sb.append("{\"text\": \"").append(i % 4 == 0 ? "short" : ("document " + i + " ").repeat(10)).append("\"}\n");
        }
        Path p = file("docs.jsonl", sb.toString());
        var t = TestTokenizers.BYTES.tokenizer();
        List<Sample> a = DatasetSampler.sample(new JsonLinesSource(p), t, 5, 50, 42);
        List<Sample> b = DatasetSampler.sample(new JsonLinesSource(p), t, 5, 50, 42);
        assertEquals(a.stream().map(Sample::documentId).toList(), b.stream().map(Sample::documentId).toList());
        for (Sample s : a) {
            assertEquals(50, s.ids().length);
            assertEquals(1, s.ids()[0], "starts with BOS");
            int line = Integer.parseInt(s.documentId().substring(s.documentId().indexOf(':') + 1));
            assertTrue(line % 4 != 1, "short documents (lines 1, 5, ...) are never chosen: " + s.documentId());
            assertTrue(t.decode(s.ids()).startsWith("document "), t.decode(s.ids()));
        }
        DatasetException few = assertThrows(DatasetException.class,
                () -> DatasetSampler.sample(new JsonLinesSource(p), t, 16, 50, 1));
        assertTrue(few.getMessage().contains("15 documents of at least 50 tokens"), few.getMessage());
    }
}
