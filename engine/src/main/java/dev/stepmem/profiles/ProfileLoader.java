package dev.stepmem.profiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads one profile file (TOML, comments welcome) and validates every field; any problem is a
 * {@link ProfileException} naming the file and the field. The format:
 * <pre>
 * name = "a800-80gb"                 # id: lower case, digits, '.', '-', '_'
 * device = "NVIDIA A800 80GB SXM"
 * kind = "gpu"                       # gpu | cpu
 * match = "A800.*80GB"               # pattern searched (case-insensitive) in a real device's name
 * memory_total = "80 GiB"            # B, KB, MB, GB, TB, KiB, MiB, GiB, TiB
 * memory_usable = "79 GiB"
 * bf16_tensor = "312 TFLOPS"         # FLOPS, GFLOPS, TFLOPS, PFLOPS; dense, fp32 accumulate
 * fp16_tensor = "312 TFLOPS"
 * fp32 = "19.5 TFLOPS"
 * bandwidth = "2039 GB/s"            # B/s, MB/s, GB/s, TB/s, MiB/s, GiB/s
 * launch_overhead = "5 us"           # ns, us, ms, s
 * matmul_overhead = "0.4 ms"         # optional: fixed cost per matmul (small-GEMM inefficiency); default 0
 * [achievable]                       # fractions in (0, 1]
 * matmul = 0.7
 * flash_attention = 0.5
 * eager_attention = 0.6
 * bandwidth = 0.8
 * [sources]                          # one non-empty string per number above, and for achievable
 * memory_total = "..."
 * </pre>
 * Unknown fields are errors too (a misspelt field would otherwise be silently ignored).
 */
public final class ProfileLoader {
    private static final Set<String> KINDS = Set.of("gpu", "cpu");
    private static final List<String> TOP = List.of("name", "device", "kind", "match", "memory_total", "memory_usable",
            "bf16_tensor", "fp16_tensor", "fp32", "bandwidth", "launch_overhead", "matmul_overhead", "achievable",
            "sources");
    /** Optional numbers: when given, they need a source like the others. */
    private static final List<String> OPTIONAL_SOURCED = List.of("matmul_overhead");
    private static final List<String> ACHIEVABLE = List.of("matmul", "flash_attention", "eager_attention", "bandwidth");
    /** The fields that need a source: every number, and the achievable fractions as a whole. */
    public static final List<String> SOURCED = List.of("memory_total", "memory_usable", "bf16_tensor", "fp16_tensor",
            "fp32", "bandwidth", "launch_overhead", "achievable");

    private ProfileLoader() {
    }

    /** Parses a profile from its bytes; file is how messages name it (a path, or "builtin:NAME.toml"). */
    public static DeviceProfile parse(String file, byte[] bytes) {
        JsonNode root = readTable(file, bytes);
        TomlFields f = new TomlFields(file, root, "");
        f.rejectUnknown(TOP);
        String name = f.id("name");
        String kind = f.string("kind");
        if (!KINDS.contains(kind)) {
            throw new ProfileException(file, "kind", "'" + kind + "' must be gpu or cpu");
        }
        Pattern match;
        try {
            match = Pattern.compile(f.string("match"), Pattern.CASE_INSENSITIVE);
        } catch (PatternSyntaxException e) {
            throw new ProfileException(file, "match", "not a valid pattern: " + firstLine(e.getMessage()));
        }
        long total = (long) f.positive("memory_total", Units.BYTES, "a size");
        long usable = (long) f.positive("memory_usable", Units.BYTES, "a size");
        if (usable > total) {
            throw new ProfileException(file, "memory_usable", Units.bytes(usable) + " exceeds memory_total "
                    + Units.bytes(total));
        }
        double bf16 = f.positive("bf16_tensor", Units.FLOP_RATES, "a FLOP rate");
        double fp16 = f.positive("fp16_tensor", Units.FLOP_RATES, "a FLOP rate");
        double fp32 = f.positive("fp32", Units.FLOP_RATES, "a FLOP rate");
        double bandwidth = f.positive("bandwidth", Units.BANDWIDTHS, "a bandwidth");
        double launch = f.quantity("launch_overhead", Units.DURATIONS, "a duration");
        if (launch < 0) {
            throw new ProfileException(file, "launch_overhead", "must not be negative, got '" + f.string("launch_overhead") + "'");
        }
        double matmulOverhead = 0;
        if (root.has("matmul_overhead")) {
            matmulOverhead = f.quantity("matmul_overhead", Units.DURATIONS, "a duration");
            if (matmulOverhead < 0) {
                throw new ProfileException(file, "matmul_overhead", "must not be negative, got '"
                        + f.string("matmul_overhead") + "'");
            }
        }
        TomlFields a = f.table("achievable");
        a.rejectUnknown(ACHIEVABLE);
        DeviceProfile.Achievable achievable = new DeviceProfile.Achievable(a.fraction("matmul"),
                a.fraction("flash_attention"), a.fraction("eager_attention"), a.fraction("bandwidth"));
        TomlFields s = f.table("sources");
        List<String> sourced = new java.util.ArrayList<>(SOURCED);
        sourced.addAll(OPTIONAL_SOURCED.stream().filter(root::has).toList());
        s.rejectUnknown(java.util.stream.Stream.concat(SOURCED.stream(), OPTIONAL_SOURCED.stream()).toList());
        Map<String, String> sources = s.sources(sourced);
        return new DeviceProfile(name, f.string("device"), kind, match, total, usable, bf16, fp16, fp32, bandwidth,
                launch, matmulOverhead, achievable, sources, file, sha256(bytes));
    }

    /** The file's top-level table, or a {@link ProfileException} if it is not TOML or not a table. */
    static JsonNode readTable(String file, byte[] bytes) {
        JsonNode root;
        try {
            root = new TomlMapper().readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ProfileException(file, null, "not valid TOML: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new ProfileException(file, null, "empty or not a table of fields");
        }
        return root;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JDK", e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no detail)";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
