package dev.stepmem.cli;

import dev.stepmem.profiles.DeviceProfile;
import dev.stepmem.profiles.ImplementationProfile;
import dev.stepmem.profiles.ProfileRegistry;
import dev.stepmem.profiles.Units;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Lists the device and implementation profiles: what the sim backend, sweep and frontier can model. */
@Command(name = "profiles", mixinStandardHelpOptions = true,
        description = "List the device profiles (one *.toml file per device): memory, rates, file, sha256; then the "
                + "implementation profiles (implementations/*.toml): how the modeled code uses a device.")
public final class ProfilesCommand implements Callable<Integer> {
    @Mixin
    ProfilesOption profiles;

    @Override
    public Integer call() {
        ProfileRegistry r = profiles.registry();
        System.out.println("profiles from " + r.origin());
        System.out.printf(Locale.ROOT, "%-14s %-4s %-26s %11s %13s %13s %12s %10s %8s  %-12s %s%n", "name", "kind",
                "device", "usable", "bf16 tensor", "fp32", "bandwidth", "launch", "matmul", "sha256", "file");
        for (DeviceProfile p : r.all()) {
            System.out.printf(Locale.ROOT, "%-14s %-4s %-26s %11s %13s %13s %12s %8.1fus %8.2f  %-12s %s%n", p.name(),
                    p.kind(), p.device().length() > 26 ? p.device().substring(0, 25) + "…" : p.device(),
                    Units.bytes(p.usableMemory()), Units.flops(p.bf16Tensor()), Units.flops(p.fp32()),
                    Units.bandwidth(p.bandwidth()), p.launchOverhead() * 1e6, p.achievable().matmul(),
                    p.shortHash(), p.file());
        }
        // how the modeled code uses a device (--implementation)
        System.out.printf(Locale.ROOT, "%nimplementation profiles%n%-16s %-16s %10s %7s %8s %6s  %-12s %s%n", "name",
                "flash rows", "dispatch", "gemm", "map bw", "flash", "sha256", "file");
        for (ImplementationProfile p : r.implementations()) {
            System.out.printf(Locale.ROOT, "%-16s %-16s %8.2fus %7.4f %8.4f %6.4f  %-12s %s%n", p.name(),
                    p.flashPadsMemory() ? "memory_and_chunk" : "chunk", p.dispatchOverhead() * 1e6,
                    p.fractions().matmul(), p.fractions().eagerMapBandwidth(), p.fractions().flashAttention(),
                    p.shortHash(), p.file());
        }
        return 0;
    }
}
