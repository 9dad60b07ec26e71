package dev.stepmem.assets;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AssetCacheTest {
    @Test
    void resolutionOrder() {
        assertEquals(Path.of("/c"), AssetCache.resolve(Map.of("STEPMEM_CACHE", "/c", "XDG_CACHE_HOME", "/x")::get, "/h"));
        assertEquals(Path.of("/x/stepmem"), AssetCache.resolve(Map.of("XDG_CACHE_HOME", "/x")::get, "/h"));
        assertEquals(Path.of("/h/.cache/stepmem"), AssetCache.resolve(Map.of("XDG_CACHE_HOME", "rel")::get, "/h"));
        assertEquals(Path.of("/h/.cache/stepmem"), AssetCache.resolve(Map.of("STEPMEM_CACHE", " ")::get, "/h"));
    }

    @Test
    void stories15mPathsAreUnderTheCache() {
        Path root = AssetCache.dir();
        assertEquals(root.resolve("stories15M/model.bin"), Stories15m.modelFile().target());
        assertEquals(root.resolve("stories15M/tokenizer.bin"), Stories15m.tokenizerFile().target());
        assertEquals(Stories15m.TOKENIZER_END - Stories15m.MODEL_END, Stories15m.tokenizerFile().size());
    }
}
