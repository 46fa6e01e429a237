#ifndef CPNG_SHIM_H
#define CPNG_SHIM_H
// libpng's simplified and full write/read APIs.
#include <png.h>
#endif
