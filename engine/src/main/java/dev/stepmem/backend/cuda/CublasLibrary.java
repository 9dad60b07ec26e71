package dev.stepmem.backend.cuda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where a {@code libcublas.so.N} is on this machine. CUDA machines without a toolkit often have
 * cuBLAS only inside Python's packages ({@code site-packages/nvidia/cublas/lib}, e.g. CUDA 13's
 * {@code libcublas.so.13}), which the dynamic loader does not search; so this looks in the usual
 * places, newest major version first. {@code $STEPMEM_CUBLAS} names the file outright.
 */
public final class CublasLibrary {
    static final String ENV = "STEPMEM_CUBLAS";
    private static final Pattern SONAME = Pattern.compile("libcublas\\.so\\.(\\d+)");

    private CublasLibrary() {
    }

    /** The folders searched under each root: a CUDA toolkit's lib64, and Python packages' nvidia/cublas/lib. */
    static List<Path> folders(List<Path> roots) {
        List<Path> out = new ArrayList<>();
        for (Path root : roots) {
            out.add(root.resolve("lib64"));
            out.add(root.resolve("lib"));
            for (Path lib : List.of(root.resolve("lib"), root.resolve("lib64"), root.resolve("local/lib"))) {
                try (Stream<Path> pythons = Files.isDirectory(lib) ? Files.list(lib) : Stream.empty()) {
                    pythons.filter(p -> p.getFileName().toString().startsWith("python3")).sorted().forEach(py -> {
                        out.add(py.resolve("site-packages/nvidia/cublas/lib"));
                        out.add(py.resolve("dist-packages/nvidia/cublas/lib"));
                    });
                } catch (IOException e) {
                    // an unreadable folder holds nothing we can load
                }
            }
        }
        return out;
    }

    /** The roots of this machine: a virtualenv or conda prefix, the user's and the system's. */
    static List<Path> defaultRoots() {
        List<Path> roots = new ArrayList<>();
        for (String env : List.of("VIRTUAL_ENV", "CONDA_PREFIX", "CUDA_HOME")) {
            String v = System.getenv(env);
            if (v != null && !v.isBlank()) {
                roots.add(Path.of(v));
            }
        }
        roots.add(Path.of(System.getProperty("user.home"), ".local"));
        roots.addAll(List.of(Path.of("/usr/local/cuda"), Path.of("/usr/local"), Path.of("/usr"), Path.of("/opt/conda")));
        return roots;
    }

    /** The newest libcublas.so.N in the folders (the highest N; the first folder on a tie), if any. */
    static Optional<Path> find(List<Path> folders) {
        List<Path> found = new ArrayList<>();
        for (Path dir : folders) {
            try (Stream<Path> files = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
                files.filter(f -> SONAME.matcher(f.getFileName().toString()).matches()).sorted().forEach(found::add);
            } catch (IOException e) {
                // as above
            }
        }
        return found.stream().max(Comparator.comparingInt(CublasLibrary::major).thenComparing(
                f -> -found.indexOf(f)));
    }

    /** N of libcublas.so.N. */
    static int major(Path file) {
        Matcher m = SONAME.matcher(file.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(file + " is not a libcublas.so.N");
        }
        return Integer.parseInt(m.group(1));
    }

    /** $STEPMEM_CUBLAS if set (it must exist), else the newest found in the usual places. */
    public static Optional<Path> locate() {
        String named = System.getenv(ENV);
        if (named != null && !named.isBlank()) {
            Path p = Path.of(named);
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException(ENV + "=" + named + ": no such file");
            }
            return Optional.of(p);
        }
        return find(folders(defaultRoots()));
    }
}
