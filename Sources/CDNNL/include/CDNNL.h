// oneDNN (Debian libdnnl-dev, oneDNN 2.6), loaded on first use rather than linked: a program that
// never computes in bf16 must start on a machine without oneDNN, and pays nothing for it.
//
// The types and constants come from oneDNN's own header; the functions are `cdnnl_` wrappers of
// the `dnnl_` functions of the same name and signature, which call oneDNN through pointers that
// `cdnnl_load` fills with dlsym. Only the functions the toolkit uses are here.
#ifndef CDNNL_H
#define CDNNL_H

#include <oneapi/dnnl/dnnl_types.h>
#include <stddef.h>

// Loads libdnnl.so.2 (and, through it, libgomp) once per process. Returns 0 when every function
// is there; otherwise 1, with the loader's reason in `reason` (NUL-terminated, at most `size` bytes).
// Safe to call from several threads; later calls return the first call's result.
int cdnnl_load(char *reason, size_t size);

dnnl_status_t cdnnl_engine_create(dnnl_engine_t *engine, dnnl_engine_kind_t kind, size_t index);
dnnl_status_t cdnnl_engine_destroy(dnnl_engine_t engine);
dnnl_status_t cdnnl_stream_create(dnnl_stream_t *stream, dnnl_engine_t engine, unsigned flags);
dnnl_status_t cdnnl_stream_wait(dnnl_stream_t stream);
dnnl_status_t cdnnl_memory_desc_init_by_strides(dnnl_memory_desc_t *memory_desc, int ndims, const dnnl_dims_t dims,
                                                dnnl_data_type_t data_type, const dnnl_dims_t strides);
dnnl_status_t cdnnl_memory_create(dnnl_memory_t *memory, const dnnl_memory_desc_t *memory_desc, dnnl_engine_t engine,
                                  void *handle);
dnnl_status_t cdnnl_memory_destroy(dnnl_memory_t memory);
dnnl_status_t cdnnl_matmul_desc_init(dnnl_matmul_desc_t *matmul_desc, const dnnl_memory_desc_t *src_desc,
                                     const dnnl_memory_desc_t *weights_desc, const dnnl_memory_desc_t *bias_desc,
                                     const dnnl_memory_desc_t *dst_desc);
dnnl_status_t cdnnl_post_ops_create(dnnl_post_ops_t *post_ops);
dnnl_status_t cdnnl_post_ops_append_sum(dnnl_post_ops_t post_ops, float scale);
dnnl_status_t cdnnl_post_ops_append_binary(dnnl_post_ops_t post_ops, dnnl_alg_kind_t alg_kind,
                                          const dnnl_memory_desc_t *src1_desc);
dnnl_status_t cdnnl_post_ops_destroy(dnnl_post_ops_t post_ops);
dnnl_status_t cdnnl_primitive_attr_create(dnnl_primitive_attr_t *attr);
dnnl_status_t cdnnl_primitive_attr_set_post_ops(dnnl_primitive_attr_t attr, const_dnnl_post_ops_t post_ops);
dnnl_status_t cdnnl_primitive_attr_destroy(dnnl_primitive_attr_t attr);
dnnl_status_t cdnnl_primitive_attr_set_output_scales(dnnl_primitive_attr_t attr, dnnl_dim_t count, int mask,
                                                   const float *scales);
dnnl_status_t cdnnl_primitive_desc_create(dnnl_primitive_desc_t *primitive_desc, const_dnnl_op_desc_t op_desc,
                                          const_dnnl_primitive_attr_t attr, dnnl_engine_t engine,
                                          const_dnnl_primitive_desc_t hint_forward_primitive_desc);
dnnl_status_t cdnnl_primitive_desc_query(const_dnnl_primitive_desc_t primitive_desc, dnnl_query_t what, int index,
                                         void *result);
dnnl_status_t cdnnl_primitive_desc_destroy(dnnl_primitive_desc_t primitive_desc);
dnnl_status_t cdnnl_primitive_create(dnnl_primitive_t *primitive, const_dnnl_primitive_desc_t primitive_desc);
dnnl_status_t cdnnl_primitive_execute(const_dnnl_primitive_t primitive, dnnl_stream_t stream, int nargs,
                                      const dnnl_exec_arg_t *args);
dnnl_status_t cdnnl_primitive_destroy(dnnl_primitive_t primitive);
const dnnl_version_t *cdnnl_version(void);

// Debian builds oneDNN on OpenMP (libgomp): its thread count is the calling thread's OpenMP setting.
void cdnnl_set_num_threads(int threads);

#endif
