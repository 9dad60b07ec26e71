package dev.stepmem.cli;

import dev.stepmem.profiles.ProfileRegistry;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** --profiles DIR: where device profiles come from (see ProfileRegistry.locate for the order). */
public final class ProfilesOption {
    @Option(names = "--profiles-dir", paramLabel = "DIR",
            description = "Folder of device profiles (*.toml). Default: $STEPMEM_PROFILES, else ./profiles, "
                    + "else the profiles built into the jar.")
    Path dir;

    private ProfileRegistry registry;

    public ProfileRegistry registry() {
        if (registry == null) {
            registry = ProfileRegistry.locate(dir);
        }
        return registry;
    }
}
