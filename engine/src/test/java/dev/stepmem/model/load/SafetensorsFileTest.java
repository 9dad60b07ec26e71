package dev.stepmem.model.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepmem.tensor.DType;
import dev.stepmem.tensor.HostTensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {
    @TempDir
    Path dir;

    private static float[] values(DType dt, int n, float base) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = TinyCheckpointWriter.round(dt, base + 0.37f * i - 1.1f);
        }
        return a;
    }

    @Test
    void readsEveryDtypeAndShapeAsZeroCopySlices() throws IOException {
        Map<String, TinyCheckpointWriter.Raw> t = new LinkedHashMap<>();
        t.put("f32", TinyCheckpointWriter.raw(DType.F32, values(DType.F32, 6, 0), 2, 3));
        t.put("bf16", TinyCheckpointWriter.raw(DType.BF16, values(DType.BF16, 5, 1), 5));
        t.put("f16", TinyCheckpointWriter.raw(DType.F16, values(DType.F16, 24, 2), 2, 3, 4));
        Path file = dir.resolve("a.safetensors");
        TinyCheckpointWriter.writeSafetensors(file, t);
        try (Arena arena = Arena.ofConfined()) {
            SafetensorsFile f = SafetensorsFile.open(file, arena);
            assertEquals(Set.of("f32", "bf16", "f16"), f.names());   // no __metadata__
            assertFalse(f.contains("__metadata__"));
            check(f.tensor("f32"), DType.F32, new long[] {2, 3}, values(DType.F32, 6, 0));
            check(f.tensor("bf16"), DType.BF16, new long[] {5}, values(DType.BF16, 5, 1));
            check(f.tensor("f16"), DType.F16, new long[] {2, 3, 4}, values(DType.F16, 24, 2));
            assertTrue(f.tensor("f32").data().isMapped());
        }
    }

    private static void check(SafetensorsFile.Entry e, DType dt, long[] shape, float[] expected) {
        assertEquals(dt, e.dtype());
        assertArrayEquals(shape, e.shape());
        HostTensor h = new HostTensor(e.name(), dt, 1, (int) e.elements(), e.data());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], h.get(i), e.name() + "[" + i + "]");
        }
    }

    private CheckpointException fails(Path file, Executable body, String... fragments) {
        CheckpointException e = assertThrows(CheckpointException.class, body);
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        for (String s : fragments) {
            assertTrue(e.getMessage().contains(s), "'" + s + "' not in: " + e.getMessage());
        }
        return e;
    }

    private CheckpointException failsToOpen(Path file, String... fragments) {
        try (Arena arena = Arena.ofConfined()) {
            return fails(file, () -> SafetensorsFile.open(file, arena), fragments);
        }
    }

    private Path oneTensorFile(String name, String dtype, String shape, String offsets, int dataBytes) throws IOException {
        Path file = dir.resolve(name + ".safetensors");
        TinyCheckpointWriter.writeRaw(file, "{\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape
                + ",\"data_offsets\":" + offsets + "}}", new byte[dataBytes]);
        return file;
    }

    @Test
    void fileShorterThanTheLengthField() throws IOException {
        Path file = dir.resolve("short.safetensors");
        Files.write(file, new byte[] {1, 2, 3});
        failsToOpen(file, "truncated");
    }

    @Test
    void headerLengthBeyondTheFile() throws IOException {
        Path file = dir.resolve("big.safetensors");
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putLong(1_000_000);
        Files.write(file, b.array());
        failsToOpen(file, "header length 1000000", "64 bytes");
    }

    @Test
    void truncatedData() throws IOException {
        Map<String, TinyCheckpointWriter.Raw> t = new LinkedHashMap<>();
        t.put("w", TinyCheckpointWriter.raw(DType.F32, values(DType.F32, 16, 0), 4, 4));
        Path file = dir.resolve("trunc.safetensors");
        TinyCheckpointWriter.writeSafetensors(file, t);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 10);
        }
        failsToOpen(file, "tensor w", "out of range", "truncated");
    }

    @Test
    void offsetsNotMatchingShape() throws IOException {
        failsToOpen(oneTensorFile("w", "F32", "[2,3]", "[0,20]", 24), "tensor w", "20 bytes", "needs 24");
    }

    @Test
    void offsetsOutOfRange() throws IOException {
        failsToOpen(oneTensorFile("w", "F32", "[2,3]", "[8,32]", 24), "tensor w", "out of range");
        failsToOpen(oneTensorFile("x", "F32", "[2]", "[8,0]", 24), "tensor x", "out of range");
    }

    @Test
    void overlappingTensors() throws IOException {
        Path file = dir.resolve("overlap.safetensors");
        TinyCheckpointWriter.writeRaw(file, "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}", new byte[24]);
        failsToOpen(file, "overlaps", "tensor a", "tensor b");
    }

    @Test
    void unsupportedDtypeIsRefusedNamingTheTensor() throws IOException {
        for (String dtype : new String[] {"I8", "F64"}) {
            int bytes = dtype.equals("I8") ? 4 : 32;
            Path file = oneTensorFile("q_" + dtype, dtype, "[4]", "[0," + bytes + "]", bytes);
            try (Arena arena = Arena.ofConfined()) {
                SafetensorsFile f = SafetensorsFile.open(file, arena);   // other tensors stay usable
                fails(file, () -> f.tensor("q_" + dtype), "tensor q_" + dtype, dtype, "only F32, F16 and BF16");
            }
        }
        failsToOpen(oneTensorFile("q", "Q4_K", "[4]", "[0,4]", 4), "tensor q", "unknown dtype Q4_K");
    }

    @Test
    void malformedHeader() throws IOException {
        Path file = dir.resolve("json.safetensors");
        TinyCheckpointWriter.writeRaw(file, "{\"a\": {\"dtype\": ", new byte[8]);
        failsToOpen(file, "not valid JSON");
        Path noOffsets = dir.resolve("entry.safetensors");
        TinyCheckpointWriter.writeRaw(noOffsets, "{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", new byte[8]);
        failsToOpen(noOffsets, "tensor a", "data_offsets");
    }

    @Test
    void missingTensor() throws IOException {
        Path file = oneTensorFile("w", "F32", "[2]", "[0,8]", 8);
        try (Arena arena = Arena.ofConfined()) {
            SafetensorsFile f = SafetensorsFile.open(file, arena);
            fails(file, () -> f.tensor("nope"), "missing tensor nope");
        }
    }

    /** One mapping of a sparse 4.5 GiB file: a tensor past 4 GiB reads fine. */
    @Test
    void readsTensorsPastFourGiB() throws IOException {
        long far = (4L << 30) + (512L << 20) + 3;   // unaligned on purpose
        String header = "{\"near\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"far\":{\"dtype\":\"BF16\",\"shape\":[1,3],\"data_offsets\":[" + far + "," + (far + 6) + "]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("huge.safetensors");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer start = ByteBuffer.allocate(8 + h.length + 8).order(ByteOrder.LITTLE_ENDIAN);
            start.putLong(h.length).put(h).putFloat(1.5f).putFloat(-2.5f).flip();
            ch.write(start, 0);
            ByteBuffer end = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN);
            end.putShort(DType.floatToBf16(0.25f)).putShort(DType.floatToBf16(-3f)).putShort(DType.floatToBf16(7f)).flip();
            ch.write(end, 8 + h.length + far);   // the file is sparse: no 4.5 GiB on disk
        }
        try (Arena arena = Arena.ofShared()) {
            SafetensorsFile f = SafetensorsFile.open(file, arena);
            SafetensorsFile.Entry e = f.tensor("far");
            HostTensor t = new HostTensor("far", e.dtype(), 1, 3, e.data());
            assertEquals(0.25f, t.get(0));
            assertEquals(-3f, t.get(1));
            assertEquals(7f, t.get(2));
            SafetensorsFile.Entry n = f.tensor("near");
            assertEquals(-2.5f, new HostTensor("near", n.dtype(), 1, 2, n.data()).get(1));
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
