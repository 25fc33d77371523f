/* The archive file of a bundle: libarchive writing into a temporary file
 * (unnamed where the file system allows, so that a killed bundle leaves
 * nothing) that is synced and then named as the output path, every member
 * with the same fixed time, owner and mode, and SHA256SUMS kept as members are added. The
 * same members always give the same bytes. */
#include "bundle_internal.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct pv_bundle_out {
	int fd;
	char *tmp_path;
	char *out_dir;
	char *work_dir;     /* where temporary files go */
	EVP_MD_CTX *sum;    /* of every byte written to the file */
	struct archive *ar;
	const struct pv_bundle_format_def *format;
	time_t mtime;
	FILE *sums;         /* SHA256SUMS being built */
	char *sums_text;
	size_t sums_len;
	struct pv_err *err;
	int zone_fixed;     /* TZ set to UTC for the zip's DOS times */
	char *zone_saved;   /* the TZ it had (NULL: none was set) */
};

/* ---- the zip's time zone ---------------------------------------------------- */

/* libarchive writes a zip member's DOS time in local time (a format whose
 * row says local_times). So that every
 * machine writes the same bytes, the zone is UTC while members are written,
 * and put back as soon as the file is complete: everything else (consent's
 * "today" above all) keeps the user's own date. */
static void zone_fix_utc(struct pv_bundle_out *o)
{
	const char *tz = getenv("TZ");
	o->zone_saved = tz ? pv_strdup(tz) : NULL;
	o->zone_fixed = 1;
	setenv("TZ", "UTC0", 1);
	tzset();
}

