package dev.stepmem.backend.gpu;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel programs of {@code kernels/programs.list} (resources): each a source file of the
 * shared dialect plus -D defines. The CUDA build (engine/src/main/cuda/build-ptx.sh) reads the
 * same list, so OpenCL and CUDA always compile one source with the same tile sizes.
 */
public final class KernelCatalog {
    private static final String DIR = "kernels/";
    private static final KernelCatalog INSTANCE = load();

    /** One program: name, source file, and its defines in order (NAME -> value, "" for a bare -DNAME). */
    public record Program(String name, String file, Map<String, String> defines) {
        /** A define's integer value, e.g. a tile size the host needs for the launch geometry. */
        public int intDefine(String key) {
            String v = defines.get(key);
            if (v == null || v.isEmpty()) {
                throw new IllegalStateException("program " + name + " has no value for -D" + key);
            }
            return Integer.parseInt(v);
        }

        /** The defines as compiler options: -DA=1 -DB ... */
        public String defineOptions() {
            StringBuilder sb = new StringBuilder();
            defines.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : " ").append("-D").append(k)
                    .append(v.isEmpty() ? "" : "=" + v));
            return sb.toString();
        }
    }

    private final Map<String, Program> programs;

    private KernelCatalog(Map<String, Program> programs) {
        this.programs = programs;
    }

    public static KernelCatalog get() {
        return INSTANCE;
    }

    public List<Program> programs() {
        return List.copyOf(programs.values());
    }

    public Program program(String name) {
        Program p = programs.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no kernel program '" + name + "' in " + DIR + "programs.list");
        }
        return p;
    }

    /** The OpenCL source of a program: the prelude, then its file (the defines go in the build options). */
    public String openClSource(String name) {
        return resource("prelude.h") + "\n#line 1\n" + resource(program(name).file());
    }

    /** A resource of the kernels folder as text. */
    public static String resource(String file) {
        try (InputStream in = KernelCatalog.class.getClassLoader().getResourceAsStream(DIR + file)) {
            if (in == null) {
                throw new IllegalStateException("kernel resource " + DIR + file + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KernelCatalog load() {
        Map<String, Program> programs = new LinkedHashMap<>();
        for (String line : resource("programs.list").split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] f = trimmed.split("\\s+");
            Map<String, String> defines = new LinkedHashMap<>();
            for (String d : Arrays.copyOfRange(f, 2, f.length)) {
                if (!d.startsWith("-D")) {
                    throw new IllegalStateException("programs.list: '" + d + "' is not a -D define (line: " + trimmed + ")");
                }
                int eq = d.indexOf('=');
                defines.put(eq < 0 ? d.substring(2) : d.substring(2, eq), eq < 0 ? "" : d.substring(eq + 1));
            }
            programs.put(f[0], new Program(f[0], f[1], defines));
        }
        return new KernelCatalog(programs);
    }
}
