package dev.stepmem.cli;

import dev.stepmem.backend.Backend;
import dev.stepmem.exit.ExitCodes;
import dev.stepmem.exit.UsageException;
import dev.stepmem.generate.Generator;
import dev.stepmem.generate.Sampler;
import dev.stepmem.model.LlamaModel;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.tokenizer.Tokenizer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Text generation from a prompt, streamed to stdout; timings to stderr. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Continue a prompt with greedy (default) or sampled decoding.",
                "Text goes to stdout as it is produced; prefill and decode speed go to stderr."})
public final class GenerateCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Mixin
    BackendOption backendOption;

    @Option(names = {"-p", "--prompt"}, required = true, paramLabel = "TEXT", description = "The text to continue.")
    String prompt;

    @Option(names = {"-n", "--steps"}, defaultValue = "256", paramLabel = "N",
            description = "Positions in total, prompt included (default: ${DEFAULT-VALUE}). More than the trained context is allowed, with a note.")
    int steps;

    @Option(names = {"-t", "--temperature"}, defaultValue = "0", paramLabel = "T",
            description = "0 = greedy (default); > 0 samples from softmax(logits / T).")
    float temperature;

    @Option(names = "--top-p", defaultValue = "0.9", paramLabel = "P",
            description = "Nucleus sampling mass when sampling (default: ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = {"-s", "--seed"}, defaultValue = "42", paramLabel = "N",
            description = "Seed of the sampler (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--chunk", paramLabel = "N",
            description = "Prefill the prompt in chunks of at most N tokens (default: the whole prompt at once).")
    Integer chunk;

    @Override
    public Integer call() {
        if (steps < 2) {
            throw new UsageException("--steps must be at least 2, got " + steps);
        }
        if (chunk != null && chunk < 1) {
            throw new UsageException("--chunk must be at least 1, got " + chunk);
        }
        Sampler sampler = ExitCodes.option(() -> new Sampler(temperature, topP, seed));
        Backend backend = backendOption.create(); // every backend flag is checked before the weights load
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (ModelWeights weights = model.loadWeights()) {
            Tokenizer tokenizer = model.loadTokenizer(weights);
            int maxChunk = chunk != null ? Math.min(chunk, steps) : steps;
            if (backendOption.onHostMemory()) {
                HostMemory.requireNative("generate -n " + steps + " (the KV cache and activations of " + steps
                        + " positions, chunks of " + maxChunk + ")", bytesNeeded(weights.config(), maxChunk));
            }
            if (steps > weights.config().contextLength()) {
                System.err.printf("note: %d positions exceed the model's trained context of %d%n",
                        steps, weights.config().contextLength());
            }
            try (LlamaModel m = new LlamaModel(weights, backend, maxChunk, steps)) {
                out.print(prompt);
                Generator.Result r = new Generator(m, tokenizer).generate(prompt, steps, sampler, out::print);
                out.println();
                System.err.printf("prompt %d tokens: prefill %.1f tok/s | generated %d tokens: %.1f tok/s (%s backend, %s)%n",
                        r.promptTokens().length, r.prefillTokensPerSecond(), r.generated().length,
                        r.decodeTokensPerSecond(), backend.name(), weights.source());
            }
        }
        return 0;
    }

    /**
     * What LlamaModel and its KvCache allocate for this run, in bytes (fp32): per chunk row the
     * activations [5 dim + 2 kvDim + 2 hidden] and the logits [vocab]; per position the keys and
     * values of every layer and the rotated keys [(2 layers + 1) kvDim].
     */
    private long bytesNeeded(dev.stepmem.model.ModelConfig c, int maxChunk) {
        long perRow = HostMemory.sum(5L * c.dim(), 2L * c.kvDim(), 2L * c.hiddenDim(), c.vocabSize());
        long perPosition = HostMemory.product(2L * c.nLayers() + 1, c.kvDim());
        return HostMemory.product(4, HostMemory.sum(HostMemory.product(maxChunk, perRow),
                HostMemory.product(steps, perPosition)));
    }
}
