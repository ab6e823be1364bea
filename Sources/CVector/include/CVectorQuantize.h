#ifndef COURSE_CVECTOR_QUANTIZE_H
#define COURSE_CVECTOR_QUANTIZE_H

// Dynamic int8 quantisation of activations (see Sources/Tensor/Int8Quantize.swift): the two
// passes over an fp32 tensor that run before every int8 product. In C so clang vectorises them
// for the CPU found at run time (target_clones: AVX-512, AVX2, baseline), which Swift's generic
// SIMD float→int conversions do not (they go lane by lane).

#include <stdint.h>

/// The smallest and largest of x[0..<n] (n ≥ 1) into *lo and *hi. NaN is skipped.
void course_minmax_f32(const float *x, long n, float *lo, float *hi);

/// q[i] = clamp(roundeven(x[i] · inv_scale) + zero_point, 0, 255) for i in 0..<n: the u8
/// affine quantisation of ONNX's DynamicQuantizeLinear (ties to even, as it and PyTorch round).
void course_quantize_u8(const float *x, long n, float inv_scale, float zero_point, uint8_t *q);

#endif
