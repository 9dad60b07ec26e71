package dev.stepmem.cli;

import dev.stepmem.assets.Stories15m;
import dev.stepmem.exit.ExitCodes;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.model.RopeRule;
import dev.stepmem.model.load.Models;
import dev.stepmem.tensor.DType;
import dev.stepmem.tokenizer.HfBpeTokenizer;
import dev.stepmem.tokenizer.Llama2cTokenizer;
import dev.stepmem.tokenizer.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** Which weights and tokenizer to use; shared by every command that runs a model. */
public final class ModelOptions {

    @ArgGroup(exclusive = true)
    Source source = new Source();

    static final class Source {
        @Option(names = {"-m", "--model"}, paramLabel = "PATH",
                description = "llama2.c checkpoint (.bin) or Hugging Face folder (config.json + *.safetensors). "
                        + "Default: stories15M, fetched into the asset cache on first use.")
        Path model;

        @Option(names = "--synthetic", paramLabel = "PRESET",
                description = "Seeded random weights with a preset's shapes: stories15m, llama2-7b, internlm2-7b "
                        + "(for timing: TTFT and memory do not depend on weight values).")
        String synthetic;
    }

    @Option(names = "--dtype", defaultValue = "f32", paramLabel = "TYPE",
            description = "Matrix type of --synthetic weights: f32, bf16 or f16 (default: ${DEFAULT-VALUE}; "
                    + "use bf16 for the 7B presets, 13.5 GB).")
    String dtype;

    @Option(names = "--seed-weights", defaultValue = "1", paramLabel = "N",
            description = "Seed of --synthetic weights (default: ${DEFAULT-VALUE}).")
    long weightSeed;

    @Option(names = {"-z", "--tokenizer"}, paramLabel = "PATH",
            description = "llama2.c tokenizer.bin or Hugging Face tokenizer.json. Default: tokenizer.json in the "
                    + "model folder, else the stories15M / LLaMA-2 tokenizer for 32000-token vocabularies.")
    Path tokenizer;

    @Option(names = "--rope", defaultValue = "checkpoint", paramLabel = "RULE",
            description = "Which forwards get dynamic-NTK RoPE: checkpoint (LLaMA-2-shaped configs and rope_scaling "
                    + "dynamic), reference (the authors' loader: every LLaMA-family model, stories15M included, "
                    + "past its trained context; what the sweeps use) or plain (default: ${DEFAULT-VALUE}).")
    String rope;

    public ModelWeights loadWeights() {
        return loadWeights(false);
    }

    /**
     * @param shapesOnly for the sim backend: --synthetic weights get shapes and dtypes but no memory
     *                   (a 7B model costs nothing to "load"); checkpoints are memory-mapped either way
     */
    public ModelWeights loadWeights(boolean shapesOnly) {
        if (source.synthetic != null) { // the preset and dtype are flag values: a bad one is a usage error
            ExitCodes.option(() -> dev.stepmem.model.ModelConfig.preset(source.synthetic));
            ExitCodes.option(() -> DType.parse(dtype));
        }
        RopeRule rule = ExitCodes.option(() -> RopeRule.parse(rope)); // a bad value: usage error, before any loading
        return load(shapesOnly).withRope(rule);
    }

    private ModelWeights load(boolean shapesOnly) {
        if (source.synthetic != null && shapesOnly) {
            return dev.stepmem.model.load.SyntheticWeights.shapesOnly(
                    dev.stepmem.model.ModelConfig.preset(source.synthetic), DType.parse(dtype));
        }
        if (source.synthetic != null) {
            System.err.println("creating synthetic " + source.synthetic + " weights (" + dtype + ", seed " + weightSeed + ") ...");
            return Models.synthetic(source.synthetic, DType.parse(dtype), weightSeed);
        }
        Path path = source.model != null ? source.model : Stories15m.ensureModel();
        return Models.load(path);
    }

    /** What the weights are, for result rows: the preset or file name, and real | synthetic | shapes. */
    public String modelName(ModelWeights weights) {
        if (source.synthetic != null) {
            return source.synthetic;
        }
        return source.model != null ? source.model.getFileName().toString() : "stories15M";
    }

    public String weightsKind(ModelWeights weights) {
        if (source.synthetic == null) {
            return "real";
        }
        return weights.tokenEmbedding().hasData() ? "synthetic" : "shapes";
    }

    public Tokenizer loadTokenizer(ModelWeights weights) {
        int vocab = weights.config().vocabSize();
        Path path = tokenizer;
        if (path == null && source.model != null && Files.isDirectory(source.model)
                && Files.exists(source.model.resolve("tokenizer.json"))) {
            path = source.model.resolve("tokenizer.json");
        }
        if (path == null) {
            if (vocab != 32000) {
                throw new IllegalArgumentException("the model has a " + vocab
                        + "-token vocabulary: name its tokenizer with --tokenizer (tokenizer.json or tokenizer.bin)");
            }
            path = Stories15m.ensureTokenizer();
        }
        Tokenizer t = path.toString().endsWith(".json") ? HfBpeTokenizer.load(path) : Llama2cTokenizer.load(path, vocab);
        if (t.vocabSize() != vocab) {
            throw new IllegalArgumentException("tokenizer " + path + " has " + t.vocabSize()
                    + " tokens but the model's vocabulary is " + vocab);
        }
        return t;
    }
}
