package dev.stepmem.prefill.compress;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompressorsTest {

    @Test
    void parsesEveryName() {
        assertInstanceOf(StreamingLlm.class, Compressors.parse("streamingllm"));
        assertInstanceOf(StreamingLlm.class, Compressors.parse("streaming_llm")); // the reference's spelling
        assertInstanceOf(SnapKv.class, Compressors.parse(" SnapKV "));
        assertEquals(GqaGrouping.STRIDED, ((SnapKv) Compressors.parse("snapkv")).grouping());
        assertEquals(GqaGrouping.CONTIGUOUS, ((SnapKv) Compressors.parse("snapkv_contiguous_gqa")).grouping());
        assertEquals(32, ((SnapKvWindow) Compressors.parse("snapkv-window")).window());
        assertEquals(64, ((SnapKvWindow) Compressors.parse("snapkv-window:64")).window());
    }

    @Test
    void namesRoundTrip() {
        for (String n : new String[] {"streamingllm", "snapkv", "snapkv-contiguous-gqa", "snapkv-chunk-window", "snapkv-window",
                "snapkv-window:64"}) {
            assertEquals(n, Compressors.parse(n).name());
        }
    }

    @Test
    void theBeyondThePaperCompressorsRoundTrip() {
        for (String n : new String[] {"h2o", "tova", "scissorhands", "knorm", "sage-kv", "sage-kv-token", "pyramidkv",
                "pyramidkv:h2o", "pyramidkv:snapkv-window:64", "random", "random:7"}) {
            assertEquals(n, Compressors.parse(n).name());
        }
        assertInstanceOf(SnapKv.class, ((PyramidKv) Compressors.parse("pyramidkv")).inner());
        assertEquals(-3, ((RandomEviction) Compressors.parse("random:-3")).seed());
        for (String n : Compressors.NAMES) {
            if (!n.contains("<")) {
                assertEquals(n, Compressors.parse(n).name(), "every listed name parses");
            }
        }
    }

    @Test
    void badParametersNameTheProblem() {
        var seed = assertThrows(IllegalArgumentException.class, () -> Compressors.parse("random:x"));
        assertTrue(seed.getMessage().contains("the seed after ':' must be an integer"), seed.getMessage());
        var inner = assertThrows(IllegalArgumentException.class, () -> Compressors.parse("pyramidkv:nope"));
        assertTrue(inner.getMessage().contains("unknown compressor 'nope'"), inner.getMessage());
        var twice = assertThrows(IllegalArgumentException.class, () -> Compressors.parse("pyramidkv:pyramidkv"));
        assertTrue(twice.getMessage().contains("not itself pyramidkv"), twice.getMessage());
    }

    @Test
    void unknownNamesListTheValidOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Compressors.parse("h3o"));
        assertTrue(e.getMessage().contains("unknown compressor 'h3o'; valid: streamingllm, snapkv, snapkv-contiguous-gqa, "
                + "snapkv-chunk-window, snapkv-window, snapkv-window:<rows>, h2o, tova"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Compressors.parse(null));
        var w = assertThrows(IllegalArgumentException.class, () -> Compressors.parse("snapkv-window:0"));
        assertTrue(w.getMessage().contains("positive number of query rows"), w.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Compressors.parse("snapkv-window:x"));
    }
}
