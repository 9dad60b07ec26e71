package dev.stepmem.cli;

import dev.stepmem.calibrate.HostCalibration;
import dev.stepmem.calibrate.HostInfo;
import dev.stepmem.calibrate.HostProfileWriter;
import dev.stepmem.exit.UsageException;
import dev.stepmem.profiles.ProfileLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Measures this machine's CPU backend and writes the cpu-host profile the sim uses to predict it. */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"Measure the CPU backend's GEMM, attention and bandwidth rates and its per-op overhead, and "
                + "write them as the cpu-host device profile (about a minute).",
                "The file is written to a temp file and renamed into place."})
public final class CalibrateCommand implements Callable<Integer> {
    @Option(names = {"-o", "--output"}, defaultValue = "profiles/cpu-host.toml", paramLabel = "FILE",
            description = "Where the profile goes (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--reps", defaultValue = "5", paramLabel = "N",
            description = "Timed repetitions per measurement; the median is kept (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads of the cpu backend (default: all cores).")
    Integer threads;

    @Override
    public Integer call() {
        if (reps < 1) {
            throw new UsageException("--reps must be at least 1, got " + reps);
        }
        if (threads != null) {
            BackendOption.setThreads(threads);
        }
        dev.stepmem.io.OutputChecks.requireWritable(output, "--output"); // before a minute of measuring, not after
        HostCalibration.Measured m = new HostCalibration(reps, line -> System.err.println("  " + line)).run();
        String text = HostProfileWriter.render(m, HostInfo.read());
        ProfileLoader.parse(output.toString(), text.getBytes(StandardCharsets.UTF_8)); // never write a profile that does not load
        HostProfileWriter.write(output, text);
        System.out.println("wrote " + output);
        System.out.print(text);
        return 0;
    }
}
