/*
 * The shared kernel dialect: every kernel file compiles both as OpenCL C 1.2 (this prelude is
 * prepended to the source, as CLBlast does) and as CUDA C++ (nvcc -x cu -include prelude.h).
 *
 * Rules the kernels follow so that both builds mean the same thing:
 *  - indices come from GID/LID/GROUP/LSIZE, always as int (tensors stay below 2^31 elements;
 *    the host checks);
 *  - local (shared) memory is declared at kernel scope with sizes from -D defines, never
 *    dynamically sized; helper functions take it through LOCAL_PTR;
 *  - no warp shuffles, no fp16 arithmetic: reductions go through local memory and 16-bit weights
 *    are widened with bit operations (cuda_fp16.h is not on NVRTC's path; PoCL has no fp16);
 *  - `half` is an OpenCL keyword: no identifier is called that.
 */
#ifndef STEPMEM_PRELUDE_H
#define STEPMEM_PRELUDE_H

#ifdef __CUDACC__
#define KERNEL extern "C" __global__
#define GLOBAL
#define LOCAL __shared__
#define LOCAL_PTR
#define INLINE static __device__ __forceinline__
#define BARRIER() __syncthreads()
#define BARRIER_GLOBAL() __syncthreads()
typedef unsigned int uint;
typedef unsigned short ushort;
#define DIM3_(v, d) ((d) == 0 ? (v).x : (d) == 1 ? (v).y : (v).z)
#define LID(d) ((int) DIM3_(threadIdx, d))
#define GROUP(d) ((int) DIM3_(blockIdx, d))
#define LSIZE(d) ((int) DIM3_(blockDim, d))
#define NGROUPS(d) ((int) DIM3_(gridDim, d))
#define GID(d) (GROUP(d) * LSIZE(d) + LID(d))
#define AS_FLOAT(u) __uint_as_float(u)
#define AS_UINT(f) __float_as_uint(f)
#define EXP(x) expf(x)
#define LOG(x) logf(x)
#define SQRT(x) sqrtf(x)
#define COS(x) cosf(x)
#define SIN(x) sinf(x)
#define FMAX(a, b) fmaxf(a, b)
#define IMIN(a, b) min(a, b)
#else
#define KERNEL __kernel
#define GLOBAL __global
#define LOCAL __local
#define LOCAL_PTR __local
#define INLINE static inline
#define BARRIER() barrier(CLK_LOCAL_MEM_FENCE)
/* Also orders the group's global-memory accesses (reads of rows that other work-items then overwrite). */
#define BARRIER_GLOBAL() barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE)
#define LID(d) ((int) get_local_id(d))
#define GROUP(d) ((int) get_group_id(d))
#define LSIZE(d) ((int) get_local_size(d))
#define NGROUPS(d) ((int) get_num_groups(d))
#define GID(d) ((int) get_global_id(d))
#define AS_FLOAT(u) as_float(u)
#define AS_UINT(f) as_uint(f)
#define EXP(x) exp(x)
#define LOG(x) log(x)
#define SQRT(x) sqrt(x)
#define COS(x) cos(x)
#define SIN(x) sin(x)
#define FMAX(a, b) fmax(a, b)
#define IMIN(a, b) min(a, b)
#endif

#define NEG_INF AS_FLOAT(0xff800000u)

/* Largest head size the attention kernels hold in local memory (LLaMA: 128). */
#ifndef HEAD_MAX
#define HEAD_MAX 128
#endif

/* bf16 is the top half of an fp32. */
INLINE float bf16_to_float(ushort bits) {
    return AS_FLOAT(((uint) bits) << 16);
}

/* IEEE half -> float by bit operations (subnormals, infinities and NaN included). */
INLINE float f16_to_float(ushort bits) {
    uint h = (uint) bits;
    uint sign = (h & 0x8000u) << 16;
    uint exponent = (h >> 10) & 0x1fu;
    uint mantissa = h & 0x3ffu;
    if (exponent == 0x1fu) {
        return AS_FLOAT(sign | 0x7f800000u | (mantissa << 13));
    }
    if (exponent == 0u) { /* zero or subnormal: mantissa * 2^-24, exact in fp32 */
        float f = (float) mantissa * 5.9604644775390625e-8f;
        return sign != 0u ? -f : f;
    }
    return AS_FLOAT(sign | ((exponent + 112u) << 23) | (mantissa << 13));
}

/*
 * Weight type of programs built per dtype (gemm, embedding): -DWEIGHT_F32, -DWEIGHT_BF16 or
 * -DWEIGHT_F16 picks the stored type and its widening to fp32.
 */
#if defined(WEIGHT_BF16)
typedef ushort weight_t;
#define WIDEN(x) bf16_to_float(x)
#elif defined(WEIGHT_F16)
typedef ushort weight_t;
#define WIDEN(x) f16_to_float(x)
#else
typedef float weight_t;
#define WIDEN(x) (x)
#endif

/*
 * Work-group reductions over a 1-D group whose size is a power of two, through local memory
 * `scratch` (one float per work-item). Every work-item must call them (they hold barriers) and
 * gets the result; the trailing barrier lets the caller reuse `scratch` at once.
 */
INLINE float group_sum(LOCAL_PTR float *scratch, float value) {
    int lid = LID(0);
    scratch[lid] = value;
    BARRIER();
    for (int stride = LSIZE(0) / 2; stride > 0; stride >>= 1) {
        if (lid < stride) {
            scratch[lid] += scratch[lid + stride];
        }
        BARRIER();
    }
    float result = scratch[0];
    BARRIER();
    return result;
}

INLINE float group_max(LOCAL_PTR float *scratch, float value) {
    int lid = LID(0);
    scratch[lid] = value;
    BARRIER();
    for (int stride = LSIZE(0) / 2; stride > 0; stride >>= 1) {
        if (lid < stride) {
            scratch[lid] = FMAX(scratch[lid], scratch[lid + stride]);
        }
        BARRIER();
    }
    float result = scratch[0];
    BARRIER();
    return result;
}

#endif
