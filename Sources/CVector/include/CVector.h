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

#endif
