package dev.stepmem.model.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.backend.RopeStyle;
import dev.stepmem.model.LayerWeights;
import dev.stepmem.model.ModelConfig;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.tensor.DType;
import dev.stepmem.tensor.HostTensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Loads tiny checkpoints written in the real LLaMA / InternLM2 layouts and compares every tensor. */
class HfCheckpointLoaderTest {
    @TempDir
    Path dir;

    static Stream<Arguments> layouts() {
        return Stream.of("llama", "internlm2").flatMap(f -> Stream.of(DType.values()).flatMap(t ->
                Stream.of(false, true).map(tied -> Arguments.of(f, t, tied))));
    }

    private TinyCheckpointWriter.TinyModel write(Path folder, String family, DType t, boolean tied, int shards)
            throws IOException {
        TinyCheckpointWriter.TinyModel m = TinyCheckpointWriter.randomModel(
                TinyCheckpointWriter.tinyConfig(family, tied), t, 1234);
        TinyCheckpointWriter.writeFolder(folder, m.config(), TinyCheckpointWriter.tensorsOf(m), shards);
        return m;
    }

    @ParameterizedTest(name = "{0} {1} tied={2}")
    @MethodSource("layouts")
    void everyTensorComesBackAsWritten(String family, DType t, boolean tied) throws IOException {
        TinyCheckpointWriter.TinyModel m = write(dir, family, t, tied, 0);
        try (ModelWeights w = HfCheckpointLoader.load(dir)) {
            assertEquals(m.config(), w.config());
            assertEquals(t, w.matrixType());
            assertSameWeights(m, w);
            if (tied) {
                assertSame(w.tokenEmbedding(), w.classifier());
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} tied={2}")
    @MethodSource("layouts")
    void shardedEqualsSingle(String family, DType t, boolean tied) throws IOException {
        TinyCheckpointWriter.TinyModel m = write(dir.resolve("single"), family, t, tied, 0);
        write(dir.resolve("sharded"), family, t, tied, 3);
        try (ModelWeights single = HfCheckpointLoader.load(dir.resolve("single"));
             ModelWeights sharded = HfCheckpointLoader.load(dir.resolve("sharded"))) {
            assertEquals(single.config(), sharded.config());
            assertSameWeights(m, sharded);
            assertSameWeights(m, single);
        }
    }

    /** Every element of every tensor equals the written value (wq/wk/wv de-interleaved for InternLM2). */
    static void assertSameWeights(TinyCheckpointWriter.TinyModel m, ModelWeights w) {
        assertEqualValues(m.embedding(), w.tokenEmbedding());
        assertEqualValues(m.classifier(), w.classifier());
        assertEqualValues(m.norm(), w.rmsFinal());
        assertEquals(DType.F32, w.rmsFinal().dtype());
        for (int n = 0; n < m.config().nLayers(); n++) {
            LayerWeights l = w.layers().get(n);
            List<HostTensor> got = List.of(l.rmsAtt(), l.wq(), l.wk(), l.wv(), l.wo(), l.rmsFfn(), l.w1(), l.w2(), l.w3());
            float[][] want = m.layers().get(n);
            for (int k = 0; k < got.size(); k++) {
                assertEqualValues(want[k], got.get(k));
            }
        }
    }

    static void assertEqualValues(float[] expected, HostTensor t) {
        assertEquals(expected.length, t.elements(), t.name());
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(t.get(i))) {
                throw new AssertionError(t.name() + "[" + i + "]: expected " + expected[i] + ", got " + t.get(i));
            }
        }
    }

    @Test
    void configMapping() throws IOException {
        write(dir, "internlm2", DType.BF16, false, 0);
        try (ModelWeights w = HfCheckpointLoader.load(dir)) {
            ModelConfig c = w.config();
            assertEquals("internlm2", c.family());
            assertEquals(1_000_000.0, c.ropeTheta());
            assertEquals(RopeStyle.ROTATE_HALF, c.ropeStyle());
            assertEquals(2, c.nKvHeads());
            assertEquals(1e-5f, c.normEps());
            assertEquals(0, c.dynamicNtkContext());
            assertTrue(w.source().contains(dir.toString()));
        }
        var llama = TinyCheckpointWriter.configJson(TinyCheckpointWriter.tinyConfig("llama", false));
        llama.remove("num_key_value_heads");
        llama.remove("rope_theta");
        llama.put("max_position_embeddings", 4096);
        ModelConfig c = HfConfig.parse("config.json", llama);
        assertEquals(4, c.nKvHeads());                 // default: MHA
        assertEquals(10000.0, c.ropeTheta());          // default
        assertEquals(4096, c.dynamicNtkContext());     // LLaMA-2: dynamic NTK past 4096
        var scaled = TinyCheckpointWriter.configJson(TinyCheckpointWriter.tinyConfig("internlm2", false));
        scaled.putObject("rope_scaling").put("type", "dynamic").put("factor", 2.0);
        assertEquals(128, HfConfig.parse("config.json", scaled).dynamicNtkContext());
        scaled.putObject("rope_scaling").put("rope_type", "dynamic").put("original_max_position_embeddings", 64);
        assertEquals(64, HfConfig.parse("config.json", scaled).dynamicNtkContext());
    }

    @Test
    void closingTheWeightsUnmapsAndFrees() throws IOException {
        write(dir, "internlm2", DType.F16, false, 2);
        ModelWeights w = HfCheckpointLoader.load(dir);
        HostTensor mapped = w.layers().get(0).wo();
        HostTensor copied = w.layers().get(0).wq();
        HostTensor widened = w.layers().get(0).rmsAtt();
        mapped.get(0);
        w.close();
        assertThrows(IllegalStateException.class, () -> mapped.get(0));
        assertThrows(IllegalStateException.class, () -> copied.get(0));
        assertThrows(IllegalStateException.class, () -> widened.get(0));
    }

    @Test
    void callersArenaOwnsTheMemory() throws IOException {
        TinyCheckpointWriter.TinyModel m = write(dir, "llama", DType.BF16, false, 0);
        HostTensor wq;
        try (Arena arena = Arena.ofShared()) {
            ModelWeights w = HfCheckpointLoader.load(dir, arena);
            w.close();   // the caller's arena stays open
            assertSameWeights(m, w);
            wq = w.layers().get(1).wq();
        }
        HostTensor closed = wq;
        assertThrows(IllegalStateException.class, () -> closed.get(0));
    }
}
