package dev.stepmem.ops;

import java.util.List;

/**
 * The sizes the harness runs each op at. {@code ragged}: no size a multiple of any tile or
 * vector length, small enough for the plain reference in seconds. {@code llama2-7b}: one layer
 * of LLaMA-2-7B at the paper's chunk of 1024 tokens after 1024 kept keys (meant for a GPU, and
 * checked against the cpu backend: the plain reference would take many minutes).
 *
 * @param rows    T, the chunk's tokens (queries)
 * @param width   d = nHeads x headSize for attention; the matmul's k
 * @param hidden  the FFN width: the matmul's n, swiglu's columns
 * @param past    keys cached before the chunk (S = past + rows)
 * @param vocab   V, rows of the embedding table, columns of the logits
 * @param window  SnapKV's observation window rows
 */
public record OpShapes(String name, int rows, int width, int hidden, int nHeads, int nKvHeads, int headSize,
                       int past, int vocab, int window) {

    public static final OpShapes RAGGED = new OpShapes("ragged", 77, 390, 1379, 6, 2, 65, 300, 5003, 16);
    public static final OpShapes LLAMA2_7B = new OpShapes("llama2-7b", 1024, 4096, 11008, 32, 32, 128, 1024, 32000, 32);

    public static List<OpShapes> all() {
        return List.of(RAGGED, LLAMA2_7B);
    }

    public static OpShapes parse(String name) {
        return all().stream().filter(s -> s.name.equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown shapes '" + name + "' (expected ragged or llama2-7b)"));
    }

    public int keys() {
        return past + rows;
    }

    public int kvWidth() {
        return nKvHeads * headSize;
    }

    public int attentionWidth() {
        return nHeads * headSize;
    }
}
