// Activation quantisation kernels (include/CVectorQuantize.h). Plain loops that clang
// vectorises; target_clones builds an AVX-512, an AVX2 and a baseline copy and picks one at load.
#include "CVectorQuantize.h"

#include <math.h>

__attribute__((target_clones("avx512f", "avx2", "default")))
void course_minmax_f32(const float *x, long n, float *lo, float *hi) {
    float mn = INFINITY, mx = -INFINITY;
    for (long i = 0; i < n; i++) {
        // fmin/fmax would keep NaN out too, but these comparisons vectorise to vminps/vmaxps.
        mn = x[i] < mn ? x[i] : mn;
        mx = x[i] > mx ? x[i] : mx;
    }
    *lo = mn;
    *hi = mx;
}

__attribute__((target_clones("avx512f", "avx2", "default")))
void course_quantize_u8(const float *x, long n, float inv_scale, float zero_point, uint8_t *q) {
    for (long i = 0; i < n; i++) {
        float v = __builtin_roundevenf(x[i] * inv_scale) + zero_point;
        v = v >= 0.0f ? v : 0.0f; // also NaN → 0
        v = v > 255.0f ? 255.0f : v;
        q[i] = (uint8_t)(int)v;
    }
}
