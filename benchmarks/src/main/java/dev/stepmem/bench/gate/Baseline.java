package dev.stepmem.bench.gate;

import java.util.List;

/**
 * One configuration's baseline on one device: the normalized TTFT a later run is compared with.
 *
 * @param deviceKey     which device's baseline (e.g. {@code cpu}, {@code cuda:a100-80gb}); a file
 *                      holds the baselines of several devices side by side
 * @param config        the configuration's id ({@link GateConfig#id()})
 * @param normalized    the median over runs of each run's median over rounds of TTFT / calibration
 * @param runSpread     (max - min) / median of the runs' medians (0 for a baseline of one run)
 * @param roundSpread   the median over runs of (max - min) / median over one run's rounds
 * @param runs          gate runs behind the figure
 * @param rounds        measured rounds per run
 * @param ttftMs        the median TTFT in milliseconds (for reading only: machine-dependent)
 * @param calibrationMs the median calibration time beside it (same)
 * @param calibrationId the calibration workload; a different one makes the figures incomparable
 * @param threads       the CPU backend's and the calibration's threads; another count is another baseline
 */
record Baseline(String deviceKey, String config, double normalized, double runSpread, double roundSpread, int runs,
                int rounds, double ttftMs, double calibrationMs, String calibrationId, int threads, String gitCommit, String machine,
                String jvm, String timestamp) {

    static final List<String> COLUMNS = List.of("device_key", "config", "normalized", "run_spread", "round_spread",
            "runs", "rounds", "ttft_ms", "calibration_ms", "calibration_id", "threads", "git_commit", "machine", "jvm",
            "timestamp");
}
