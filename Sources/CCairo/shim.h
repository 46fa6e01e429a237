#ifndef CCAIRO_SHIM_H
#define CCAIRO_SHIM_H
// Cairo with its image, SVG and PDF surfaces, plus the FreeType/fontconfig
// font backend, so that Render can pin the exact font file it draws with.
#include <cairo.h>
#include <cairo-ft.h>
#include <cairo-svg.h>
#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#endif
