package dev.stepmem.model.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepmem.tensor.DType;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One memory-mapped .safetensors file. Layout: u64 little-endian header length N, N bytes of
 * UTF-8 JSON {"name": {"dtype": "BF16", "shape": [rows, cols], "data_offsets": [begin, end]}, ...,
 * "__metadata__": {...}}, then the data; offsets are relative to the byte after the header.
 *
 * <p>The whole file is a single {@link FileChannel#map(FileChannel.MapMode, long, long, Arena)}
 * mapping (long offsets: files past 4 GiB are fine); tensors are zero-copy slices of it, never
 * copied to the Java heap. Only the JSON header is read onto the heap.
 *
 * <p>Every entry's offsets are checked when the file is opened (inside the data, in order without
 * overlap, size = product(shape) × element size). Entries whose dtype this engine cannot compute
 * with (I8, F64, ...) are accepted when the file is opened, so that a checkpoint carrying an extra
 * buffer still loads, but {@link #tensor(String)} refuses them, naming the tensor.
 */
public final class SafetensorsFile {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ValueLayout.OfLong U64_LE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Header sizes above this are refused, as the reference implementation does (100 MB). */
    private static final long MAX_HEADER = 100_000_000L;

    /** One tensor: its element type, shape (row-major, [] = scalar) and bytes inside the mapping. */
    public record Entry(String name, DType dtype, long[] shape, MemorySegment data) {
        public long elements() {
            long n = 1;
            for (long s : shape) {
                n *= s;
            }
            return n;
        }

        public String shapeString() {
            return Arrays.toString(shape);
        }
    }

    /** A header entry before its dtype is checked: dtypeName may be one this engine cannot use. */
    private record RawEntry(String name, String dtypeName, long[] shape, long begin, long end) {
    }

    private final Path path;
    private final Map<String, RawEntry> entries;
    private final MemorySegment data;

    private SafetensorsFile(Path path, Map<String, RawEntry> entries, MemorySegment data) {
        this.path = path;
        this.entries = entries;
        this.data = data;
    }

    /**
     * Maps the file into arena (it stays mapped until the arena is closed) and checks its header.
     *
     * @throws CheckpointException naming the file and the problem
     */
    public static SafetensorsFile open(Path file, Arena arena) {
        String name = file.toString();
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(name, "no such file");
        } catch (IOException e) {
            throw new CheckpointException(name, "cannot read: " + e.getMessage(), e);
        }
        if (size < Long.BYTES) {
            throw new CheckpointException(name, "truncated: " + size
                    + " bytes, shorter than the 8-byte safetensors header length");
        }
        MemorySegment all;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new CheckpointException(name, "cannot read: permission denied", e);
        } catch (IOException e) {
            throw new CheckpointException(name, "cannot map: " + e.getMessage(), e);
        }
        long headerLen = all.get(U64_LE, 0);
        if (headerLen < 2 || headerLen > size - Long.BYTES || headerLen > MAX_HEADER) {
            throw new CheckpointException(name, "header length " + Long.toUnsignedString(headerLen)
                    + " does not fit a file of " + size + " bytes (not a safetensors file, or truncated)");
        }
        byte[] header = all.asSlice(Long.BYTES, headerLen).toArray(ValueLayout.JAVA_BYTE);
        MemorySegment data = all.asSlice(Long.BYTES + headerLen);
        Map<String, RawEntry> entries = parseHeader(name, header, data.byteSize());
        return new SafetensorsFile(file, entries, data);
    }

    public Path path() {
        return path;
    }

    /** Tensor names in header order, without __metadata__. */
    public Set<String> names() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    public boolean contains(String tensorName) {
        return entries.containsKey(tensorName);
    }

    /**
     * The tensor as a slice of the mapping.
     *
     * @throws CheckpointException if the file has no such tensor or its dtype is not F32/F16/BF16
     */
    public Entry tensor(String tensorName) {
        RawEntry e = entries.get(tensorName);
        if (e == null) {
            throw new CheckpointException(path.toString(), "missing tensor " + tensorName);
        }
        DType dtype = switch (e.dtypeName()) {
            case "F32" -> DType.F32;
            case "F16" -> DType.F16;
            case "BF16" -> DType.BF16;
            default -> throw new CheckpointException(path.toString(), "tensor " + tensorName + " has dtype "
                    + e.dtypeName() + "; only F32, F16 and BF16 are supported");
        };
        return new Entry(tensorName, dtype, e.shape().clone(), data.asSlice(e.begin(), e.end() - e.begin()));
    }

    private static Map<String, RawEntry> parseHeader(String file, byte[] header, long dataSize) {
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (JsonProcessingException e) {
            throw new CheckpointException(file, "header is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot parse header: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new CheckpointException(file, "header is not a JSON object");
        }
        Map<String, RawEntry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> f : root.properties()) {
            if (f.getKey().equals("__metadata__")) {
                continue;
            }
            entries.put(f.getKey(), parseEntry(file, f.getKey(), f.getValue(), dataSize));
        }
        checkNoOverlap(file, entries.values());
        return entries;
    }

    private static RawEntry parseEntry(String file, String name, JsonNode node, long dataSize) {
        String where = "tensor " + name + ": ";
        if (!node.isObject() || !node.path("dtype").isTextual() || !node.path("shape").isArray()
                || !node.path("data_offsets").isArray() || node.path("data_offsets").size() != 2) {
            throw new CheckpointException(file, where + "header entry needs dtype, shape and data_offsets [begin, end]");
        }
        String dtype = node.get("dtype").asText();
        int elementBytes = elementBytes(dtype);
        if (elementBytes < 0) {
            throw new CheckpointException(file, where + "unknown dtype " + dtype);
        }
        JsonNode shapeNode = node.get("shape");
        long[] shape = new long[shapeNode.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode s = shapeNode.get(i);
            if (!s.canConvertToLong() || !s.isIntegralNumber() || s.asLong() < 0) {
                throw new CheckpointException(file, where + "bad shape " + shapeNode);
            }
            shape[i] = s.asLong();
            elements = Math.multiplyHigh(elements, shape[i]) != 0 ? -1 : elements * shape[i];
            if (elements < 0) {
                throw new CheckpointException(file, where + "shape " + shapeNode + " is too large");
            }
        }
        JsonNode offs = node.get("data_offsets");
        if (!offs.get(0).isIntegralNumber() || !offs.get(1).isIntegralNumber()
                || !offs.get(0).canConvertToLong() || !offs.get(1).canConvertToLong()) {
            throw new CheckpointException(file, where + "bad data_offsets " + offs);
        }
        long begin = offs.get(0).asLong(), end = offs.get(1).asLong();
        if (begin < 0 || end < begin || end > dataSize) {
            throw new CheckpointException(file, where + "data_offsets [" + begin + ", " + end
                    + "] out of range: the data section has " + dataSize + " bytes (file truncated?)");
        }
        if (elements > dataSize || end - begin != elements * elementBytes) {
            throw new CheckpointException(file, where + "data_offsets [" + begin + ", " + end + "] hold "
                    + (end - begin) + " bytes, but shape " + Arrays.toString(shape) + " of " + dtype
                    + " needs " + (elements > dataSize ? "more" : String.valueOf(elements * elementBytes)));
        }
        return new RawEntry(name, dtype, shape, begin, end);
    }

    private static void checkNoOverlap(String file, Collection<RawEntry> entries) {
        List<RawEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(RawEntry::begin).thenComparingLong(RawEntry::end));
        RawEntry prev = null;
        for (RawEntry e : sorted) {
            if (prev != null && e.begin() < prev.end() && e.end() > e.begin()) {
                throw new CheckpointException(file, "tensor " + e.name() + " (bytes [" + e.begin() + ", "
                        + e.end() + ")) overlaps tensor " + prev.name() + " (bytes [" + prev.begin() + ", "
                        + prev.end() + "))");
            }
            if (e.end() > e.begin()) {
                prev = e;
            }
        }
    }

    /** Element size of every safetensors dtype, -1 for an unknown name. */
    private static int elementBytes(String dtype) {
        return switch (dtype) {
            case "BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3" -> 1;
            case "I16", "U16", "F16", "BF16" -> 2;
            case "I32", "U32", "F32" -> 4;
            case "I64", "U64", "F64" -> 8;
            default -> -1;
        };
    }
}
