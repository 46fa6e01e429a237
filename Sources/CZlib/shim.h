#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H
// zlib's inflate API (gzip streams are read with inflateInit2(windowBits 15+32)).
#include <zlib.h>
#endif
