#ifndef CLAPACK_SHIM_H
#define CLAPACK_SHIM_H
// LAPACK's Fortran interface, the one routine the project calls. Debian's
// liblapack-dev has no C header for it; arguments are passed by reference and
// matrices are column-major (a symmetric matrix is its own transpose).

/// dsyevd: all eigenvalues (ascending, in w) and, with jobz = 'V', the
/// orthonormal eigenvectors (in the columns of a) of the symmetric n x n
/// matrix a, by divide and conquer. Query the workspace with lwork = liwork = -1.
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w,
             double *work, const int *lwork, int *iwork, const int *liwork, int *info);
#endif