static void zone_restore(struct pv_bundle_out *o)
{
	if (!o->zone_fixed)
		return;
	if (o->zone_saved)
		setenv("TZ", o->zone_saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(o->zone_saved);
	o->zone_saved = NULL;
	o->zone_fixed = 0;
}

/* ---- SHA-256 in pieces ------------------------------------------------------ */

EVP_MD_CTX *pv_bundle_hash_new(void)
{
	EVP_MD_CTX *h = EVP_MD_CTX_new();
	if (!h || EVP_DigestInit_ex(h, EVP_sha256(), NULL) != 1)
		abort();
	return h;
}

void pv_bundle_hash_update(EVP_MD_CTX *h, const void *data, size_t len)
{
	if (EVP_DigestUpdate(h, data, len) != 1)
		abort();
}

void pv_bundle_hash_hex(EVP_MD_CTX *h, char out[PV_SHA256_HEX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	if (EVP_DigestFinal_ex(h, md, &n) != 1 || n != 32)
		abort();
	for (unsigned i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

void pv_bundle_hash_free(EVP_MD_CTX *h)
{
	EVP_MD_CTX_free(h);
}

/* ---- the temporary output file -------------------------------------------- */

/* Links the open unnamed file fd to `path` (which must not exist), through
 * /proc/self/fd: linking needs no privilege that way. */
static int link_unnamed(int fd, const char *path)
{
	char proc[64];
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	return linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW);
}

/* A free name in dir, .pv-bundle.PID.N, linked to the unnamed file fd; NULL
 * with errno set when none could be made. */
static char *link_temporary_name(int fd, const char *dir)
{
	char name[64];
	for (unsigned n = 0; n < 1000; n++) {
		snprintf(name, sizeof name, ".pv-bundle.%ld.%u", (long)getpid(), n);
		char *path = pv_path_join(dir, name);
		if (link_unnamed(fd, path) == 0)
			return path;
		int saved = errno;
		free(path);
		errno = saved;
		if (errno != EEXIST)
			return NULL;
	}
	return NULL;
}

#ifdef O_TMPFILE
/* Whether an unnamed file in dir can be given a name (not in some
 * sandboxes, nor without /proc): an empty one is named and unnamed at once.
 * The bundle's own file cannot be the probe: once named and unnamed again,
 * the kernel no longer lets it be named. */
static int naming_works(const char *dir)
{
	int probe_fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (probe_fd < 0)
		return 0;
	char *probe = link_temporary_name(probe_fd, dir);
	int works = probe && unlink(probe) == 0;
	free(probe);
	close(probe_fd);
	return works;
}
#endif

/* An unnamed file in the output folder (O_TMPFILE): a bundle killed while
 * it is written leaves nothing behind, the kernel frees the file; it gets
 * its name only when complete. -1 where there is none, or where it could
 * not be named at the end (found now, before the work, not after). */
static int open_unnamed(struct pv_bundle_out *o)
{
#ifdef O_TMPFILE
	if (naming_works(o->work_dir)) {
		o->fd = open(o->work_dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
		return o->fd >= 0 ? 0 : -1;
	}
#else
	(void)o;
#endif
	return -1;
}

static int file_open(struct pv_bundle_out *o, const char *out_path,
		     const char *tmpdir)
{
	o->out_dir = pv_dir_of(out_path);
	o->work_dir = pv_strdup(tmpdir ? tmpdir : o->out_dir);
	o->sum = pv_bundle_hash_new();
	if (open_unnamed(o) == 0)
		return 0;
	/* a named temporary file, removed on every error path (not on a kill) */
	o->tmp_path = pv_path_join(o->work_dir, ".pv-bundle.XXXXXX");
	o->fd = mkstemp(o->tmp_path);
	if (o->fd < 0) {
		pv_fail(o->err, PV_ERR_OUTPUT, "The bundle cannot be written because no file can be created in the folder %s (%s).",
			   o->work_dir, strerror(errno));
		free(o->tmp_path);
		o->tmp_path = NULL;
		return -1;
	}
	return 0;
}

/* Names the complete file: the unnamed one straight at out_path when
 * nothing is there yet (nothing can be left half-way), else through a
 * temporary name that the rename then puts over the old file; the named
 * temporary file by that rename. */
static int file_name(struct pv_bundle_out *o, const char *out_path)
{
	if (!o->tmp_path) {
		if (strcmp(o->work_dir, o->out_dir) == 0 && link_unnamed(o->fd, out_path) == 0)
			return 0;
		o->tmp_path = link_temporary_name(o->fd, o->work_dir);
		if (!o->tmp_path) {
			pv_fail(o->err, PV_ERR_OUTPUT, "The bundle could not be saved in the folder %s (%s).",
				   o->work_dir, strerror(errno));
			return -1;
		}
	}
	if (rename(o->tmp_path, out_path) != 0) {
		pv_fail(o->err, PV_ERR_OUTPUT, "The bundle could not be moved to %s (%s).",
			   out_path, strerror(errno));
		return -1;
	}
	free(o->tmp_path);
	o->tmp_path = NULL;   /* nothing left to remove */
	return 0;
}

static int file_commit(struct pv_bundle_out *o, const char *out_path,
		       char sha256[65],
		       int (*before_naming)(const char *, void *, struct pv_err *),
		       void *naming_ctx)
{
	if (fsync(o->fd) != 0) {
		pv_fail(o->err, PV_ERR_OUTPUT, "The bundle could not be saved to disk (%s).",
			   strerror(errno));
		return -1;
	}
	char sha[PV_SHA256_HEX];
	pv_bundle_hash_hex(o->sum, sha);
	if (before_naming && before_naming(sha, naming_ctx, o->err) != 0)
		return -1;
	if (file_name(o, out_path) != 0)
		return -1;
	int closed = close(o->fd);
	o->fd = -1;
	if (closed != 0) {
		/* already named: a bundle that is not known to be whole goes */
		pv_fail(o->err, PV_ERR_OUTPUT, "The bundle could not be saved to disk (%s).",
			   strerror(errno));
		unlink(out_path);
		return -1;
	}
	pv_fsync_dir(o->out_dir);
	if (sha256)
		memcpy(sha256, sha, PV_SHA256_HEX);
	return 0;
}

static la_ssize_t file_write(struct archive *a, void *data, const void *buf,
			     size_t len)
{
	struct pv_bundle_out *o = data;
	if (pv_write_all(o->fd, buf, len) != 0) {
		archive_set_error(a, errno, "%s", strerror(errno));
		return -1;
	}
	pv_bundle_hash_update(o->sum, buf, len);
	return (la_ssize_t)len;
}

/* ---- the archive writer ---------------------------------------------------- */

static int writer_open(struct pv_bundle_out *o)
{
	o->ar = archive_write_new();
	if (!o->ar) {
		pv_fail(o->err, PV_ERR_OUTPUT, "The bundle could not be started (out of memory).");
		return -1;
	}
	if (o->format->setup(o->ar, o->err) != 0)
		return -1;
	/* large blocks: fewer writes; the last block is not padded, so the
	 * bytes are the same whatever the block size */
	archive_write_set_bytes_per_block(o->ar, 1 << 20);
	archive_write_set_bytes_in_last_block(o->ar, 1);
	if (archive_write_open2(o->ar, o, NULL, file_write, NULL, NULL) != ARCHIVE_OK) {
		pv_fail(o->err, PV_ERR_OUTPUT, "The bundle could not be started (%s).",
			   archive_error_string(o->ar));
		return -1;
	}
	return 0;
}

struct pv_bundle_out *pv_bundle_out_open(const char *out_path, const char *tmpdir,
					 const struct pv_bundle_format_def *format,
					 time_t mtime, struct pv_err *err)
{
	struct pv_bundle_out *o = calloc(1, sizeof *o);
	if (!o) {
		pv_fail(err, PV_ERR_OUTPUT, "The bundle could not be started (out of memory).");
		return NULL;
	}
	o->fd = -1;
	o->format = format;
	o->mtime = mtime;
	o->err = err;
	o->sums = open_memstream(&o->sums_text, &o->sums_len);
	if (!o->sums) {
		pv_fail(err, PV_ERR_OUTPUT, "The bundle could not be started (out of memory).");
		pv_bundle_out_discard(o);
		return NULL;
	}
	if (format->local_times)
		zone_fix_utc(o);
	if (file_open(o, out_path, tmpdir) != 0 || writer_open(o) != 0) {
		pv_bundle_out_discard(o);
		return NULL;
	}
	return o;
}

const char *pv_bundle_out_work_dir(const struct pv_bundle_out *o)
{
	return o->work_dir;
}

void pv_bundle_out_discard(struct pv_bundle_out *o)
{
	if (!o)
		return;
	zone_restore(o);
	if (o->ar)
		archive_write_free(o->ar);
	if (o->fd >= 0)
		close(o->fd);
	if (o->tmp_path)
		unlink(o->tmp_path);
	free(o->tmp_path);
	free(o->out_dir);
	free(o->work_dir);
	pv_bundle_hash_free(o->sum);
	if (o->sums)
		fclose(o->sums);
	free(o->sums_text);
	free(o);
}

/* ---- members --------------------------------------------------------------- */

static struct archive_entry *member_header(const char *name, size_t len,
					   time_t mtime)
{
	struct archive_entry *e = archive_entry_new();
	if (!e)
		return NULL;
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_entry_set_mtime(e, mtime, 0);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	return e;
}

static int write_body(struct archive *a, const uint8_t *data, size_t len)
{
	while (len) {
		la_ssize_t w = archive_write_data(a, data, len);
		if (w <= 0)
			return -1;
		data += w;
		len -= (size_t)w;
	}
	return 0;
}

static int fail_member(struct pv_bundle_out *o, const char *name)
{
	pv_fail(o->err, PV_ERR_OUTPUT, "%s could not be written into the bundle (%s).",
		   name, archive_error_string(o->ar));
	return -1;
}

static int start_member(struct pv_bundle_out *o, const char *name, size_t len,
			int compress, const char *sha_hex)
{
	if (o->format->member)
		o->format->member(o->ar, compress);
	struct archive_entry *e = member_header(name, len, o->mtime);
	if (!e)
		return fail_member(o, name);
	int r = archive_write_header(o->ar, e);
	archive_entry_free(e);
	if (r != ARCHIVE_OK)
		return fail_member(o, name);
	if (sha_hex)
		fprintf(o->sums, "%s  %s\n", sha_hex, name);
	return 0;
}

int pv_bundle_out_add(struct pv_bundle_out *o, const char *name,
		      const void *data, size_t len, int compress,
		      const char *sha_hex)
{
	char hex[PV_SHA256_HEX];
	if (!sha_hex) {
		pv_sha256_hex(data, len, hex);
		sha_hex = hex;
	}
	if (start_member(o, name, len, compress, sha_hex) != 0)
		return -1;
	if (write_body(o->ar, data, len) != 0 ||
	    archive_write_finish_entry(o->ar) != ARCHIVE_OK)
		return fail_member(o, name);
	return 0;
}

int pv_bundle_out_add_text(struct pv_bundle_out *o, const char *name,
			   const char *text)
{
	return pv_bundle_out_add(o, name, text, strlen(text), 1, NULL);
}

int pv_bundle_out_add_fd(struct pv_bundle_out *o, const char *name, int fd,
			 size_t len, int compress, const char *sha_hex)
{
	if (start_member(o, name, len, compress, sha_hex) != 0)
		return -1;
	if (lseek(fd, 0, SEEK_SET) != 0)
		return fail_member(o, name);
	uint8_t buf[1 << 16];
	size_t left = len;
	while (left) {
		ssize_t r = read(fd, buf, left < sizeof buf ? left : sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || write_body(o->ar, buf, (size_t)r) != 0)
			return fail_member(o, name);
		left -= (size_t)r;
	}
	if (archive_write_finish_entry(o->ar) != ARCHIVE_OK)
		return fail_member(o, name);
	return 0;
}

/* SHA256SUMS, the archive's end, and the rename. */
int pv_bundle_out_finish(struct pv_bundle_out *o, const char *out_path,
			 char sha256[65],
			 int (*before_naming)(const char *, void *, struct pv_err *),
			 void *naming_ctx)
{
	int r = fclose(o->sums);
	o->sums = NULL;
	if (r != 0) {
		pv_fail(o->err, PV_ERR_OUTPUT, "SHA256SUMS could not be built (out of memory).");
		return -1;
	}
	if (start_member(o, "SHA256SUMS", o->sums_len, 1, NULL) != 0)
		return -1;
	if (write_body(o->ar, (const uint8_t *)o->sums_text, o->sums_len) != 0 ||
	    archive_write_finish_entry(o->ar) != ARCHIVE_OK)
		return fail_member(o, "SHA256SUMS");
	if (archive_write_close(o->ar) != ARCHIVE_OK) {
		pv_fail(o->err, PV_ERR_OUTPUT, "The bundle could not be finished (%s).",
			   archive_error_string(o->ar));
		return -1;
	}
	zone_restore(o);
	return file_commit(o, out_path, sha256, before_naming, naming_ctx);
}
