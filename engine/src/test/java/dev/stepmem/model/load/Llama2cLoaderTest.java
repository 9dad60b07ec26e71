package dev.stepmem.model.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.model.ModelWeights;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The llama2.c loader on small checkpoints written here: good, truncated, inconsistent, untied. */
class Llama2cLoaderTest {
    @TempDir
    Path dir;

    /** dim 16, hidden 40, 2 layers, 4 heads, 2 KV heads, vocab 11, seq_len 8. */
    static final int[] HEADER = {16, 40, 2, 4, 2, 11, 8};

    static Path write(Path file, int[] header, long floatsDelta) throws IOException {
        int d = header[0], h = header[1], l = header[2], heads = header[3], kvh = header[4],
                v = Math.abs(header[5]), seq = header[6];
        int hs = d / heads, kv = kvh * hs;
        long floats = (long) v * d + l * d + (long) l * d * d + 2L * l * kv * d + (long) l * d * d + l * d
                + 3L * l * h * d + d + 2L * seq * (hs / 2) + (header[5] < 0 ? (long) v * d : 0) + floatsDelta;
        ByteBuffer buf = ByteBuffer.allocate((int) (28 + floats * 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : header) {
            buf.putInt(x);
        }
        SplittableRandom r = new SplittableRandom(1);
        while (buf.hasRemaining()) {
            buf.putFloat((float) r.nextDouble(-0.1, 0.1));
        }
        Files.write(file, buf.array());
        return file;
    }

    @Test
    void loadsTiedCheckpointAndSlicesTensorsInFileOrder() throws IOException {
        Path f = write(dir.resolve("tiny.bin"), HEADER, 0);
        try (ModelWeights w = Llama2cLoader.load(f)) {
            assertEquals(16, w.config().dim());
            assertEquals(8, w.config().kvDim());
            assertSame(w.tokenEmbedding(), w.classifier(), "tied classifier is the embedding");
            // the first float after the header is token_embedding[0][0]
            ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(raw.getFloat(28), w.tokenEmbedding().get(0, 0));
            // wk of layer 1 starts after emb, rms_att (L*d), wq (L*d*d) and wk of layer 0
            long wk1 = 28 + 4L * (11 * 16 + 2 * 16 + 2 * 16 * 16 + 8 * 16);
            assertEquals(raw.getFloat((int) wk1), w.layers().get(1).wk().get(0, 0));
        }
    }

    @Test
    void untiedCheckpointHasItsOwnClassifier() throws IOException {
        int[] h = HEADER.clone();
        h[5] = -11;
        try (ModelWeights w = Llama2cLoader.load(write(dir.resolve("untied.bin"), h, 0))) {
            assertTrue(w.classifier() != w.tokenEmbedding());
            assertEquals(11, w.classifier().rows());
        }
    }

    @Test
    void truncatedCheckpointNamesFileAndSizes() throws IOException {
        Path f = write(dir.resolve("cut.bin"), HEADER, -3);
        var e = assertThrows(CheckpointException.class, () -> Llama2cLoader.load(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void trailingBytesAreReported() throws IOException {
        Path f = write(dir.resolve("long.bin"), HEADER, 5);
        var e = assertThrows(CheckpointException.class, () -> Llama2cLoader.load(f));
        assertTrue(e.getMessage().contains("trailing bytes"), e.getMessage());
    }

    @Test
    void inconsistentHeaderIsRejected() throws IOException {
        int[] h = HEADER.clone();
        h[3] = 3; // 16 is not divisible by 3 heads
        Path f = write(dir.resolve("bad.bin"), h, 0);
        var e = assertThrows(CheckpointException.class, () -> Llama2cLoader.load(f));
        assertTrue(e.getMessage().contains("not divisible by n_heads"), e.getMessage());
    }

    @Test
    void garbageAndMissingFilesAreRejected() throws IOException {
        Path tiny = Files.write(dir.resolve("short.bin"), new byte[10]);
        assertTrue(assertThrows(CheckpointException.class, () -> Llama2cLoader.load(tiny))
                .getMessage().contains("shorter than the 28-byte header"));
        Path zeros = Files.write(dir.resolve("zeros.bin"), new byte[1000]);
        assertTrue(assertThrows(CheckpointException.class, () -> Llama2cLoader.load(zeros))
                .getMessage().contains("not a llama2.c checkpoint"));
        Path missing = dir.resolve("nope.bin");
        assertTrue(assertThrows(CheckpointException.class, () -> Llama2cLoader.load(missing))
                .getMessage().contains("no such file"));
    }
}
