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

// The activation quantisation kernels of int8 inference (compiled in Quantize.c).
#include "CVectorQuantize.h"

#endif
