package dev.stepmem.profiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The device profiles of one folder: every {@code *.toml} file in it, each validated, names
 * unique. Adding a device is adding a file; nothing else lists them.
 *
 * <p>Implementation profiles (how the modeled code uses a device) live in the folder's
 * {@code implementations/} subfolder; a folder without one uses the packaged implementation profiles.
 *
 * <p>Which folder ({@link #locate}): the {@code --profiles DIR} flag, else {@code $STEPMEM_PROFILES},
 * else {@code ./profiles} when the working directory has one (the repository's folder), else the
 * copies packaged into the engine jar at build time. A folder, once chosen, is the whole set: the
 * packaged copies are not mixed in, so what a folder says is what runs.
 */
public final class ProfileRegistry {
    /** Where the build puts the repository's {@code profiles/*.toml} inside the jar. */
    static final String BUILTIN = "dev/stepmem/profiles/builtin";

    /** The folder of implementation profiles inside a profiles folder (and inside the jar's copy). */
    public static final String IMPLEMENTATIONS = "implementations";

    private final String origin;
    private final List<DeviceProfile> profiles;
    private final List<ImplementationProfile> implementations;

    private ProfileRegistry(String origin, List<DeviceProfile> profiles, List<ImplementationProfile> implementations) {
        this.origin = origin;
        this.profiles = profiles.stream().sorted(Comparator.comparing(DeviceProfile::name)).toList();
        this.implementations = implementations.stream().sorted(Comparator.comparing(ImplementationProfile::name)).toList();
    }

    private static ProfileRegistry read(String origin, Path dir, String prefix) {
        List<DeviceProfile> devices = readAll(dir, prefix, ProfileLoader::parse, DeviceProfile::name,
                DeviceProfile::file);
        Path impl = dir.resolve(IMPLEMENTATIONS);
        List<ImplementationProfile> implementations = Files.isDirectory(impl)
                ? readAll(impl, prefix + IMPLEMENTATIONS + "/", ImplementationLoader::parse, ImplementationProfile::name,
                        ImplementationProfile::file)
                : builtin().implementations;
        return new ProfileRegistry(origin, devices, implementations);
    }

    /** The registry the flag, the environment or the working directory points at (see the class comment). */
    public static ProfileRegistry locate(Path flag) {
        if (flag != null) {
            return fromFolder(flag);
        }
        String env = System.getenv("STEPMEM_PROFILES");
        if (env != null && !env.isBlank()) {
            return fromFolder(Path.of(env));
        }
        Path local = Path.of("profiles");
        if (Files.isDirectory(local)) {
            return fromFolder(local);
        }
        return builtin();
    }

    /** Every {@code *.toml} of a folder (device profiles) and of its {@code implementations/} subfolder. */
    public static ProfileRegistry fromFolder(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("profiles folder " + dir + (Files.exists(dir) ? " is a file, not a folder"
                    : " does not exist"));
        }
        return read(dir.toString(), dir, dir.toString() + "/");
    }

    /** The profiles packaged into the engine (the repository's {@code profiles/} at build time). */
    public static ProfileRegistry builtin() {
        try {
            Path code = Path.of(ProfileRegistry.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(code)) {
                return read("built-in", code.resolve(BUILTIN), "builtin:");
            }
            try (FileSystem jar = FileSystems.newFileSystem(URI.create("jar:" + code.toUri()), Map.of())) {
                return read("built-in", jar.getPath(BUILTIN), "builtin:");
            }
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot read the built-in profiles: " + e.getMessage(), e);
        }
    }

    /** Every {@code *.toml} of one folder, parsed, names unique; a folder with none is an error. */
    private static <P> List<P> readAll(Path dir, String prefix, BiFunction<String, byte[], P> parse,
                                       Function<P, String> name, Function<P, String> fileOf) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("profiles folder " + dir + " does not exist");
        }
        List<P> out = new ArrayList<>();
        Map<String, P> byName = new HashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".toml")).sorted().toList()) {
                String file = prefix + p.getFileName();
                P profile = parse.apply(file, Files.readAllBytes(p));
                P before = byName.putIfAbsent(name.apply(profile), profile);
                if (before != null) {
                    throw new ProfileException(file, "name", "'" + name.apply(profile) + "' is already the name of "
                            + fileOf.apply(before) + " (names must be unique)");
                }
                out.add(profile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read profiles in " + dir + ": " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no *.toml profiles in " + dir);
        }
        return out;
    }

    /** The folder the profiles came from, or "built-in". */
    public String origin() {
        return origin;
    }

    public List<DeviceProfile> all() {
        return profiles;
    }

    public DeviceProfile get(String name) {
        return profiles.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no profile named '" + name + "' in " + origin
                        + " (have: " + String.join(", ", names()) + ")"));
    }

    /** The profiles named, in order; null or empty = all of them. */
    public List<DeviceProfile> select(List<String> names) {
        return names == null || names.isEmpty() ? profiles : names.stream().map(this::get).toList();
    }

    public List<String> names() {
        return profiles.stream().map(DeviceProfile::name).toList();
    }

    public List<ImplementationProfile> implementations() {
        return implementations;
    }

    /** The implementation profile of this name (implementations/NAME.toml's name field). */
    public ImplementationProfile implementation(String name) {
        return implementations.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no implementation profile named '" + name + "' in "
                        + origin + "/" + IMPLEMENTATIONS + " (have: " + String.join(", ",
                        implementations.stream().map(ImplementationProfile::name).toList()) + ")"));
    }

    /** The profile of a real device by the name it reports (e.g. "NVIDIA A800-SXM4-80GB"), if any matches. */
    public Optional<DeviceProfile> match(String deviceName) {
        return profiles.stream().filter(p -> p.matches(deviceName)).findFirst();
    }
}
