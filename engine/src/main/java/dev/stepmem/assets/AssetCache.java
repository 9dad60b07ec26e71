package dev.stepmem.assets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Where fetched models and tokenizers live: $STEPMEM_CACHE, else $XDG_CACHE_HOME/stepmem,
 * else ~/.cache/stepmem. Kept outside the work tree so nothing large is ever committed.
 */
public final class AssetCache {
    private AssetCache() {
    }

    /** The cache root for this process's environment (not created). */
    public static Path dir() {
        return resolve(System::getenv, System.getProperty("user.home"));
    }

    /** Resolution rule, separated from the real environment so it can be tested. */
    static Path resolve(Function<String, String> env, String userHome) {
        String own = env.apply("STEPMEM_CACHE");
        if (own != null && !own.isBlank()) {
            return Path.of(own).toAbsolutePath();
        }
        String xdg = env.apply("XDG_CACHE_HOME");
        // The XDG spec says relative values must be ignored.
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "stepmem");
        }
        return Path.of(userHome, ".cache", "stepmem");
    }

    /** A folder under the cache root, created on demand. */
    public static Path subdir(String name) {
        Path dir = dir().resolve(name);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the asset cache folder " + dir
                    + " (set STEPMEM_CACHE to a writable folder): " + e.getMessage(), e);
        }
        return dir;
    }
}
