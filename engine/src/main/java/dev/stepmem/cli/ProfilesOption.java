package dev.stepmem.cli;

import dev.stepmem.exit.ExitCodes;
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
            if (dir != null && !java.nio.file.Files.isDirectory(dir)) { // a bad flag value; bad files inside are data errors
                ExitCodes.option(() -> ProfileRegistry.fromFolder(dir));
            }
            registry = ProfileRegistry.locate(dir);
        }
        return registry;
    }
}
