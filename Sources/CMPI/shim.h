// Open MPI (apt: libopenmpi-dev; pkg-config `ompi`). Open MPI spells MPI_COMM_WORLD, the
// datatypes and the operations as macros over addresses of its globals, which Swift cannot
// import: these inline functions give Swift one call per operation the toolkit uses, always on
// MPI_COMM_WORLD, returning MPI's error code (the world communicator is set to MPI_ERRORS_RETURN).
#include <mpi.h>
#include <stdint.h>

static inline int cmpi_init(void) {
    int provided = 0;
    // FUNNELED: the toolkit's worker threads never call MPI; only the thread that initialised it does.
    int rc = MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
    if (rc == MPI_SUCCESS) MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    return rc;
}
static inline int cmpi_initialized(void) { int flag = 0; MPI_Initialized(&flag); return flag; }
static inline int cmpi_finalized(void) { int flag = 0; MPI_Finalized(&flag); return flag; }
static inline int cmpi_finalize(void) { return MPI_Finalize(); }
static inline int cmpi_rank(int *rank) { return MPI_Comm_rank(MPI_COMM_WORLD, rank); }
static inline int cmpi_size(int *size) { return MPI_Comm_size(MPI_COMM_WORLD, size); }

// The rank and size within this machine (the ranks sharing memory with this one).
static inline int cmpi_local(int *rank, int *size) {
    MPI_Comm local;
    int rc = MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &local);
    if (rc != MPI_SUCCESS) return rc;
    MPI_Comm_rank(local, rank);
    MPI_Comm_size(local, size);
    return MPI_Comm_free(&local);
}

static inline int cmpi_barrier(void) { return MPI_Barrier(MPI_COMM_WORLD); }
static inline int cmpi_abort(int code) { return MPI_Abort(MPI_COMM_WORLD, code); }

static inline int cmpi_bcast_bytes(void *buffer, int count, int root) {
    return MPI_Bcast(buffer, count, MPI_BYTE, root, MPI_COMM_WORLD);
}
// In-place sums on every rank.
static inline int cmpi_allreduce_sum_float(float *buffer, int count) {
    return MPI_Allreduce(MPI_IN_PLACE, buffer, count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
}
static inline int cmpi_allreduce_sum_double(double *buffer, int count) {
    return MPI_Allreduce(MPI_IN_PLACE, buffer, count, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
}
static inline int cmpi_allreduce_max_int64(int64_t *buffer, int count) {
    return MPI_Allreduce(MPI_IN_PLACE, buffer, count, MPI_INT64_T, MPI_MAX, MPI_COMM_WORLD);
}
static inline int cmpi_allreduce_min_int64(int64_t *buffer, int count) {
    return MPI_Allreduce(MPI_IN_PLACE, buffer, count, MPI_INT64_T, MPI_MIN, MPI_COMM_WORLD);
}
// Every rank's `count` bytes, in rank order, into `recv` (size · count bytes).
static inline int cmpi_allgather_bytes(const void *send, int count, void *recv) {
    return MPI_Allgather(send, count, MPI_BYTE, recv, count, MPI_BYTE, MPI_COMM_WORLD);
}
// Rank r's counts[r] bytes at recv + displs[r].
static inline int cmpi_allgatherv_bytes(const void *send, int count, void *recv, const int *counts, const int *displs) {
    return MPI_Allgatherv(send, count, MPI_BYTE, recv, counts, displs, MPI_BYTE, MPI_COMM_WORLD);
}
static inline int cmpi_error_string(int code, char *text, int *length) { return MPI_Error_string(code, text, length); }
