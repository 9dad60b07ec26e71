package dev.stepmem.profiles;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one implementation profile file (TOML) and validates every field; any problem is a
 * {@link ProfileException} naming the file and the field. The format:
 * <pre>
 * name = "reference-eager"            # id: lower case, digits, '.', '-', '_'
 * description = "..."
 * flash_query_rows = "chunk"          # chunk | memory_and_chunk
 * dispatch_overhead = "12 us"         # ns, us, ms, s; framework time per op, may be "0 us"
 * [fractions]                         # multipliers in (0, 1] on the device's achievable fractions
 * matmul = 1.0
 * eager_map_bandwidth = 1.0
 * flash_attention = 1.0
 * [map_passes]                        # positive numbers, in activation-dtype elements per map element
 * probabilities = 3
 * apply = 1
 * window_sums = 1
 * [ops]                               # optional: framework ops per engine op (positive integers)
 * rmsnorm = 8
 * [memory]                            # optional: bytes per element held; absent = the CPU ledger (fp32)
 * kv = 2
 * maps = 4
 * activations = 2
 * reserve = "1 GiB"
 * [sources]                           # one per number: flash_query_rows, dispatch_overhead, TABLE_FIELD
 *                                     # (fractions_matmul, map_passes_apply, memory_kv, ...), ops as a whole
 * </pre>
 */
public final class ImplementationLoader {
    private static final List<String> TOP = List.of("name", "description", "flash_query_rows", "dispatch_overhead",
            "fractions", "map_passes", "ops", "memory", "sources");
    private static final List<String> FRACTIONS = List.of("matmul", "eager_map_bandwidth", "flash_attention");
    private static final List<String> PASSES = List.of("probabilities", "apply", "window_sums");
    private static final List<String> MEMORY = List.of("kv", "maps", "activations", "reserve");
    private static final List<String> FLASH_ROWS = List.of("chunk", "memory_and_chunk");

    private ImplementationLoader() {
    }

    /** Parses an implementation profile from its bytes; file is how messages name it. */
    public static ImplementationProfile parse(String file, byte[] bytes) {
        JsonNode root = ProfileLoader.readTable(file, bytes);
        TomlFields f = new TomlFields(file, root, "");
        f.rejectUnknown(TOP);
        String name = f.id("name");
        String rows = f.string("flash_query_rows");
        if (!FLASH_ROWS.contains(rows)) {
            throw new ProfileException(file, "flash_query_rows", "'" + rows + "' must be chunk or memory_and_chunk");
        }
        double dispatch = f.quantity("dispatch_overhead", Units.DURATIONS, "a duration");
        if (dispatch < 0) {
            throw new ProfileException(file, "dispatch_overhead", "must not be negative, got '"
                    + f.string("dispatch_overhead") + "'");
        }
        TomlFields fr = f.table("fractions");
        fr.rejectUnknown(FRACTIONS);
        var fractions = new ImplementationProfile.Fractions(fr.fraction("matmul"), fr.fraction("eager_map_bandwidth"),
                fr.fraction("flash_attention"));
        TomlFields mp = f.table("map_passes");
        mp.rejectUnknown(PASSES);
        var passes = new ImplementationProfile.MapPasses(positive(mp, "probabilities"), positive(mp, "apply"),
                positive(mp, "window_sums"));
        List<String> sourced = new ArrayList<>(List.of("flash_query_rows", "dispatch_overhead"));
        FRACTIONS.forEach(k -> sourced.add("fractions_" + k));
        PASSES.forEach(k -> sourced.add("map_passes_" + k));
        Map<String, Integer> ops = new LinkedHashMap<>();
        if (root.has("ops")) {
            TomlFields o = f.table("ops");
            o.rejectUnknown(ImplementationProfile.OPS);
            for (Iterator<String> it = root.get("ops").fieldNames(); it.hasNext(); ) {
                String op = it.next();
                JsonNode v = root.get("ops").get(op);
                if (!v.canConvertToExactIntegral() || v.asInt() < 1) {
                    throw new ProfileException(file, "ops." + op, "must be a positive whole number, got " + v);
                }
                ops.put(op, v.asInt());
            }
            sourced.add("ops");
        }
        ImplementationProfile.Memory memory = null;
        if (root.has("memory")) {
            TomlFields m = f.table("memory");
            m.rejectUnknown(MEMORY);
            memory = new ImplementationProfile.Memory(positive(m, "kv"), positive(m, "maps"), positive(m, "activations"),
                    (long) m.quantity("reserve", Units.BYTES, "a size"));
            if (memory.reserveBytes() < 0) {
                throw new ProfileException(file, "memory.reserve", "must not be negative, got '" + m.string("reserve") + "'");
            }
            MEMORY.forEach(k -> sourced.add("memory_" + k));
        }
        TomlFields s = f.table("sources");
        s.rejectUnknown(sourced);
        Map<String, String> sources = s.sources(sourced);
        return new ImplementationProfile(name, f.string("description"), rows.equals("memory_and_chunk"), dispatch,
                fractions, passes, ops, memory, sources, file, ProfileLoader.sha256(bytes));
    }

    private static double positive(TomlFields t, String field) {
        JsonNode v = t.required(field);
        if (!v.isNumber() || !(v.asDouble() > 0) || Double.isInfinite(v.asDouble())) {
            throw new ProfileException(t.file(), t.prefix() + field, "must be a positive number, got " + v);
        }
        return v.asDouble();
    }
}
