#ifndef COURSE_CVECTOR_H
#define COURSE_CVECTOR_H

// Vector operations Swift's SIMD types do not lower to single instructions. Swift imports a
// 16-float ext_vector_type as SIMD16<Float>, and these inline into the Swift callers.

typedef float course_float16 __attribute__((ext_vector_type(16)));

/// √x per lane, one vsqrtps. Swift's SIMD16<Float>.squareRoot() calls libm's sqrtf for each
/// of the 16 lanes (errno semantics); this never touches errno.
static inline __attribute__((always_inline)) course_float16 course_sqrt16(course_float16 x) {
    return __builtin_elementwise_sqrt(x);
}

typedef float course_float8 __attribute__((ext_vector_type(8)));
typedef double course_double8 __attribute__((ext_vector_type(8)));

/// The 8 lanes widened to double, one vcvtps2pd (Swift's generic SIMD conversion goes lane by lane).
static inline __attribute__((always_inline)) course_double8 course_widen8(course_float8 x) {
    return __builtin_convertvector(x, course_double8);
}

typedef unsigned int course_uint32x16 __attribute__((ext_vector_type(16)));
typedef unsigned short course_uint16x16 __attribute__((ext_vector_type(16)));

/// The 16 floats rounded to bf16 (the upper 16 bits, round to nearest even; a NaN stays a quiet
/// NaN): about eight AVX-512 instructions. The same steps in Swift SIMD lanes (`bf16Lanes`) are
/// not lowered to vector code and cost ~3 ns a value, more than a product's share of the step.
static inline __attribute__((always_inline)) course_uint16x16 course_bf16_round16(course_float16 x) {
    course_uint32x16 u = (course_uint32x16)x; // the same 64 bytes, reinterpreted
    course_uint32x16 rounded = (u + 0x7FFFu + ((u >> 16) & 1u)) >> 16;
    course_uint32x16 quiet = (u >> 16) | 0x0040u;
    course_uint32x16 nan = (course_uint32x16)((u & 0x7FFFFFFFu) > 0x7F800000u); // all ones where NaN
    return __builtin_convertvector((rounded & ~nan) | (quiet & nan), course_uint16x16);
}

// The activation quantisation kernels of int8 inference (compiled in Quantize.c).
#include "CVectorQuantize.h"

#endif
