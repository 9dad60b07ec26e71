package dev.stepmem.profiles;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.fuzz.ByteMutations;
import dev.stepmem.fuzz.ParserProperty;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Property: a device profile of any bytes loads or is refused with one ProfileException line naming the file. */
class ProfileParserPropertiesTest {
    @TempDir
    Path dir;

    @Test
    void anyProfileLoadsOrIsRefusedByName() throws Exception {
        byte[] valid = ProfileTexts.valid("fuzzed", "24 GiB").getBytes(StandardCharsets.UTF_8);
        int refused = ParserProperty.holds(ByteMutations.of(valid, 400, 50), dir.resolve("fuzzed.toml"),
                f -> ProfileLoader.parse(f.toString(), Files.readAllBytes(f)), ProfileException.class);
        assertTrue(refused > 200, refused + " of 400 refused");
    }
}
