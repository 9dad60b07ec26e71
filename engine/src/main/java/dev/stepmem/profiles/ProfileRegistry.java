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
import java.util.stream.Stream;

/**
 * The device profiles of one folder: every {@code *.toml} file in it, each validated, names
 * unique. Adding a device is adding a file; nothing else lists them.
 *
 * <p>Which folder ({@link #locate}): the {@code --profiles DIR} flag, else {@code $STEPMEM_PROFILES},
 * else {@code ./profiles} when the working directory has one (the repository's folder), else the
 * copies packaged into the engine jar at build time. A folder, once chosen, is the whole set: the
 * packaged copies are not mixed in, so what a folder says is what runs.
 */
public final class ProfileRegistry {
    /** Where the build puts the repository's {@code profiles/*.toml} inside the jar. */
    static final String BUILTIN = "dev/stepmem/profiles/builtin";

    private final String origin;
    private final List<DeviceProfile> profiles;

    private ProfileRegistry(String origin, List<DeviceProfile> profiles) {
        this.origin = origin;
        this.profiles = profiles.stream().sorted(Comparator.comparing(DeviceProfile::name)).toList();
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

    /** Every {@code *.toml} of a folder (not its subfolders). */
    public static ProfileRegistry fromFolder(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("profiles folder " + dir + (Files.exists(dir) ? " is a file, not a folder"
                    : " does not exist"));
        }
        return new ProfileRegistry(dir.toString(), readAll(dir, dir.toString() + "/"));
    }

    /** The profiles packaged into the engine (the repository's {@code profiles/} at build time). */
    public static ProfileRegistry builtin() {
        try {
            Path code = Path.of(ProfileRegistry.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(code)) {
                return new ProfileRegistry("built-in", readAll(code.resolve(BUILTIN), "builtin:"));
            }
            try (FileSystem jar = FileSystems.newFileSystem(URI.create("jar:" + code.toUri()), Map.of())) {
                return new ProfileRegistry("built-in", readAll(jar.getPath(BUILTIN), "builtin:"));
            }
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot read the built-in profiles: " + e.getMessage(), e);
        }
    }

    private static List<DeviceProfile> readAll(Path dir, String prefix) {
        List<DeviceProfile> out = new ArrayList<>();
        Map<String, DeviceProfile> byName = new HashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".toml")).sorted().toList()) {
                String file = prefix + p.getFileName();
                DeviceProfile profile = ProfileLoader.parse(file, Files.readAllBytes(p));
                DeviceProfile before = byName.putIfAbsent(profile.name(), profile);
                if (before != null) {
                    throw new ProfileException(file, "name", "'" + profile.name() + "' is already the name of "
                            + before.file() + " (names must be unique)");
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

    /** The profile of a real device by the name it reports (e.g. "NVIDIA A800-SXM4-80GB"), if any matches. */
    public Optional<DeviceProfile> match(String deviceName) {
        return profiles.stream().filter(p -> p.matches(deviceName)).findFirst();
    }
}
