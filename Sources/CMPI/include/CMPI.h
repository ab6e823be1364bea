// Open MPI, loaded on first use rather than linked: a program that never runs under mpirun must
// start on a machine without Open MPI, and pays nothing for it. One call per operation the
// toolkit uses, always on MPI_COMM_WORLD, returning MPI's error code (0 is MPI_SUCCESS; the world
// communicator is set to MPI_ERRORS_RETURN). Plain C types only: building needs no mpi.h.
#ifndef CMPI_H
#define CMPI_H

#include <stddef.h>
#include <stdint.h>

// Loads libmpi.so.40 (Open MPI 3 to 5) once per process. Returns 0 when every function and
// predefined object is there; otherwise 1, with the loader's reason in `reason` (NUL-terminated,
// at most `size` bytes). Later calls return the first call's result.
int cmpi_load(char *reason, size_t size);

int cmpi_init(void);
int cmpi_initialized(void);
int cmpi_finalized(void);
int cmpi_finalize(void);
int cmpi_rank(int *rank);
int cmpi_size(int *size);
// The rank and size within this machine (the ranks sharing memory with this one).
int cmpi_local(int *rank, int *size);
int cmpi_barrier(void);
int cmpi_abort(int code);
int cmpi_bcast_bytes(void *buffer, int count, int root);
// In-place sums (or max, min) on every rank.
int cmpi_allreduce_sum_float(float *buffer, int count);
int cmpi_allreduce_sum_double(double *buffer, int count);
int cmpi_allreduce_max_int64(int64_t *buffer, int count);
int cmpi_allreduce_min_int64(int64_t *buffer, int count);
// Every rank's `count` bytes, in rank order, into `recv` (size · count bytes).
int cmpi_allgather_bytes(const void *send, int count, void *recv);
// Rank r's counts[r] bytes at recv + displs[r].
int cmpi_allgatherv_bytes(const void *send, int count, void *recv, const int *counts, const int *displs);
int cmpi_error_string(int code, char *text, int *length);

#endif
