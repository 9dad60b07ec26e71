package dev.stepmem.model.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepmem.tensor.DType;
import dev.stepmem.tensor.HostTensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The tensors of a Hugging Face model folder, by name: either one {@code model.safetensors} or
 * the shards listed in {@code model.safetensors.index.json} ({"weight_map": {tensor: shard file}}).
 * Every shard is memory-mapped once into the caller's arena.
 *
 * <p>Matrices are handed out as zero-copy {@link HostTensor} slices [out, in] in the file's dtype;
 * 1-D norm weights [n] become [1, n] F32 tensors (widened into the arena unless already F32).
 */
public final class HfTensors {
    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path folder;
    private final Arena arena;
    /** Tensor name -> file holding it; for a single file every name maps to it. */
    private final Map<String, SafetensorsFile> byName;
    /** Where a missing name is reported: the index file, or the single file. */
    private final String lookupSource;

    private HfTensors(Path folder, Arena arena, Map<String, SafetensorsFile> byName, String lookupSource) {
        this.folder = folder;
        this.arena = arena;
        this.byName = byName;
        this.lookupSource = lookupSource;
    }

    /** Maps the folder's safetensors file(s) into arena. */
    public static HfTensors open(Path folder, Arena arena) {
        Path index = folder.resolve(INDEX_FILE);
        Path single = folder.resolve(SINGLE_FILE);
        if (Files.isRegularFile(index)) {
            return openSharded(folder, index, arena);
        }
        if (Files.isRegularFile(single)) {
            SafetensorsFile f = SafetensorsFile.open(single, arena);
            Map<String, SafetensorsFile> byName = new HashMap<>();
            for (String n : f.names()) {
                byName.put(n, f);
            }
            return new HfTensors(folder, arena, byName, single.toString());
        }
        throw new CheckpointException(folder.toString(), "no " + SINGLE_FILE + " or " + INDEX_FILE
                + " in the folder (Hugging Face safetensors checkpoints only)");
    }

    private static HfTensors openSharded(Path folder, Path index, Arena arena) {
        String name = index.toString();
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(index));
        } catch (JsonProcessingException e) {
            throw new CheckpointException(name, "malformed JSON: " + e.getOriginalMessage(), e);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(name, "no such file");
        } catch (IOException e) {
            throw new CheckpointException(name, "cannot read: " + e.getMessage(), e);
        }
        JsonNode map = root == null ? null : root.path("weight_map");
        if (map == null || !map.isObject()) {
            throw new CheckpointException(name, "no weight_map object");
        }
        Map<String, SafetensorsFile> shards = new HashMap<>();
        Map<String, SafetensorsFile> byName = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            String shard = e.getValue().asText("");
            Path shardPath = folder.resolve(shard).normalize();
            if (shard.isEmpty() || !shardPath.startsWith(folder.normalize())) {
                throw new CheckpointException(name, "tensor " + e.getKey() + " maps to a bad shard name '" + shard + "'");
            }
            SafetensorsFile f = shards.get(shard);
            if (f == null) {
                if (!Files.isRegularFile(shardPath)) {
                    throw new CheckpointException(name, "shard " + shard + " (holding tensor " + e.getKey()
                            + ") does not exist in " + folder);
                }
                f = SafetensorsFile.open(shardPath, arena);
                shards.put(shard, f);
            }
            byName.put(e.getKey(), f);
        }
        return new HfTensors(folder, arena, byName, name);
    }

    public Path folder() {
        return folder;
    }

    public boolean contains(String tensorName) {
        return byName.containsKey(tensorName);
    }

    /** The raw entry (any rank), from whichever file holds it. */
    public SafetensorsFile.Entry entry(String tensorName) {
        SafetensorsFile f = byName.get(tensorName);
        if (f == null) {
            throw new CheckpointException(lookupSource, "missing tensor " + tensorName);
        }
        return f.tensor(tensorName);
    }

    /** The raw entry, checked to have exactly this shape. */
    public SafetensorsFile.Entry entry(String tensorName, long... shape) {
        SafetensorsFile.Entry e = entry(tensorName);
        if (!Arrays.equals(e.shape(), shape)) {
            throw new CheckpointException(byName.get(tensorName).path().toString(), "tensor " + tensorName
                    + " has shape " + e.shapeString() + ", expected " + Arrays.toString(shape));
        }
        return e;
    }

    /** A matrix [rows, cols] as a zero-copy slice in the file's dtype. */
    public HostTensor matrix(String tensorName, int rows, int cols) {
        SafetensorsFile.Entry e = entry(tensorName, rows, cols);
        return new HostTensor(tensorName, e.dtype(), rows, cols, e.data());
    }

    /** A norm weight vector [n] as an F32 tensor [1, n]: widened off-heap unless already F32. */
    public HostTensor normF32(String tensorName, int n) {
        SafetensorsFile.Entry e = entry(tensorName, n);
        if (e.dtype() == DType.F32) {
            return new HostTensor(tensorName, DType.F32, 1, n, e.data());
        }
        HostTensor src = new HostTensor(tensorName, e.dtype(), 1, n, e.data());
        MemorySegment dst = arena.allocate((long) n * Float.BYTES, 64);
        for (int i = 0; i < n; i++) {
            dst.setAtIndex(HostTensor.F32_LE, i, src.get(i));
        }
        return new HostTensor(tensorName, DType.F32, 1, n, dst);
    }
}
