package dev.stepmem.model.load;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.fuzz.ByteMutations;
import dev.stepmem.fuzz.ParserProperty;
import dev.stepmem.model.ModelWeights;
import dev.stepmem.tensor.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: a llama2.c checkpoint, a safetensors file or a config.json of any bytes either loads
 * or is refused with one CheckpointException line naming the file, never another exception (the
 * variants: seeded mutations of a valid tiny checkpoint, see ByteMutations).
 */
class CheckpointParserPropertiesTest {
    @TempDir
    Path dir;

    @Test
    void anyLlama2cCheckpointLoadsOrIsRefusedByName() throws Exception {
        byte[] valid = Files.readAllBytes(Llama2cLoaderTest.write(dir.resolve("valid.bin"), Llama2cLoaderTest.HEADER, 0));
        int refused = ParserProperty.holds(ByteMutations.of(valid, 400, 20), dir.resolve("model.bin"), f -> {
            try (ModelWeights w = Llama2cLoader.load(f)) {
                w.config();
            }
        }, CheckpointException.class);
        assertTrue(refused > 300, "most variants break the size check: " + refused + " of 400 refused");
    }

    @Test
    void anySafetensorsFileOrConfigLoadsOrIsRefusedByName() throws Exception {
        Path folder = dir.resolve("hf");
        var m = TinyCheckpointWriter.randomModel(TinyCheckpointWriter.tinyConfig("llama", false), DType.F32, 7);
        TinyCheckpointWriter.writeFolder(folder, m.config(), TinyCheckpointWriter.tensorsOf(m), 0);
        Path tensors = folder.resolve(HfTensors.SINGLE_FILE), config = folder.resolve(HfConfig.FILE_NAME);
        byte[] validTensors = Files.readAllBytes(tensors), validConfig = Files.readAllBytes(config);
        ParserProperty.Parser load = f -> {
            try (ModelWeights w = Models.load(folder)) {
                w.config();
            }
        };
        int refused = ParserProperty.holds(ByteMutations.of(validTensors, 300, 21), tensors, load, CheckpointException.class);
        assertTrue(refused > 100, refused + " of 300 safetensors variants refused");
        Files.write(tensors, validTensors);
        // a changed config may be reported against the tensors it no longer fits: the message names a file of the folder
        refused = ParserProperty.holds(ByteMutations.of(validConfig, 300, 22), config, load, CheckpointException.class,
                folder.toString());
        assertTrue(refused > 100, refused + " of 300 config.json variants refused");
    }
}
