// Activation quantisation kernels (include/CVectorQuantize.h). Plain loops that clang
// vectorises; target_clones builds an AVX-512, an AVX2 and a baseline copy and picks one at load.
#include "CVectorQuantize.h"

#include <math.h>

// 16 floats: one AVX-512 register, two AVX2 ones, four SSE ones in the clones.
typedef float course_f32x16 __attribute__((ext_vector_type(16)));

__attribute__((target_clones("avx512f", "avx2", "default")))
void course_minmax_f32(const float *x, long n, float *lo, float *hi) {
    // Explicit vectors: clang does not vectorise a scalar min/max reduction written with
    // comparisons (it would reorder NaN handling), and the scalar loop ran at 2 cycles a value,
    // six times the quantising pass after it. __builtin_elementwise_min/max skip NaN operands,
    // as the comparisons of the tail loop do. Four accumulators of each hide the latency.
    const course_f32x16 inf = (course_f32x16)(INFINITY);
    course_f32x16 mn0 = inf, mn1 = inf, mn2 = inf, mn3 = inf;
    course_f32x16 mx0 = -inf, mx1 = -inf, mx2 = -inf, mx3 = -inf;
    long i = 0;
    for (; i + 64 <= n; i += 64) {
        course_f32x16 a, b, c, d;
        __builtin_memcpy(&a, x + i, sizeof a);
        __builtin_memcpy(&b, x + i + 16, sizeof b);
        __builtin_memcpy(&c, x + i + 32, sizeof c);
        __builtin_memcpy(&d, x + i + 48, sizeof d);
        mn0 = __builtin_elementwise_min(mn0, a); mx0 = __builtin_elementwise_max(mx0, a);
        mn1 = __builtin_elementwise_min(mn1, b); mx1 = __builtin_elementwise_max(mx1, b);
        mn2 = __builtin_elementwise_min(mn2, c); mx2 = __builtin_elementwise_max(mx2, c);
        mn3 = __builtin_elementwise_min(mn3, d); mx3 = __builtin_elementwise_max(mx3, d);
    }
    course_f32x16 mnv = __builtin_elementwise_min(__builtin_elementwise_min(mn0, mn1), __builtin_elementwise_min(mn2, mn3));
    course_f32x16 mxv = __builtin_elementwise_max(__builtin_elementwise_max(mx0, mx1), __builtin_elementwise_max(mx2, mx3));
    float mn = INFINITY, mx = -INFINITY;
    for (int k = 0; k < 16; k++) {
        mn = mnv[k] < mn ? mnv[k] : mn;
        mx = mxv[k] > mx ? mxv[k] : mx;
    }
    for (; i < n; i++) {
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
