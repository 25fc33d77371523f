/*
 * Writing to the content-addressed media store: a photo under the SHA-256 of
 * its bytes, its derived files beside it, and the one sync per batch. Apart
 * from archive.c so that a program that only reads the catalogue (the light
 * half of photovoice, see src/cli/main.c) does not load libcrypto.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "photovoice/store.h"
#include "photovoice/util.h"
#include "store_internal.h"

static int is_derived_kind(const char *kind)
{
	return kind && (strcmp(kind, "thumb") == 0 || strcmp(kind, "preview") == 0);
}

char *pv_archive_derived_path(const struct pv_archive *a, const char *sha256,
			      const char *kind)
{
	return is_derived_kind(kind) ? pv_archive_file_path(a, sha256, kind) : NULL;
}

static int is_sha256_hex(const char *s)
{
	size_t n = strspn(s, "0123456789abcdef");
	return n == 64 && s[64] == '\0';
}

/* A new name in the media store, written without a sync of its own. */
static int put_unsynced(struct pv_archive *a, const char *path, const void *data,
			size_t len, struct pv_err *err)
{
	struct pv_err e;
	char *tmp;
	if (pv_write_temp(a->tmp_dir, data, len, &tmp, &e) != 0 ||
	    pv_place_file(tmp, path, 1, &e) != 0) {
		pv_fail(err, PV_ERR_ARCHIVE, "%s", e.msg);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

/* Writes path under media/ab/ (made when missing). The durability rule of
 * the media store: a new name is written without a sync of its own, and
 * pv_archive_sync, once for a whole batch, makes it durable before any
 * catalogue row may point at it (ingest syncs, then COMMITs, then removes
 * originals). A name that exists already may have a row pointing at it: it
 * is left alone when it holds these very bytes, and otherwise replaced by a
 * write synced before the rename, so that a power loss never leaves it
 * worse than it was. */
static int put_file(struct pv_archive *a, const char *sha256, const char *kind,
		    const void *data, size_t len, struct pv_err *err)
{
	char fan[3] = { sha256[0], sha256[1], '\0' };
	char *sub = pv_path_join(a->media_dir, fan);
	int r = pv_archive_make_dir(sub, err);
	free(sub);
	if (r != 0)
		return -1;
	char *path = pv_archive_file_path(a, sha256, kind);
	char want[PV_SHA256_HEX], have[PV_SHA256_HEX];
	int64_t size;
	struct stat st;
	if (lstat(path, &st) != 0)
		r = put_unsynced(a, path, data, len, err);
	else if (pv_sha256_hex(data, len, want), pv_sha256_file(path, have, &size) == 0 &&
		 size == (int64_t)len && strcmp(have, want) == 0)
		r = 0;
	else
		r = pv_write_atomic(path, a->tmp_dir, data, len, err);
	free(path);
	return r;
}

int pv_archive_sync(struct pv_archive *a, struct pv_err *err)
{
	const char *dir = a->media_dir;
	return pv_sync_filesystems(&dir, 1, err);
}

int pv_archive_put_media(struct pv_archive *a, const void *data, size_t len,
			 char sha256[65], struct pv_err *err)
{
	pv_sha256_hex(data, len, sha256);
	return put_file(a, sha256, NULL, data, len, err);
}

int pv_archive_put_derived(struct pv_archive *a, const char *sha256,
			   const char *kind, const void *data, size_t len,
			   struct pv_err *err)
{
	if (!sha256 || !is_sha256_hex(sha256) || !is_derived_kind(kind)) {
		pv_fail(err, PV_ERR_ARCHIVE, "A derived file needs the photo's SHA-256 and the "
			   "kind thumb or preview.");
		return -1;
	}
	return put_file(a, sha256, kind, data, len, err);
}
