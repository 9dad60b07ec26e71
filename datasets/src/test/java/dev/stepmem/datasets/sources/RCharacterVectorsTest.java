package dev.stepmem.datasets.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.datasets.DatasetException;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** R's lazy-load database format as janeaustenr ships it: zlib blocks of serialized character vectors. */
class RCharacterVectorsTest {
    static byte[] rdb(List<List<String>> vectors) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        vectors.forEach(v -> out.writeBytes(RCharacterVectors.block(RCharacterVectors.serialize(v))));
        return out.toByteArray();
    }

    @Test
    void readsEveryVectorInOrder() {
        List<List<String>> in = List.of(List.of("EMMA", "", "By Jane Austen", "Émile's café"),
                List.of("PERSUASION", "Chapter 1"));
        assertEquals(in, RCharacterVectors.readAll(rdb(in), "test.rdb"));
    }

    @Test
    void truncatedOrForeignDataIsReportedWithTheFile() {
        byte[] good = rdb(List.of(List.of("EMMA", "text")));
        DatasetException cut = assertThrows(DatasetException.class,
                () -> RCharacterVectors.readAll(Arrays.copyOf(good, good.length - 6), "data/Rdata.rdb"));
        assertTrue(cut.getMessage().startsWith("data/Rdata.rdb"), cut.getMessage());
        byte[] ints = RCharacterVectors.serialize(List.of("x"));
        ints[2 + 12 + 4 + 5 + 3] = 13; // the object's type: INTSXP instead of STRSXP
        DatasetException type = assertThrows(DatasetException.class,
                () -> RCharacterVectors.readAll(RCharacterVectors.block(ints), "data/Rdata.rdb"));
        assertTrue(type.getMessage().contains("R type 13, not a character vector"), type.getMessage());
    }
}
