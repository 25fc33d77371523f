/*
 * src/jpeg/jpeg_internal.h - pieces shared between the files of src/jpeg/.
 * Not part of the public API; other modules use include/photovoice/jpeg.h.
 */
#ifndef PV_JPEG_INTERNAL_H
#define PV_JPEG_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "photovoice/jpeg.h"

/* Upper bound on marker segments in one file: bounds the layout's memory.
 * A real photo has a few dozen; progressive files a few dozen more. */
#define PV_JPEG_MAX_SEGMENTS 65536

/* Largest picture we accept, in pixels. A lossless transform holds every DCT
 * coefficient in memory (about 2 bytes a pixel per component), so a forged
 * SOF declaring 65535 x 65535 must not reach it. 268 million pixels covers
 * every phone and camera sold today. */
#define PV_JPEG_MAX_PIXELS ((uint64_t)268 * 1000 * 1000)

/* Identifiers of the APPn segments we classify, payload first bytes. */
#define PV_ID_EXIF "Exif\0\0"
#define PV_ID_EXIF_LEN 6

/* The EXIF Orientation (1..8) in the payload of an APP1 "Exif\0\0" segment
 * (payload = the bytes after the length field). 0 when absent, unreadable
 * or out of range. Reads the payload with libexif; never trusts a field. */
int pv_exif_orientation(const uint8_t *app1_payload, size_t len);

/* 1 when an APP1 payload is the minimal block photovoice writes itself:
 * "Exif\0\0", a TIFF header, IFD0 holding exactly one entry (Orientation,
 * SHORT, count 1, value 1..8) and no further IFD. Sets *orientation. */
int pv_exif_is_minimal_orientation(const uint8_t *app1_payload, size_t len,
				   int *orientation);

/* A complete APP1 segment (marker, length, payload) built with libexif that
 * holds Orientation alone. malloc'd into *seg. 0 or -1 (out of memory). */
int pv_exif_build_orientation_app1(int orientation, uint8_t **seg,
				   size_t *seg_len);

/* Turn a clean JPEG with the lossless transform equivalent to an EXIF
 * orientation 2..8, in libjpeg-turbo's perfect mode, copying no markers.
 * *out is malloc'd. Returns 0, or -1 when the transform is impossible
 * (partial MCU at a moving edge, unusual sampling, damaged data). */
int pv_orient_transform(const uint8_t *jpeg, size_t len, int orientation,
			uint8_t **out, size_t *out_len);

/* 1 for orientations that swap width and height (5..8). */
int pv_orient_swaps_axes(int orientation);

/* Checks a parsed file's segments against the allowlist. `allow_orient_app1`
 * permits exactly one minimal Orientation-only APP1 (see above); its value
 * is stored in *orientation (0 when none). Also checks the table segments
 * are well formed so nothing hides in them. 0 or -1 with a sentence. */
int pv_jpeg_check_allowlist(const uint8_t *buf,
			    const struct pv_jpeg_layout *layout,
			    int allow_orient_app1, int *orientation,
			    struct pv_err *err);

/* 1 when a segment of this kind is on the allowlist. */
int pv_jpeg_kind_allowed(enum pv_seg_kind kind);

/* APP13 "Photoshop 3.0" resources and IPTC-IIM datasets (iptc.c). The walk
 * returns -1 when the payload is not Photoshop 3.0 data. */
typedef void (*pv_ps_resource_fn)(unsigned id, const uint8_t *data, size_t len,
				  void *ctx);
typedef void (*pv_iim_dataset_fn)(uint8_t record, uint8_t dataset,
				  const uint8_t *value, size_t len, void *ctx);
int pv_photoshop_walk(const uint8_t *p, size_t len, pv_ps_resource_fn fn, void *ctx);
void pv_iim_walk(const uint8_t *p, size_t len, pv_iim_dataset_fn fn, void *ctx);

#endif
