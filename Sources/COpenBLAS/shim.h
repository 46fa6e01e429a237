#ifndef COPENBLAS_SHIM_H
#define COPENBLAS_SHIM_H
// OpenBLAS's CBLAS interface (cblas_sgemm and friends) and its thread control
// (openblas_set_num_threads). The include path comes from pkg-config `openblas`.
#include <cblas.h>
#endif
