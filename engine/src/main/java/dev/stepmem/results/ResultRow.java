package dev.stepmem.results;

import java.util.List;

/**
 * One observation of the tidy results CSV: a configuration, one metric, and its value. Every
 * sweep and every figure uses this one schema (long format): a prefill run gives rows for
 * {@code ttft_ms} and {@code peak_bytes}, a perplexity run for {@code ppl}, a probe for
 * {@code mem_attention} per step or {@code memory_fraction} per layer and chunk, a schedule
 * for {@code memory_size} and {@code chunk_size} per step.
 *
 * @param sweep      the named sweep that produced the row (fig4, fig5, ...)
 * @param source     {@code measured} (ran on this device) or {@code modeled} (the sim backend)
 * @param device     what ran it: "cpu", an OpenCL/CUDA device name, or a GPU profile name
 * @param profileSha first 12 hex digits of the GPU profile file's sha256 ("" when measured)
 * @param backend    cpu, reference, opencl, cuda, sim
 * @param model      stories15M, llama2-7b, internlm2-7b, ...
 * @param weights    {@code real} or {@code synthetic}
 * @param dtype      the weights' type: f32, bf16, f16
 * @param domain     the dataset domain of the input ("random" for seeded random ids)
 * @param compressor snapkv, streamingllm, ...
 * @param method     fm, im, imdc, full (full attention)
 * @param function   IM/IMDC incremental function ("" for FM)
 * @param attention  flash or eager
 * @param length     L
 * @param chunk      c
 * @param memory     m_max
 * @param metric     what the value is (see above)
 * @param step       chunk step the value belongs to, -1 for a whole run
 * @param layer      layer the value belongs to, -1 for all layers
 * @param value      the figure (NaN where it does not exist, e.g. TTFT of an OOM run)
 * @param spread     the spread of repeated measurements (max - min), 0 for a single one
 * @param repeats    how many measurements the value summarizes (the median of them)
 * @param status     {@code ok}, or {@code oom} (value of peak_bytes is then the bytes asked for)
 * @param gitCommit  the repository's commit when the row was made
 * @param machine    a short description of the host (CPU model, cores)
 * @param timestamp  ISO-8601 UTC time the row was made
 */
public record ResultRow(String sweep, String source, String device, String profileSha, String backend, String model,
                        String weights, String dtype, String domain, String compressor, String method,
                        String function, String attention, int length, int chunk, int memory, String metric,
                        int step, int layer, double value, double spread, int repeats, String status,
                        String gitCommit, String machine, String timestamp) {

    /** The CSV header, in column order. */
    public static final List<String> COLUMNS = List.of("sweep", "source", "device", "profile_sha", "backend", "model",
            "weights", "dtype", "domain", "compressor", "method", "function", "attention", "length", "chunk", "memory",
            "metric", "step", "layer", "value", "spread", "repeats", "status", "git_commit", "machine", "timestamp");

    public ResultRow {
        if (!source.equals("measured") && !source.equals("modeled")) {
            throw new IllegalArgumentException("source must be 'measured' or 'modeled', got '" + source + "'");
        }
        if (!status.equals("ok") && !status.equals("oom")) {
            throw new IllegalArgumentException("status must be 'ok' or 'oom', got '" + status + "'");
        }
    }

    /**
     * What identifies the run this row came from: every configuration field. A resumed sweep
     * skips a configuration whose key is already in the file.
     */
    public String runKey() {
        return String.join("|", sweep, source, device, profileSha, backend, model, weights, dtype, domain, compressor,
                method, function, attention, Integer.toString(length), Integer.toString(chunk),
                Integer.toString(memory));
    }

    /** The row's cells, in {@link #COLUMNS} order, as text. */
    List<String> cells() {
        return List.of(sweep, source, device, profileSha, backend, model, weights, dtype, domain, compressor, method,
                function, attention, Integer.toString(length), Integer.toString(chunk), Integer.toString(memory),
                metric, Integer.toString(step), Integer.toString(layer), number(value), number(spread),
                Integer.toString(repeats), status, gitCommit, machine, timestamp);
    }

    /** Shortest text that reads back as the same double ("NaN" for a missing value). */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
