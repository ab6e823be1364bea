// Loads Open MPI with dlopen and implements include/CMPI.h over it.
//
// Open MPI's handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM, ...) are the addresses of predefined
// global objects of libmpi (`&ompi_mpi_comm_world`, ...): mpi.h spells them as macros over
// those symbols. Here they are looked up with dlsym instead, so nothing refers to libmpi at link
// time. The types below are Open MPI's handle types, opaque pointers, as libmpi.so.40's ABI has
// them; the constants are its values (MPI_THREAD_FUNNELED 1, MPI_COMM_TYPE_SHARED 0).
#include "CMPI.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

typedef struct ompi_communicator_t *MPI_Comm;
typedef struct ompi_datatype_t *MPI_Datatype;
typedef struct ompi_errhandler_t *MPI_Errhandler;
typedef struct ompi_info_t *MPI_Info;
typedef struct ompi_op_t *MPI_Op;
#define MPI_IN_PLACE ((void *)1)
enum { MPI_THREAD_FUNNELED = 1, MPI_COMM_TYPE_SHARED = 0, MPI_SUCCESS = 0 };

// X(name, return type, parameters).
#define CMPI_FUNCTIONS(X) \
    X(MPI_Init_thread, int, (int *argc, char ***argv, int required, int *provided)) \
    X(MPI_Initialized, int, (int *flag)) \
    X(MPI_Finalized, int, (int *flag)) \
    X(MPI_Finalize, int, (void)) \
    X(MPI_Comm_set_errhandler, int, (MPI_Comm comm, MPI_Errhandler handler)) \
    X(MPI_Comm_rank, int, (MPI_Comm comm, int *rank)) \
    X(MPI_Comm_size, int, (MPI_Comm comm, int *size)) \
    X(MPI_Comm_split_type, int, (MPI_Comm comm, int type, int key, MPI_Info info, MPI_Comm *out)) \
    X(MPI_Comm_free, int, (MPI_Comm *comm)) \
    X(MPI_Barrier, int, (MPI_Comm comm)) \
    X(MPI_Abort, int, (MPI_Comm comm, int code)) \
    X(MPI_Bcast, int, (void *buffer, int count, MPI_Datatype type, int root, MPI_Comm comm)) \
    X(MPI_Allreduce, int, (const void *send, void *recv, int count, MPI_Datatype type, MPI_Op op, MPI_Comm comm)) \
    X(MPI_Allgather, int, (const void *send, int sendCount, MPI_Datatype sendType, void *recv, int recvCount, \
                           MPI_Datatype recvType, MPI_Comm comm)) \
    X(MPI_Allgatherv, int, (const void *send, int sendCount, MPI_Datatype sendType, void *recv, const int *counts, \
                            const int *displs, MPI_Datatype recvType, MPI_Comm comm)) \
    X(MPI_Error_string, int, (int code, char *text, int *length))

// X(variable, symbol): the predefined objects whose addresses are the handles.
#define CMPI_OBJECTS(X) \
    X(world, ompi_mpi_comm_world) \
    X(byte_type, ompi_mpi_byte) \
    X(float_type, ompi_mpi_float) \
    X(double_type, ompi_mpi_double) \
    X(int64_type, ompi_mpi_int64_t) \
    X(sum_op, ompi_mpi_op_sum) \
    X(max_op, ompi_mpi_op_max) \
    X(min_op, ompi_mpi_op_min) \
    X(info_null, ompi_mpi_info_null) \
    X(errors_return, ompi_mpi_errors_return)

#define DECLARE_FUNCTION(name, ret, params) static ret(*p_##name) params;
CMPI_FUNCTIONS(DECLARE_FUNCTION)
#define DECLARE_OBJECT(variable, symbol) static void *variable;
CMPI_OBJECTS(DECLARE_OBJECT)

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int load_status = 1;
static char load_reason[512] = "Open MPI was not loaded";

