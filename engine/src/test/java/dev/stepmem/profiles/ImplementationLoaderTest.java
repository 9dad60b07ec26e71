package dev.stepmem.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Implementation profile files: every field validated, every number sourced, errors naming file and field. */
class ImplementationLoaderTest {
    static final String VALID = """
            name = "test-impl"
            description = "a test implementation"
            flash_query_rows = "memory_and_chunk"
            dispatch_overhead = "10 us"
            [fractions]
            matmul = 1.0
            eager_map_bandwidth = 0.25
            flash_attention = 0.5
            [map_passes]
            probabilities = 12
            apply = 1
            window_sums = 2
            [ops]
            rmsnorm = 8
            [memory]
            kv = 2
            maps = 4.5
            activations = 2
            reserve = "1 GiB"
            [sources]
            flash_query_rows = "s"
            dispatch_overhead = "s"
            fractions_matmul = "s"
            fractions_eager_map_bandwidth = "s"
            fractions_flash_attention = "s"
            map_passes_probabilities = "s"
            map_passes_apply = "s"
            map_passes_window_sums = "s"
            ops = "s"
            memory_kv = "s"
            memory_maps = "s"
            memory_activations = "s"
            memory_reserve = "s"
            """;

    private static ImplementationProfile parse(String text) {
        return ImplementationLoader.parse("bad.toml", text.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRefused(String text, String field, String problem) {
        String m = assertThrows(ProfileException.class, () -> parse(text)).getMessage();
        assertTrue(m.startsWith("profile bad.toml: field '" + field + "'"), m);
        assertTrue(m.contains(problem), m);
    }

    @Test
    void readsEveryField() {
        ImplementationProfile p = parse(VALID);
        assertTrue(p.flashPadsMemory());
        assertEquals(10e-6, p.dispatchOverhead(), 1e-15);
        assertEquals(0.25, p.fractions().eagerMapBandwidth());
        assertEquals(12, p.mapPasses().probabilities());
        assertEquals(8, p.opsPerCall().get("rmsnorm"));
        assertEquals(4.5, p.memory().mapBytes());
        assertEquals(1L << 30, p.memory().reserveBytes());
    }

    @Test
    void opsAndMemoryAreOptionalAndThenNeedNoSources() {
        String plain = VALID.replaceAll("(?s)\\[ops\\].*?\\[sources\\]", "[sources]")
                .replaceAll("(?m)^(ops|memory_\\w+) = \"s\"\n", "");
        ImplementationProfile p = parse(plain);
        assertTrue(p.opsPerCall().isEmpty());
        assertNull(p.memory(), "no [memory]: the CPU backends' ledger");
    }

    @Test
    void badFieldsAreNamed() {
        assertRefused(VALID.replace("eager_map_bandwidth = 0.25", "eager_map_bandwidth = 1.5"),
                "fractions.eager_map_bandwidth", "must be in (0, 1]");
        assertRefused(VALID.replace("rmsnorm = 8", "rmsnrom = 8"), "ops.rmsnrom", "unknown field");
        assertRefused(VALID.replace("rmsnorm = 8", "rmsnorm = 0"), "ops.rmsnorm", "positive whole number");
        assertRefused(VALID.replace("\"memory_and_chunk\"", "\"all\""), "flash_query_rows", "chunk or memory_and_chunk");
        assertRefused(VALID.replace("dispatch_overhead = \"10 us\"", "dispatch_overhead = \"-1 us\""),
                "dispatch_overhead", "must not be negative");
        assertRefused(VALID.replace("apply = 1\n", ""), "map_passes.apply", "missing");
        assertRefused(VALID.replace("memory_maps = \"s\"\n", ""), "sources.memory_maps", "missing");
        assertRefused(VALID.replace("memory_maps = \"s\"", "memory_maps = \" \""), "sources.memory_maps",
                "must say where the number comes from");
        assertRefused(VALID.replace("kv = 2\n", "kv = -2\n"), "memory.kv", "must be a positive number");
    }

    @Test
    void theRepositoryHasBothImplementationsAndAFolderWithoutOneUsesThem(@TempDir Path dir) throws Exception {
        ProfileRegistry repo = ProfileRegistry.fromFolder(Path.of("../profiles"));
        assertEquals(java.util.List.of("efficient", "reference-eager"),
                repo.implementations().stream().map(ImplementationProfile::name).toList());
        ImplementationProfile efficient = repo.implementation("efficient");
        assertFalse(efficient.flashPadsMemory());
        assertNull(efficient.memory(), "efficient charges memory as the CPU backends do");
        Files.writeString(dir.resolve("t.toml"), ProfileTexts.valid("t", "8 GB"));
        assertEquals(repo.implementations().stream().map(ImplementationProfile::sha256).toList(),
                ProfileRegistry.fromFolder(dir).implementations().stream().map(ImplementationProfile::sha256).toList());
        String m = assertThrows(IllegalArgumentException.class, () -> repo.implementation("fast")).getMessage();
        assertTrue(m.contains("no implementation profile named 'fast'") && m.contains("efficient, reference-eager"), m);
    }
}
