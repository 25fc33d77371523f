/*
 * The end of a PDF drawn with cairo (photovoice/util.h): the poster of a
 * bundle and the invitation sheet finish theirs the same way.
 */
#include <cairo.h>

#include "photovoice/util.h"

const char *pv_pdf_finish(cairo_surface_t *pdf, cairo_t *cr)
{
	cairo_status_t st = cairo_status(cr);
	cairo_destroy(cr);
	cairo_surface_finish(pdf);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(pdf);
	cairo_surface_destroy(pdf);
	return st == CAIRO_STATUS_SUCCESS ? NULL : cairo_status_to_string(st);
}
