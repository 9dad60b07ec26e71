package dev.stepmem.cli;

import dev.stepmem.model.ModelConfig;
import dev.stepmem.model.ModelWeights;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Prints a model's configuration and where its weights came from. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show a model's shape, parameter count and weight type.")
public final class InfoCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Override
    public Integer call() {
        try (ModelWeights w = model.loadWeights()) {
            ModelConfig c = w.config();
            System.out.printf("source        %s%n", w.source());
            System.out.printf("family        %s%n", c.family());
            System.out.printf("dim / hidden  %d / %d%n", c.dim(), c.hiddenDim());
            System.out.printf("layers        %d%n", c.nLayers());
            System.out.printf("heads / kv    %d / %d (head size %d)%n", c.nHeads(), c.nKvHeads(), c.headSize());
            System.out.printf("vocab         %d%n", c.vocabSize());
            System.out.printf("context       %d%n", c.contextLength());
            System.out.printf("rope          theta %.0f, %s%s%n", c.ropeTheta(), c.ropeStyle(),
                    c.dynamicNtkContext() > 0 ? ", dynamic NTK past " + c.dynamicNtkContext() : "");
            System.out.printf("parameters    %.1fM (%s matrices, %s embeddings)%n", c.parameterCount() / 1e6,
                    w.matrixType(), c.tiedEmbeddings() ? "tied" : "untied");
        }
        return 0;
    }
}
