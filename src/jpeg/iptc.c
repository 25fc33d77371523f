/*
 * Walking APP13 "Photoshop 3.0" image resources (8BIM blocks) and the IPTC-IIM
 * datasets inside resource 0x0404, every length checked. Shared by inspect
 * (which names what it finds) and caption rescue (which keeps the caption).
 */
#include <string.h>

#include "jpeg_internal.h"

static uint32_t be16(const uint8_t *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Resource: "8BIM", 16-bit id, Pascal name padded to even, 32-bit size, data
 * padded to even. */
int pv_photoshop_walk(const uint8_t *p, size_t len, pv_ps_resource_fn fn, void *ctx)
{
	static const char sig[] = "Photoshop 3.0";
	size_t pos = sizeof sig;   /* including its NUL */
	if (len < pos || memcmp(p, sig, sizeof sig) != 0)
		return -1;
	while (len - pos >= 12 && memcmp(p + pos, "8BIM", 4) == 0) {
		unsigned id = be16(p + pos + 4);
		size_t name = (size_t)p[pos + 6] + 1;
		name += name & 1;
		pos += 6;
		if (len - pos < name + 4)
			break;
		pos += name;
		size_t dlen = be32(p + pos);
		pos += 4;
		if (dlen > len - pos)
			break;
		fn(id, p + pos, dlen, ctx);
		pos += dlen + (dlen & 1);
		if (pos > len)
			break;
	}
	return 0;
}

/* Dataset: 0x1C, record, dataset, 16-bit length, or an extended length whose
 * byte count (1 to 4) has the top bit set. */
void pv_iim_walk(const uint8_t *p, size_t len, pv_iim_dataset_fn fn, void *ctx)
{
	size_t pos = 0;
	while (len - pos >= 5 && p[pos] == 0x1C) {
		uint8_t rec = p[pos + 1], ds = p[pos + 2];
		size_t l = be16(p + pos + 3);
		pos += 5;
		if (l & 0x8000) {
			size_t n = l & 0x7FFF;
			if (n == 0 || n > 4 || len - pos < n)
				return;
			l = 0;
			for (size_t i = 0; i < n; i++)
				l = l << 8 | p[pos + i];
			pos += n;
		}
		if (l > len - pos)
			return;
		fn(rec, ds, p + pos, l, ctx);
		pos += l;
	}
}
