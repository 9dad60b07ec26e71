package dev.stepmem.profiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A valid profile as text, for tests to break one field at a time or to drop into a folder. */
public final class ProfileTexts {
    private ProfileTexts() {
    }

    /** The repository's implementation profile of this name (profiles/implementations/NAME.toml). */
    public static ImplementationProfile implementation(String name) {
        return ProfileRegistry.fromFolder(Path.of("../profiles")).implementation(name);
    }

    public static String valid(String name, String memory) {
        return """
                # a test device
                name = "%s"
                device = "Test GPU %s"
                kind = "gpu"
                match = "Test GPU %s"
                memory_total = "%s"
                memory_usable = "%s"
                bf16_tensor = "100 TFLOPS"
                fp16_tensor = "100 TFLOPS"
                fp32 = "10 TFLOPS"
                bandwidth = "1000 GB/s"
                launch_overhead = "5 us"

                [achievable]
                matmul = 0.5
                flash_attention = 0.5
                eager_attention = 0.5
                bandwidth = 0.5

                [sources]
                memory_total = "test"
                memory_usable = "test"
                bf16_tensor = "test"
                fp16_tensor = "test"
                fp32 = "test"
                bandwidth = "test"
                launch_overhead = "test"
                achievable = "test"
                """.formatted(name, name, name, memory, memory);
    }

    public static DeviceProfile parse(String name, String memory) {
        return ProfileLoader.parse(name + ".toml", valid(name, memory).getBytes(StandardCharsets.UTF_8));
    }

    /** Copies every repository profile into dir (the tests run in engine/, the folder is ../profiles). */
    public static void copyRepositoryProfiles(Path dir) throws IOException {
        try (var files = Files.list(Path.of("../profiles"))) {
            for (Path p : files.filter(p -> p.toString().endsWith(".toml")).toList()) {
                Files.copy(p, dir.resolve(p.getFileName()));
            }
        }
    }
}
