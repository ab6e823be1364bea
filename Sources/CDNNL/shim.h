// oneDNN's C API (Debian libdnnl-dev, oneDNN 2.6; no pkg-config file, so the library is linked
// by name). Debian builds oneDNN on OpenMP (libgomp): its thread count is the calling thread's
// OpenMP setting, so the toolkit sets it before every product (see Sources/Tensor/BF16Engine.swift).
#include <dnnl.h>

void omp_set_num_threads(int);
int omp_get_max_threads(void);
