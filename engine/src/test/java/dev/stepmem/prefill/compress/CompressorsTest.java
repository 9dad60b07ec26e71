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
    void unknownNamesListTheValidOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Compressors.parse("h2o"));
        assertTrue(e.getMessage().contains("unknown compressor 'h2o'; valid: streamingllm, snapkv, snapkv-contiguous-gqa, "
                + "snapkv-chunk-window, snapkv-window, snapkv-window:<rows>"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Compressors.parse(null));
        var w = assertThrows(IllegalArgumentException.class, () -> Compressors.parse("snapkv-window:0"));
        assertTrue(w.getMessage().contains("positive number of query rows"), w.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Compressors.parse("snapkv-window:x"));
    }
}
