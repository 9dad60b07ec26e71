package dev.stepmem.datasets.sample;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.stepmem.datasets.DatasetException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: a JSON-lines file of any content is either read line by line or refused with one
 * DatasetException line naming the file. The files are seeded random lines assembled from JSON
 * fragments (so that most get far into the parser) and hostile bytes.
 */
class JsonLinesPropertiesTest {
    @TempDir
    Path dir;

    private static final String[] FRAGMENTS = {"{", "}", "[", "]", ",", ":", "\"text\"", "\"text\": ", "\"meta\": {}",
            "\"a story\"", "\"caf\u00e9 \\u00e9 \\n\"", "\"\\ud800\"", "\"\\u12\"", "null", "true", "5", "-0.0", "1e999",
            "\"", "\\", " ", "\t", "{\"text\": \"ok\"}", "{\"text\": 7}", "{\"text\": null}", "\"x".repeat(3)};
    private static final byte[][] HOSTILE = {{(byte) 0xff}, {(byte) 0xc3}, {(byte) 0xef, (byte) 0xbb, (byte) 0xbf},
            {0}, {'\r'}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80}};

    static byte[] randomFile(SplittableRandom r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int line = r.nextInt(7); line > 0; line--) {
            for (int k = r.nextInt(8); k > 0; k--) {
                if (r.nextInt(6) == 0) {
                    out.writeBytes(HOSTILE[r.nextInt(HOSTILE.length)]);
                } else {
                    out.writeBytes(FRAGMENTS[r.nextInt(FRAGMENTS.length)].getBytes(StandardCharsets.UTF_8));
                }
            }
            if (r.nextInt(8) != 0) {
                out.write('\n');
            }
        }
        return out.toByteArray();
    }

    @Test
    void anyJsonLinesFileIsReadOrRefusedByName() throws Exception {
        SplittableRandom r = new SplittableRandom(60);
        Path file = dir.resolve("docs.jsonl");
        int refused = 0, cases = 600;
        for (int i = 0; i < cases; i++) {
            byte[] bytes = randomFile(r);
            Files.write(file, bytes);
            try {
                new JsonLinesSource(file).forEach(l -> l.text().length());
            } catch (DatasetException e) {
                if (!e.getMessage().startsWith(file.toString()) || e.getMessage().contains("\n")) {
                    fail("case " + i + ": the message does not name the file on one line: " + e.getMessage());
                }
                refused++;
            } catch (Throwable t) {
                fail("case " + i + " (" + HexFormat.of().formatHex(bytes, 0, Math.min(64, bytes.length)) + ") threw " + t, t);
            }
        }
        assertTrue(refused > cases / 2, refused + " of " + cases + " refused");
    }
}
