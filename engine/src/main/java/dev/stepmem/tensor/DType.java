package dev.stepmem.tensor;

/** Element types of weights and activations. Activations are always F32; weights may be any. */
public enum DType {
    F32(4),
    /** IEEE half precision. */
    F16(2),
    /** bfloat16: the upper 16 bits of an fp32. */
    BF16(2);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    /** Parses safetensors' dtype names (F32, F16, BF16) and the CLI's lower-case spellings. */
    public static DType parse(String name) {
        return switch (name.toUpperCase(java.util.Locale.ROOT)) {
            case "F32", "FP32", "FLOAT32" -> F32;
            case "F16", "FP16", "FLOAT16" -> F16;
            case "BF16", "BFLOAT16" -> BF16;
            default -> throw new IllegalArgumentException(
                    "unsupported dtype '" + name + "' (expected F32, F16 or BF16)");
        };
    }

    /** bf16 bits -> fp32: bf16 is the top half of an fp32. */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** fp32 -> bf16 with round-to-nearest-even (NaN stays NaN). */
    public static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    public static float f16ToFloat(short bits) {
        return Float.float16ToFloat(bits);
    }

    public static short floatToF16(float f) {
        return Float.floatToFloat16(f);
    }
}
