package dev.stepmem.cli;

import dev.stepmem.profiles.ImplementationProfile;
import dev.stepmem.profiles.ProfileRegistry;
import picocli.CommandLine.Option;

/** --implementation NAME: whose code the sim models on the device (profiles/implementations/NAME.toml). */
public final class ImplementationOption {
    @Option(names = "--implementation", defaultValue = "efficient", paramLabel = "NAME",
            description = "sim: the implementation profile whose code path is modeled: efficient (this engine) or "
                    + "reference-eager (the paper's PyTorch eager code); see 'stepmem profiles'. "
                    + "Default: ${DEFAULT-VALUE}.")
    String name;

    public ImplementationProfile implementation(ProfileRegistry registry) {
        return registry.implementation(name);
    }
}
