#ifndef COPENBLAS_SHIM_H
#define COPENBLAS_SHIM_H
// OpenBLAS's CBLAS interface (cblas_sgemm and friends) and its thread control
// (openblas_set_num_threads). The include path comes from pkg-config `openblas`.
#include <cblas.h>

// The pthreads build of OpenBLAS starts its worker threads when the library
// loads, and each one spins on sched_yield for about 0.1 s before it sleeps:
// a core taken from whatever the process does first. blas_thread_shutdown_
// (exported, the call OpenBLAS's own fork handler makes) ends them; the next
// call that wants threads starts them again. Weak, because the serial and
// OpenMP builds have no such pool and no such symbol.
extern int blas_thread_shutdown_(void) __attribute__((weak));

static inline void copenblas_stop_idle_threads(void) {
    if (blas_thread_shutdown_) blas_thread_shutdown_();
}
#endif
