package dev.stepmem.model.load;

import dev.stepmem.model.ModelConfig;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.tensor.DType;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens weights from what the user named: a llama2.c .bin file, a Hugging Face folder, or a synthetic preset. */
public final class Models {
    private Models() {
    }

    public static ModelWeights load(Path path) {
        if (Files.isDirectory(path)) {
            return HfCheckpointLoader.load(path);
        }
        if (!Files.exists(path)) {
            throw new CheckpointException(path.toString(),
                    "no such file or folder (expected a llama2.c .bin checkpoint or a Hugging Face folder with config.json)");
        }
        return Llama2cLoader.load(path);
    }

    /** Seeded random weights for a preset (stories15m, llama2-7b, internlm2-7b). */
    public static ModelWeights synthetic(String preset, DType matrixType, long seed) {
        return SyntheticWeights.create(ModelConfig.preset(preset), matrixType, seed);
    }
}
