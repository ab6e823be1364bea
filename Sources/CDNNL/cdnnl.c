// Loads oneDNN with dlopen and forwards each cdnnl_ call to it (see include/CDNNL.h for why).
#include "CDNNL.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

// X(name, return type, parameters, arguments, what a call returns before oneDNN is loaded).
#define CDNNL_FUNCTIONS(X) \
    X(dnnl_engine_create, dnnl_status_t, (dnnl_engine_t *a, dnnl_engine_kind_t b, size_t c), (a, b, c), \
      dnnl_runtime_error) \
    X(dnnl_engine_destroy, dnnl_status_t, (dnnl_engine_t a), (a), dnnl_runtime_error) \
    X(dnnl_stream_create, dnnl_status_t, (dnnl_stream_t *a, dnnl_engine_t b, unsigned c), (a, b, c), \
      dnnl_runtime_error) \
    X(dnnl_stream_wait, dnnl_status_t, (dnnl_stream_t a), (a), dnnl_runtime_error) \
    X(dnnl_memory_desc_init_by_strides, dnnl_status_t, \
      (dnnl_memory_desc_t *a, int b, const dnnl_dims_t c, dnnl_data_type_t d, const dnnl_dims_t e), (a, b, c, d, e), \
      dnnl_runtime_error) \
    X(dnnl_memory_create, dnnl_status_t, (dnnl_memory_t *a, const dnnl_memory_desc_t *b, dnnl_engine_t c, void *d), \
      (a, b, c, d), dnnl_runtime_error) \
    X(dnnl_memory_destroy, dnnl_status_t, (dnnl_memory_t a), (a), dnnl_runtime_error) \
    X(dnnl_matmul_desc_init, dnnl_status_t, (dnnl_matmul_desc_t *a, const dnnl_memory_desc_t *b, \
      const dnnl_memory_desc_t *c, const dnnl_memory_desc_t *d, const dnnl_memory_desc_t *e), (a, b, c, d, e), \
      dnnl_runtime_error) \
    X(dnnl_post_ops_create, dnnl_status_t, (dnnl_post_ops_t *a), (a), dnnl_runtime_error) \
    X(dnnl_post_ops_append_sum, dnnl_status_t, (dnnl_post_ops_t a, float b), (a, b), dnnl_runtime_error) \
    X(dnnl_post_ops_append_binary, dnnl_status_t, (dnnl_post_ops_t a, dnnl_alg_kind_t b, const dnnl_memory_desc_t *c), \
      (a, b, c), dnnl_runtime_error) \
    X(dnnl_post_ops_destroy, dnnl_status_t, (dnnl_post_ops_t a), (a), dnnl_runtime_error) \
    X(dnnl_primitive_attr_create, dnnl_status_t, (dnnl_primitive_attr_t *a), (a), dnnl_runtime_error) \
    X(dnnl_primitive_attr_set_post_ops, dnnl_status_t, (dnnl_primitive_attr_t a, const_dnnl_post_ops_t b), (a, b), \
      dnnl_runtime_error) \
    X(dnnl_primitive_attr_destroy, dnnl_status_t, (dnnl_primitive_attr_t a), (a), dnnl_runtime_error) \
    X(dnnl_primitive_attr_set_output_scales, dnnl_status_t, (dnnl_primitive_attr_t a, dnnl_dim_t b, int c, \
      const float *d), (a, b, c, d), dnnl_runtime_error) \
    X(dnnl_primitive_desc_create, dnnl_status_t, (dnnl_primitive_desc_t *a, const_dnnl_op_desc_t b, \
      const_dnnl_primitive_attr_t c, dnnl_engine_t d, const_dnnl_primitive_desc_t e), (a, b, c, d, e), \
      dnnl_runtime_error) \
    X(dnnl_primitive_desc_query, dnnl_status_t, (const_dnnl_primitive_desc_t a, dnnl_query_t b, int c, void *d), \
      (a, b, c, d), dnnl_runtime_error) \
    X(dnnl_primitive_desc_destroy, dnnl_status_t, (dnnl_primitive_desc_t a), (a), dnnl_runtime_error) \
    X(dnnl_primitive_create, dnnl_status_t, (dnnl_primitive_t *a, const_dnnl_primitive_desc_t b), (a, b), \
      dnnl_runtime_error) \
    X(dnnl_primitive_execute, dnnl_status_t, (const_dnnl_primitive_t a, dnnl_stream_t b, int c, \
      const dnnl_exec_arg_t *d), (a, b, c, d), dnnl_runtime_error) \
    X(dnnl_primitive_destroy, dnnl_status_t, (dnnl_primitive_t a), (a), dnnl_runtime_error) \
    X(dnnl_version, const dnnl_version_t *, (void), (), NULL)

#define DECLARE_POINTER(name, ret, params, args, unloaded) static ret(*p_##name) params;
CDNNL_FUNCTIONS(DECLARE_POINTER)
static void (*p_omp_set_num_threads)(int);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int load_status = 1;
static char load_reason[512] = "oneDNN was not loaded";

static void load_once(void) {
    // oneDNN's OpenMP threads share the cores with two other pools (OpenBLAS's pthreads and the
    // toolkit's GCD workers), which run between oneDNN's products. libgomp's default policy spins
    // a worker for a while after each parallel region, taking a core the next OpenBLAS product or
    // softmax needs: on 2 cores, perf showed libgomp's spin loop at 19% of an int8 forward pass.
    // Passive waiting (sleep at once) measured +14-16% int8 inference at t128 and +10% bf16
    // training at b32 t128 (BENCHMARKS.md). libgomp reads the variable when it loads, which is
    // now (dlopen below); a value the user set is kept. glibc's setenv never frees an environment
    // a concurrent getenv may still read.
    setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
    // RTLD_LOCAL keeps oneDNN's symbols out of the global namespace; dlsym on the handle still
    // searches its dependencies (libgomp).
    void *handle = dlopen("libdnnl.so.2", RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        snprintf(load_reason, sizeof load_reason, "%s", dlerror());
        return;
    }
#define RESOLVE(name, ret, params, args, unloaded) \
    p_##name = (ret(*) params)dlsym(handle, #name); \
    if (!p_##name) { \
        snprintf(load_reason, sizeof load_reason, "libdnnl.so.2 has no function %s (not oneDNN 2.x?)", #name); \
        return; \
    }
    CDNNL_FUNCTIONS(RESOLVE)
    p_omp_set_num_threads = (void (*)(int))dlsym(handle, "omp_set_num_threads");
    if (!p_omp_set_num_threads) {
        snprintf(load_reason, sizeof load_reason, "libdnnl.so.2 brings no OpenMP runtime (omp_set_num_threads)");
        return;
    }
    load_status = 0;
    load_reason[0] = 0;
}

int cdnnl_load(char *reason, size_t size) {
    pthread_once(&once, load_once);
    if (load_status != 0 && reason && size > 0) snprintf(reason, size, "%s", load_reason);
    return load_status;
}

// Callers load first (BF16Engine.shared()); a call before that returns an error status instead
// of jumping through a null pointer.
#define DEFINE_WRAPPER(name, ret, params, args, unloaded) \
    ret c##name params { return p_##name ? p_##name args : unloaded; }
CDNNL_FUNCTIONS(DEFINE_WRAPPER)

void cdnnl_set_num_threads(int threads) {
    if (p_omp_set_num_threads) p_omp_set_num_threads(threads);
}