static void load_once(void) {
    // RTLD_GLOBAL: Open MPI's own plugins (mca_*.so, which it dlopens) resolve libmpi's and
    // libopen-pal's symbols from the global namespace.
    void *handle = dlopen("libmpi.so.40", RTLD_NOW | RTLD_GLOBAL);
    if (!handle) {
        snprintf(load_reason, sizeof load_reason, "%s", dlerror());
        return;
    }
#define RESOLVE_FUNCTION(name, ret, params) \
    p_##name = (ret(*) params)dlsym(handle, #name); \
    if (!p_##name) { snprintf(load_reason, sizeof load_reason, "libmpi.so.40 has no function %s", #name); return; }
    CMPI_FUNCTIONS(RESOLVE_FUNCTION)
#define RESOLVE_OBJECT(variable, symbol) \
    variable = dlsym(handle, #symbol); \
    if (!variable) { \
        snprintf(load_reason, sizeof load_reason, "libmpi.so.40 has no %s: is it Open MPI's?", #symbol); \
        return; \
    }
    CMPI_OBJECTS(RESOLVE_OBJECT)
    load_status = 0;
    load_reason[0] = 0;
}

int cmpi_load(char *reason, size_t size) {
    pthread_once(&once, load_once);
    if (load_status != 0 && reason && size > 0) snprintf(reason, size, "%s", load_reason);
    return load_status;
}

// Every entry point below runs only after a successful cmpi_load (ProcessGroup loads first); the
// guard turns a call before that into an error code instead of a jump through a null pointer.
#define NOT_LOADED 1
#define GUARD if (load_status != 0) return NOT_LOADED

int cmpi_init(void) {
    GUARD;
    int provided = 0;
    // FUNNELED: the toolkit's worker threads never call MPI; only the thread that initialised it does.
    int rc = p_MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
    if (rc == MPI_SUCCESS) p_MPI_Comm_set_errhandler((MPI_Comm)world, (MPI_Errhandler)errors_return);
    return rc;
}
int cmpi_initialized(void) { int flag = 0; if (load_status == 0) p_MPI_Initialized(&flag); return flag; }
int cmpi_finalized(void) { int flag = 0; if (load_status == 0) p_MPI_Finalized(&flag); return flag; }
int cmpi_finalize(void) { GUARD; return p_MPI_Finalize(); }
int cmpi_rank(int *rank) { GUARD; return p_MPI_Comm_rank((MPI_Comm)world, rank); }
int cmpi_size(int *size) { GUARD; return p_MPI_Comm_size((MPI_Comm)world, size); }

int cmpi_local(int *rank, int *size) {
    GUARD;
    MPI_Comm local;
    int rc = p_MPI_Comm_split_type((MPI_Comm)world, MPI_COMM_TYPE_SHARED, 0, (MPI_Info)info_null, &local);
    if (rc != MPI_SUCCESS) return rc;
    p_MPI_Comm_rank(local, rank);
    p_MPI_Comm_size(local, size);
    return p_MPI_Comm_free(&local);
}

int cmpi_barrier(void) { GUARD; return p_MPI_Barrier((MPI_Comm)world); }
int cmpi_abort(int code) { GUARD; return p_MPI_Abort((MPI_Comm)world, code); }

int cmpi_bcast_bytes(void *buffer, int count, int root) {
    GUARD;
    return p_MPI_Bcast(buffer, count, (MPI_Datatype)byte_type, root, (MPI_Comm)world);
}
int cmpi_allreduce_sum_float(float *buffer, int count) {
    GUARD;
    return p_MPI_Allreduce(MPI_IN_PLACE, buffer, count, (MPI_Datatype)float_type, (MPI_Op)sum_op, (MPI_Comm)world);
}
int cmpi_allreduce_sum_double(double *buffer, int count) {
    GUARD;
    return p_MPI_Allreduce(MPI_IN_PLACE, buffer, count, (MPI_Datatype)double_type, (MPI_Op)sum_op, (MPI_Comm)world);
}
int cmpi_allreduce_max_int64(int64_t *buffer, int count) {
    GUARD;
    return p_MPI_Allreduce(MPI_IN_PLACE, buffer, count, (MPI_Datatype)int64_type, (MPI_Op)max_op, (MPI_Comm)world);
}
int cmpi_allreduce_min_int64(int64_t *buffer, int count) {
    GUARD;
    return p_MPI_Allreduce(MPI_IN_PLACE, buffer, count, (MPI_Datatype)int64_type, (MPI_Op)min_op, (MPI_Comm)world);
}
int cmpi_allgather_bytes(const void *send, int count, void *recv) {
    GUARD;
    return p_MPI_Allgather(send, count, (MPI_Datatype)byte_type, recv, count, (MPI_Datatype)byte_type, (MPI_Comm)world);
}
int cmpi_allgatherv_bytes(const void *send, int count, void *recv, const int *counts, const int *displs) {
    GUARD;
    return p_MPI_Allgatherv(send, count, (MPI_Datatype)byte_type, recv, counts, displs, (MPI_Datatype)byte_type,
                            (MPI_Comm)world);
}
int cmpi_error_string(int code, char *text, int *length) {
    if (load_status != 0) {
        *length = snprintf(text, 256, "MPI error %d (Open MPI not loaded)", code);
        return MPI_SUCCESS;
    }
    return p_MPI_Error_string(code, text, length);
}
