package dev.stepmem.results;

import dev.stepmem.prefill.Method;
import dev.stepmem.prefill.PrefillSettings;
import dev.stepmem.prefill.compress.Compressors;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A second process for the concurrency tests (started by {@link ResultsLockTest} on the test
 * classpath). {@code hold FILE}: takes FILE's lock, prints "locked", keeps it until stdin closes.
 * {@code append FILE TAG N}: appends N run records one at a time, record i with length 100 + i and
 * TAG as its model.
 */
public final class ResultsWriterProcess {
    private ResultsWriterProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[1]);
        switch (args[0]) {
            case "hold" -> {
                try (ResultsLock lock = ResultsLock.acquire(file, Duration.ZERO, "test holder")) {
                    System.out.println("locked");
                    System.out.flush();
                    while (System.in.read() >= 0) {
                        // hold until the test closes our stdin
                    }
                }
            }
            case "append" -> {
                for (int i = 0; i < Integer.parseInt(args[3]); i++) {
                    RunRecordCsv.append(file, List.of(record(args[2], i)));
                }
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    static RunRecord record(String tag, int i) {
        PrefillSettings s = new PrefillSettings(Method.FM, "linear", Compressors.parse("snapkv"), 100 + i, 16, 8);
        return new RunRecord("modeled", "sim:test", "test", "000000000000", tag, "shapes", "bf16", s, "fm", 1.5, 10,
                false, 10, Long.MAX_VALUE, "2026-12-04T00:00:00Z");
    }
}
