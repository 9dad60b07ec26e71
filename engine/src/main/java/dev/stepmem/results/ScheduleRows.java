package dev.stepmem.results;

import dev.stepmem.prefill.PrefillSettings;
import dev.stepmem.prefill.schedule.ChunkPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows behind the paper's Fig 2: per step, the chunk size and the memory the loop keeps
 * after it (layer-independent schedules), straight from the plan; no model runs.
 */
public final class ScheduleRows {
    private ScheduleRows() {
    }

    /**
     * @param template the non-configuration fields (sweep, device, git commit, ...) to copy; its
     *                 configuration fields are replaced by {@code settings}
     */
    public static List<ResultRow> of(PrefillSettings settings, int nLayers, ResultRow template) {
        ChunkPlan plan = settings.plan(nLayers);
        int[] chunks = plan.chunkSizes();
        int[] memory = plan.memoryKept(PrefillSettings.SINKS, 0);
        List<ResultRow> rows = new ArrayList<>();
        for (int i = 0; i < chunks.length; i++) {
            rows.add(row(template, settings, "chunk_size", i, chunks[i]));
            rows.add(row(template, settings, "memory_size", i, memory[i]));
        }
        return rows;
    }

    private static ResultRow row(ResultRow t, PrefillSettings s, String metric, int step, double value) {
        return new ResultRow(t.sweep(), t.source(), t.device(), t.profileSha(), t.backend(), t.model(), t.weights(),
                t.dtype(), t.domain(), s.compressor().name(), s.method().cliName(),
                s.method() == dev.stepmem.prefill.Method.FM ? "" : s.function(), s.attention().cliName(), s.length(),
                s.chunk(), s.memory(), metric, step, -1, value, 0, 1, "ok", t.gitCommit(), t.machine(), t.timestamp());
    }
}
