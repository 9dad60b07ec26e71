package dev.stepmem.bench.gate;

import java.util.ArrayList;
import java.util.List;

/**
 * What the gate times: stories15M chunked prefills of {fm, imdc} x {snapkv, streamingllm} x
 * {flash, eager} at L = 2048, c = m_max = 128 (16 chunks, compression after every one; IMDC with
 * the linear function), each in {@code forks} fresh JVMs of {@code warmups} unmeasured and
 * {@code iterations} measured invocations, an invocation being one prefill of each build, on
 * {@code threads} CPU threads (one, so the machine's other core absorbs its noise).
 *
 * @param device cpu, opencl[:DEVICE] or cuda[:DEVICE]: both builds run on it
 */
record GatePlan(String device, int forks, int warmups, int iterations, int threads) {
    static final int LENGTH = 2048;
    static final int CHUNK = 128;
    static final int MEMORY = 128;

    GatePlan {
        if (forks < 1 || warmups < 0 || iterations < 1 || threads < 1) {
            throw new GateException(GateException.USAGE, "need --forks >= 1, --warmups >= 0, --iterations >= 1 "
                    + "and --threads >= 1, got " + forks + ", " + warmups + ", " + iterations + ", " + threads);
        }
    }

    /** Every configuration's id, e.g. {@code imdc/snapkv/eager/L2048/c128/m128}, in the order of the report. */
    List<String> configs() {
        List<String> ids = new ArrayList<>();
        for (String method : List.of("fm", "imdc")) {
            for (String compressor : List.of("snapkv", "streamingllm")) {
                for (String attention : List.of("flash", "eager")) {
                    ids.add(method + "/" + compressor + "/" + attention + "/L" + LENGTH + "/c" + CHUNK + "/m" + MEMORY);
                }
            }
        }
        return ids;
    }
}
