package dev.stepmem.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder of profiles: every file is a device, names are unique, real devices are matched by name. */
class ProfileRegistryTest {
    @TempDir
    Path dir;

    @Test
    void theRepositoryFolderHasTheIssuesDevices() {
        ProfileRegistry r = ProfileRegistry.fromFolder(Path.of("../profiles"));
        assertTrue(r.names().containsAll(List.of("a800-80gb", "a100-80gb", "rtx3090-24gb", "rtx4090-24gb", "l4-24gb",
                "h100-sxm-80gb", "h200-141gb", "cpu-host")), r.names().toString());
        assertEquals("rtx3090-24gb", r.match("NVIDIA GeForce RTX 3090").orElseThrow().name());
        assertEquals("h100-sxm-80gb", r.match("NVIDIA H100 80GB HBM3").orElseThrow().name());
        assertEquals("l4-24gb", r.match("NVIDIA L4").orElseThrow().name());
        assertTrue(r.match("NVIDIA GeForce RTX 3090 Ti").isEmpty(), "a 3090 Ti is another card");
    }

    @Test
    void theBuiltInCopiesAreTheRepositoryFolder() {
        ProfileRegistry builtin = ProfileRegistry.builtin(), folder = ProfileRegistry.fromFolder(Path.of("../profiles"));
        assertEquals(folder.names(), builtin.names());
        for (DeviceProfile p : folder.all()) {
            assertEquals(p.sha256(), builtin.get(p.name()).sha256(), p.name());
        }
    }

    @Test
    void aNewFileIsANewDevice() throws Exception {
        ProfileTexts.copyRepositoryProfiles(dir);
        Files.writeString(dir.resolve("my-gpu.toml"), ProfileTexts.valid("my-gpu", "12 GiB"));
        ProfileRegistry r = ProfileRegistry.fromFolder(dir);
        assertEquals(12L << 30, r.get("my-gpu").usableMemory());
        assertEquals(dir + "/my-gpu.toml", r.get("my-gpu").file());
    }

    @Test
    void duplicateNamesAreRefusedNamingBothFiles() throws Exception {
        Files.writeString(dir.resolve("a.toml"), ProfileTexts.valid("same", "8 GB"));
        Files.writeString(dir.resolve("b.toml"), ProfileTexts.valid("same", "16 GB"));
        String m = assertThrows(ProfileException.class, () -> ProfileRegistry.fromFolder(dir)).getMessage();
        assertTrue(m.startsWith("profile " + dir + "/b.toml: field 'name'") && m.contains(dir + "/a.toml"), m);
    }

    @Test
    void unknownNamesListTheKnownOnes() throws Exception {
        Files.writeString(dir.resolve("a.toml"), ProfileTexts.valid("only", "8 GB"));
        String m = assertThrows(IllegalArgumentException.class, () -> ProfileRegistry.fromFolder(dir).get("nope")).getMessage();
        assertTrue(m.contains("no profile named 'nope'") && m.contains("only"), m);
    }
}
