package dev.stepmem.cli;

import dev.stepmem.model.ModelConfig;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.model.load.SyntheticWeights;
import dev.stepmem.tensor.DType;
import java.util.List;
import picocli.CommandLine.Option;

/** --models and --dtype of the modeled commands: presets as shape-only weights (nothing is allocated). */
public final class ModeledModelOption {
    @Option(names = "--models", split = ",", defaultValue = "llama2-7b", paramLabel = "PRESET,...",
            description = "Model shapes: stories15m, llama2-7b, internlm2-7b (default: ${DEFAULT-VALUE}).")
    List<String> models;

    @Option(names = "--dtype", defaultValue = "bf16", paramLabel = "TYPE",
            description = "Weight dtype: bf16 (the paper's), f16 or f32 (default: ${DEFAULT-VALUE}).")
    String dtype;

    DType matrixType() {
        return DType.parse(dtype);
    }

    ModelWeights shapes(String preset) {
        return shapesFor(preset, dtype);
    }

    ModelWeights shapesFor(String preset, String type) {
        return SyntheticWeights.shapesOnly(ModelConfig.preset(preset), DType.parse(type));
    }
}
