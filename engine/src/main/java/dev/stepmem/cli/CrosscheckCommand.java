package dev.stepmem.cli;

import dev.stepmem.backend.Backend;
import dev.stepmem.backend.Backends;
import dev.stepmem.backend.MemoryLedger;
import dev.stepmem.backend.gpu.DeviceUnavailableException;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.model.load.SyntheticWeights;
import dev.stepmem.ops.Crosscheck;
import dev.stepmem.ops.Crosscheck.Outcome;
import dev.stepmem.prefill.PrefillSettings;
import dev.stepmem.tensor.DType;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `stepmem crosscheck`: a tiny random GQA model end to end on a device against the cpu backend. */
@Command(name = "crosscheck", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Chunked prefill of a tiny random GQA model (d 256, 4 layers, 8 query heads on 2 KV heads) "
                + "on --backend against --against, for FM / IM / IMDC x SnapKV / StreamingLLM x flash / eager: "
                + "the kept tokens of every layer and KV head identical, last logits within --tolerance, the same "
                + "first token, the ledger's peaks equal (total and per category).",
                "Exit codes: 0 all match, 1 a mismatch, 2 bad usage, 3 a backend cannot open here."})
public final class CrosscheckCommand implements Callable<Integer> {
    @Option(names = "--backend", required = true, paramLabel = "SPEC",
            description = "The backend checked: opencl[:DEVICE] or cuda[:DEVICE] (or cpu, reference).")
    String backend;

    @Option(names = "--against", defaultValue = "cpu", paramLabel = "SPEC",
            description = "The backend it must agree with (default: ${DEFAULT-VALUE}).")
    String against;

    @Option(names = {"-L", "--length"}, defaultValue = "360", paramLabel = "N", description = "L (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = {"-c", "--chunk"}, defaultValue = "64", paramLabel = "N", description = "c (default: ${DEFAULT-VALUE}).")
    int chunk;

    @Option(names = "--memory", defaultValue = "64", paramLabel = "N",
            description = "m_max; below L - c, so every method selects (default: ${DEFAULT-VALUE}).")
    int memory;

    @Option(names = "--dtype", defaultValue = "f32", paramLabel = "TYPE",
            description = "Weight type: f32, bf16 or f16 (default: ${DEFAULT-VALUE}; with bf16/fp16 on cuBLAS the "
                    + "activations are rounded, so kept tokens may legitimately differ).")
    String dtype;

    @Option(names = "--tolerance", defaultValue = "1e-4", paramLabel = "X",
            description = "Largest relative error of the last logits (default: ${DEFAULT-VALUE}, as OpenClPrefillTest).")
    double tolerance;

    /** Bad usage: one line and exit code 2 (the project's scheme), not the whole usage text. */
    private static int usageError(String message) {
        System.err.println("error: " + message + "; see stepmem crosscheck --help");
        return 2;
    }

    @Override
    public Integer call() {
        List<PrefillSettings> settings;
        DType type;
        try {
            settings = Crosscheck.settings(length, chunk, memory);
            type = DType.parse(dtype);
        } catch (IllegalArgumentException e) {
            return usageError(e.getMessage());
        }
        for (String s : List.of(backend, against)) {
            try (Backend b = Backends.open(s, new MemoryLedger())) {
                System.out.println(s + ": " + (b instanceof dev.stepmem.backend.gpu.GpuBackend g
                        ? g.runtime().description() : b.name())
                        + (b instanceof dev.stepmem.backend.cuda.CudaBackend c ? "; " + c.gemm() : ""));
            } catch (DeviceUnavailableException e) {
                System.err.println("error: " + s + ": " + e.getMessage());
                return 3;
            }
        }
        Supplier<Backend> checked = () -> Backends.open(backend, new MemoryLedger());
        Supplier<Backend> reference = () -> Backends.open(against, new MemoryLedger());
        int[] tokens = Crosscheck.tokens(length, Crosscheck.TINY_GQA.vocabSize(), 11);
        System.out.printf(Locale.ROOT, "%-50s %-6s %12s %-6s %-7s %14s %10s %10s%n", "setting", "kept", "logits err",
                "first", "peaks", "peak bytes", backend + " ms", against + " ms");
        int failed = 0;
        try (ModelWeights w = SyntheticWeights.create(Crosscheck.TINY_GQA, type, 7)) {
            for (PrefillSettings s : settings) {
                Outcome o = Crosscheck.compare(w, s, tokens, checked, reference);
                System.out.printf(Locale.ROOT, "%-50s %-6s %12.2e %-6s %-7s %,14d %10.1f %10.1f%s%n", s, o.sameKept() ? "same" : "DIFF",
                        o.logitsError(), o.sameFirstToken() ? "same" : "DIFF", o.samePeaks() ? "equal" : "DIFF",
                        o.peak(), o.millis(), o.otherMillis(), o.selections() == 0 ? "  (no selection: raise L or lower m_max)" : "");
                failed += o.passed(tolerance) ? 0 : 1;
            }
        }
        System.out.println(failed == 0 ? "all " + settings.size() + " settings match"
                : failed + " of " + settings.size() + " settings DIFFER");
        return failed == 0 ? 0 : 1;
    }
}
