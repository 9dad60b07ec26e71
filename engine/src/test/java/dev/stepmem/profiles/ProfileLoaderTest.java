package dev.stepmem.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.tensor.DType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Profile files: units parsed strictly, every field validated, every error naming file and field. */
class ProfileLoaderTest {
    private static String error(String text) {
        return assertThrows(ProfileException.class,
                () -> ProfileLoader.parse("bad.toml", text.getBytes(StandardCharsets.UTF_8))).getMessage();
    }

    private static void assertNames(String message, String field) {
        assertTrue(message.startsWith("profile bad.toml: field '" + field + "'"), message);
    }

    @Test
    void readsEveryFieldWithItsUnit() {
        DeviceProfile p = ProfileTexts.parse("t1", "24 GiB");
        assertEquals(24L << 30, p.usableMemory());
        assertEquals(100e12, p.matrixRate(DType.BF16));
        assertEquals(10e12, p.matrixRate(DType.F32));
        assertEquals(1000e9, p.bandwidth());
        assertEquals(5e-6, p.launchOverhead(), 1e-15);
        assertEquals(0, p.matmulOverhead(), "matmul_overhead is optional, 0 when absent");
        assertEquals(0.5, p.achievable().matmul());
        assertEquals(64, p.sha256().length());
        assertTrue(p.matches("NVIDIA test gpu t1"), "the match pattern is case-insensitive");
    }

    @Test
    void theA800FileSaysWhatItsDatasheetSays() throws Exception {
        DeviceProfile a800 = ProfileRegistry.fromFolder(java.nio.file.Path.of("../profiles")).get("a800-80gb");
        assertEquals(312e12, a800.bf16Tensor());
        assertEquals(2039e9, a800.bandwidth());
        assertEquals(79L << 30, a800.usableMemory());
        assertTrue(a800.matches("NVIDIA A800-SXM4-80GB"));
    }

    @Test
    void missingFieldIsNamed() {
        assertNames(error(ProfileTexts.valid("x", "8 GB").replace("bandwidth = \"1000 GB/s\"\n", "")), "bandwidth");
        assertNames(error(ProfileTexts.valid("x", "8 GB").replace("eager_attention = 0.5\n", "")),
                "achievable.eager_attention");
        assertNames(error(ProfileTexts.valid("x", "8 GB").replace("fp32 = \"test\"\n", "")), "sources.fp32");
    }

    @Test
    void negativeMemoryIsRefused() {
        String m = error(ProfileTexts.valid("x", "8 GB").replace("memory_usable = \"8 GB\"", "memory_usable = \"-8 GB\""));
        assertNames(m, "memory_usable");
        assertTrue(m.contains("must be positive"), m);
    }

    @Test
    void unknownUnitIsRefused() {
        String m = error(ProfileTexts.valid("x", "8 GB").replace("\"1000 GB/s\"", "\"1000 GB/h\""));
        assertNames(m, "bandwidth");
        assertTrue(m.contains("unknown unit 'GB/h'"), m);
        assertNames(error(ProfileTexts.valid("x", "8 GB").replace("\"5 us\"", "\"5\"")), "launch_overhead");
        assertNames(error(ProfileTexts.valid("x", "8 GB").replace("memory_total = \"8 GB\"", "memory_total = \"8 Gb\"")),
                "memory_total");
    }

    @Test
    void theOptionalMatmulOverheadIsValidatedAndNeedsASource() {
        String with = ProfileTexts.valid("x", "8 GB").replace("launch_overhead = \"5 us\"\n",
                "launch_overhead = \"5 us\"\nmatmul_overhead = \"0.4 ms\"\n");
        assertTrue(with.contains("matmul_overhead"), "the test text has the field");
        assertNames(error(with), "sources.matmul_overhead");
        String sourced = with.replace("[sources]\n", "[sources]\nmatmul_overhead = \"measured\"\n");
        assertEquals(0.4e-3, ProfileLoader.parse("ok.toml", sourced.getBytes(StandardCharsets.UTF_8)).matmulOverhead(),
                1e-15);
        assertNames(error(sourced.replace("\"0.4 ms\"", "\"-1 ms\"")), "matmul_overhead");
        assertNames(error(sourced.replace("\"0.4 ms\"", "\"0.4 parsecs\"")), "matmul_overhead");
    }

    @Test
    void otherMistakesAreNamedToo() {
        assertNames(error(ProfileTexts.valid("x", "8 GB").replace("matmul = 0.5", "matmul = 1.5")), "achievable.matmul");
        assertNames(error(ProfileTexts.valid("x", "8 GB").replace("kind = \"gpu\"", "kind = \"gpu\"\nclock = \"1 GHz\"")),
                "clock");
        assertNames(error(ProfileTexts.valid("x", "8 GB").replace("memory_usable = \"8 GB\"", "memory_usable = \"9 GB\"")),
                "memory_usable");
        assertNames(error(ProfileTexts.valid("x", "8 GB").replace("match = \"Test GPU x\"", "match = \"(\"")), "match");
        assertTrue(error("name = ").startsWith("profile bad.toml: not valid TOML"));
    }
}
