package dev.stepmem.bench.fit;

import dev.stepmem.model.AttentionMode;
import dev.stepmem.prefill.Method;
import dev.stepmem.prefill.PrefillSettings;
import dev.stepmem.prefill.compress.Compressors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One bar pair of the paper's Fig 4 (results/paper-fig4-a800.csv): a configuration, its TTFT and
 * its peak memory as the authors report them (GB, read as GiB).
 */
record PaperBar(String compressor, int chunk, int memory, Method method, double ttftSeconds, double peakGib) {
    /** The expected header of the file (after its '#' comment lines). */
    static final String HEADER = "device,compressor,attention_impl,chunk_size,memory_size,method,ttft_s,gpu_mem_GB_as_reported";

    /** The paper's pairing: SnapKV with eager attention, StreamingLLM with flash; linear IM/IMDC. */
    PrefillSettings settings(int length) {
        boolean snap = compressor.equals("snapkv");
        return new PrefillSettings(method, "linear", Compressors.parse(compressor), length, chunk, memory,
                snap ? AttentionMode.EAGER : AttentionMode.FLASH);
    }

    static List<PaperBar> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<String> data = lines.stream().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        if (data.isEmpty() || !data.getFirst().equals(HEADER)) {
            throw new IllegalArgumentException(file + ": expected the header " + HEADER);
        }
        List<PaperBar> bars = new ArrayList<>();
        for (int i = 1; i < data.size(); i++) {
            String[] c = data.get(i).split(",", -1);
            if (c.length != 8) {
                throw new IllegalArgumentException(file + ": line '" + data.get(i) + "' has " + c.length
                        + " cells, expected 8");
            }
            try {
                bars.add(new PaperBar(c[1].equalsIgnoreCase("SnapKV") ? "snapkv" : "streamingllm",
                        Integer.parseInt(c[3]), Integer.parseInt(c[4]), Method.parse(c[5]), Double.parseDouble(c[6]),
                        Double.parseDouble(c[7])));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ": line '" + data.get(i) + "': " + e.getMessage(), e);
            }
        }
        return bars;
    }
}
