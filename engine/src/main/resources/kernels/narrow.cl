/*
 * fp32 -> bf16 or fp16 (-DWEIGHT_BF16 / -DWEIGHT_F16), round to nearest even, by bit operations:
 * the activations of a vendor GEMM whose operands must share the weight's 16-bit type (cuBLAS's
 * GemmEx takes bf16 x bf16 or fp16 x fp16 with fp32 accumulation, not fp32 x bf16).
 * Bit-exact with DType.floatToBf16 / Float.floatToFloat16 for every non-NaN input.
 */

#if defined(WEIGHT_BF16)
INLINE ushort narrow_one(float f) {
    uint x = AS_UINT(f);
    if ((x & 0x7fffffffu) > 0x7f800000u) {
        return (ushort) ((x >> 16) | 0x40u); /* NaN stays NaN (quiet) */
    }
    return (ushort) ((x + 0x7fffu + ((x >> 16) & 1u)) >> 16);
}
#else
INLINE ushort narrow_one(float f) {
    uint x = AS_UINT(f);
    uint sign = (x >> 16) & 0x8000u;
    uint a = x & 0x7fffffffu;
    if (a > 0x7f800000u) {
        return (ushort) (sign | 0x7e00u | ((a >> 13) & 0x3ffu));
    }
    if (a >= 0x477ff000u) { /* >= 65520 rounds past the largest half: infinity */
        return (ushort) (sign | 0x7c00u);
    }
    if (a >= 0x38800000u) { /* normal half: rebias the exponent, round the 13 dropped bits */
        return (ushort) (sign | ((a - 0x38000000u + 0xfffu + ((a >> 13) & 1u)) >> 13));
    }
    if (a < 0x33000000u) { /* below 2^-25: rounds to zero */
        return (ushort) sign;
    }
    /* subnormal half: the value in units of 2^-24 is the 24-bit significand >> (126 - exponent) */
    uint m = (a & 0x7fffffu) | 0x800000u;
    uint shift = 126u - (a >> 23);
    uint h = m >> shift;
    uint rest = m & ((1u << shift) - 1u), halfway = 1u << (shift - 1u);
    if (rest > halfway || (rest == halfway && (h & 1u) != 0u)) {
        h++;
    }
    return (ushort) (sign | h);
}
#endif

/* out[i] = x[i] in the 16-bit type, i < count */
KERNEL void narrow(GLOBAL ushort *out, GLOBAL const float *x, int count) {
    int i = GID(0);
    if (i < count) {
        out[i] = narrow_one(x[i]);
    }
}
