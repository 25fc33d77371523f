/*
 * Scrubbing loose files (photovoice scrub): the privacy rewrite of ingest
 * (pv_jpeg_scrub) on files outside an archive, written as new files in a
 * folder or over the files themselves, and what was removed, in words.
 *
 * Durability, per batch rather than per file (src/util/durable.c): workers
 * write each clean copy to a temporary file beside its destination, unsynced.
 * When a batch is complete, one sync per file system makes all of its bytes
 * durable; then each copy gets its name (a new name in -o DIR, or a rename
 * over the source in place), the folders are synced, and only then is each
 * file reported done. A power loss before the names are synced leaves at
 * most a hidden .pv-write.* file holding clean bytes; the source is the old
 * file or the complete clean copy, never a partial one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "photovoice/i18n.h"
#include "photovoice/ingest.h"
#include "photovoice/util.h"

/* Files made durable with one sync: at most this many, or what was ready
 * within this many milliseconds. */
#define SCRUB_BATCH 64
#define SCRUB_BATCH_MS 2000

/* ---- the report line ----------------------------------------------------- */

struct line {
	char *buf;
	size_t len, cap;
	int items;
};

static void put(struct line *l, const char *s)
{
	int n = snprintf(l->buf + l->len, l->cap - l->len, "%s", s);
	if (n > 0)
		l->len += (size_t)n < l->cap - l->len ? (size_t)n : l->cap - l->len - 1;
}

static void item(struct line *l, const char *s)
{
	put(l, l->items++ ? ", " : "");
	put(l, s);
}

static void human_size(size_t n, char *out, size_t outlen)
{
	if (n < 1000)
		snprintf(out, outlen, "%zu bytes", n);
	else if (n < 1000 * 1000)
		snprintf(out, outlen, "%.1f kB", (double)n / 1000.0);
	else
		snprintf(out, outlen, "%.1f MB", (double)n / 1e6);
}

/* "2 comments": words is the word for n, from ngettext */
static void counted(struct line *l, unsigned n, const char *words)
{
	char s[96];
	snprintf(s, sizeof s, "%u %s", n, words);
	item(l, s);
}

static void removed_kind(struct line *l, int k, unsigned n, size_t trailer)
{
	char s[64];
	switch (k) {
	/* TRANSLATORS: "IMG_1.jpg: removed 2 comments, 1 block of maker data" */
	case PV_SEG_COM: counted(l, n, ngettext("comment", "comments", n)); break;
	case PV_SEG_APP_OTHER:
		counted(l, n, ngettext("block of maker data", "blocks of maker data", n));
		break;
	case PV_SEG_OTHER: counted(l, n, ngettext("unknown block", "unknown blocks", n)); break;
	case PV_SEG_JFXX: item(l, _("JFIF thumbnail")); break;
	case PV_SEG_MPF: item(l, _("multi-picture index")); break;
	case PV_SEG_TRAILER:
		human_size(trailer, s, sizeof s);
		item(l, s);
		put(l, _(" after the end"));
		break;
	default:
		if (n > 1)
			snprintf(s, sizeof s, "%u x %s", n, _(pv_jpeg_kind_name((enum pv_seg_kind)k)));
		else
			snprintf(s, sizeof s, "%s", _(pv_jpeg_kind_name((enum pv_seg_kind)k)));
		item(l, s);
	}
}

/* "(GPS position, serial numbers, ...)": what the removed blocks held. */
static void removed_groups(struct line *l, const uint8_t *buf, size_t len)
{
	static const char *const words[PV_FIND_GROUP_COUNT] = {
		[PV_FIND_LOCATION] = N_("GPS position"),
		[PV_FIND_DEVICE] = N_("camera and serial numbers"),
		[PV_FIND_PEOPLE] = N_("names and captions"), [PV_FIND_DATES] = N_("dates"),
		[PV_FIND_HIDDEN] = N_("hidden images"), [PV_FIND_SOFTWARE] = N_("editing history"),
	};
	struct pv_findings f;
	if (pv_jpeg_inspect(buf, len, &f, NULL) != 0)
		return;
	int seen[PV_FIND_GROUP_COUNT] = { 0 }, any = 0;
	for (size_t i = 0; i < f.count; i++)
		if ((unsigned)f.items[i].group < PV_FIND_GROUP_COUNT)
			seen[f.items[i].group] = 1;
	for (int g = 0; g < PV_FIND_GROUP_COUNT; g++) {
		if (!seen[g] || !words[g])
			continue;
		put(l, any++ ? ", " : " (");
		put(l, _(words[g]));
	}
	if (any)
		put(l, ")");
	pv_findings_free(&f);
}

void pv_scrub_describe(const char *name, const uint8_t *in, size_t in_len,
		       const struct pv_scrub_report *r, char *out, size_t n)
{
	struct line l = { .buf = out, .len = 0, .cap = n, .items = 0 };
	if (!n)
		return;
	out[0] = '\0';
	put(&l, name);
	/* TRANSLATORS: "IMG_1.jpg: removed Exif, XMP (GPS position, ...)" */
	const char *removed = _("removed ");
	put(&l, ": ");
	put(&l, removed);
	size_t head = l.len;
	for (int k = 0; k < PV_SEG_KIND_COUNT; k++)
		if (r->removed[k])
			removed_kind(&l, k, r->removed[k], r->trailer_bytes);
	if (l.items) {
		removed_groups(&l, in, in_len);
	} else {
		l.len = head - strlen(removed);
		l.buf[l.len] = '\0';
		put(&l, _("nothing to remove"));
	}
	if (r->orient_action == PV_ORIENT_BAKED)
		put(&l, _("; turned upright"));
	else if (r->orient_action == PV_ORIENT_TAGGED)
		put(&l, _("; kept only the orientation tag (turning it would lose pixels)"));
}

/* ---- one file ------------------------------------------------------------ */

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* Where the clean copy goes; NULL (with the reason) when it must not. */
static char *destination(const char *path, const char *outdir, struct pv_err *err)
{
	if (!outdir)
		return pv_strdup(path);
	const char *base = base_name(path);
	if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
		pv_fail(err, PV_ERR_INPUT, "%s is a folder, not a photo.", path);
		return NULL;
	}
	return pv_path_join(outdir, base);
}

/* A failure said of the bytes or of a temporary file, not of the file:
 * its name goes in front ("PATH: The file is not a JPEG photo."). The
 * sentences of pv_read_file and destination name it already. */
static int about(const char *path, struct pv_err *err)
{
	pv_err_prefix(err, "%s: ", path);
	return -1;
}

struct item {
	struct pv_scrub_result res;
	char *dest;     /* where the copy goes */
	char *tmp;      /* the copy, written and not yet in place; NULL: nothing
			   to put (failed, or unchanged in place) */
	char line[1024];
};

/* Reads, rewrites and writes the copy to a temporary file (unsynced). */
static int scrub_to_temp(struct item *it, const char *outdir)
{
	uint8_t *in = NULL, *out = NULL;
	size_t in_len = 0, out_len = 0;
	struct pv_err *err = &it->res.err;
	int rc = -1;
	if (!(it->dest = destination(it->res.path, outdir, err)))
		return -1;
	if (pv_read_file(it->res.path, PV_MAX_FILE_BYTES, &in, &in_len, err) != 0)
		goto done;
	if (pv_jpeg_scrub(in, in_len, &out, &out_len, &it->res.rep, err) != 0) {
		about(it->res.path, err);
		goto done;
	}
	pv_scrub_describe(it->res.path, in, in_len, &it->res.rep, it->line, sizeof it->line);
	it->res.line = it->line;
	if (!outdir && out_len == in_len && memcmp(in, out, in_len) == 0) {
		rc = 0;    /* in place and nothing to remove: the file stays as it is */
		goto done;
	}
	char *dir = outdir ? pv_strdup(outdir) : pv_dir_of(it->dest);
	rc = pv_write_temp(dir, out, out_len, &it->tmp, err) == 0 ? 0 : about(it->res.path, err);
	free(dir);
done:
	free(in);
	free(out);
	return rc;
}

/* ---- the batch ----------------------------------------------------------- */

struct run {
	char *const *paths;
	const struct pv_scrub_opts *o;
	struct item *items;
	size_t first, n;           /* the batch: items[first .. first + n) */
	struct timespec started;
	int refused;
};

static double ms_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) * 1000.0 +
	       (double)(now.tv_nsec - t->tv_nsec) / 1e6;
}

/* The whole batch failed to become durable: its copies go, nothing is said
 * to be done. */
static void fail_batch(struct run *r, const struct pv_err *why)
{
	for (size_t k = 0; k < r->n; k++) {
		struct item *it = &r->items[r->first + k];
		if (!it->res.ok)
			continue;
		if (it->tmp)
			unlink(it->tmp);
		it->res.ok = 0;
		it->res.err = *why;
		about(it->res.path, &it->res.err);
	}
}

/* The rule of the header comment: bytes synced, then names given, then the
 * folders synced, then each file said done (or not) in order. */
static void settle_batch(struct run *r)
{
	const char **paths = calloc(r->n ? r->n : 1, sizeof *paths);
	size_t np = 0;
	struct pv_err err = { 0 };
	if (!paths)
		abort();
	for (size_t k = 0; k < r->n; k++)
		if (r->items[r->first + k].tmp)
			paths[np++] = r->items[r->first + k].tmp;
	if (np && pv_sync_filesystems(paths, np, &err) != 0)
		fail_batch(r, &err);
	np = 0;
	for (size_t k = 0; k < r->n; k++) {
		struct item *it = &r->items[r->first + k];
		if (!it->res.ok || !it->tmp)
			continue;
		if (pv_place_file(it->tmp, it->dest, !r->o->outdir, &it->res.err) != 0) {
			about(it->res.path, &it->res.err);
			it->res.ok = 0;
		}
		else
			paths[np++] = it->dest;
	}
	if (np && pv_sync_folders_of(paths, np, &err) != 0)
		fail_batch(r, &err);   /* the names may not last: not said to be done */
	free(paths);
	for (size_t k = 0; k < r->n; k++) {
		struct item *it = &r->items[r->first + k];
		r->refused |= !it->res.ok;
		if (r->o->done)
			r->o->done(&it->res, r->o->ctx);
		free(it->dest);
		free(it->tmp);
		it->dest = it->tmp = NULL;
	}
	r->first += r->n;
	r->n = 0;
}

static void work(size_t i, void *ctx)
{
	struct run *r = ctx;
	struct item *it = &r->items[i];
	it->res.path = r->paths[i];
	it->res.ok = scrub_to_temp(it, r->o->outdir) == 0;
}

static void finish(size_t i, void *ctx)
{
	struct run *r = ctx;
	(void)i;
	if (r->n++ == 0)
		clock_gettime(CLOCK_MONOTONIC, &r->started);
	if (r->n >= SCRUB_BATCH || ms_since(&r->started) >= SCRUB_BATCH_MS)
		settle_batch(r);
}

static int usable_outdir(const char *dir, struct pv_err *err)
{
	struct stat st;
	if (stat(dir, &st) != 0 && (errno != ENOENT || pv_mkdir_p(dir, 0700) != 0))
		return pv_fail(err, PV_ERR_OUTPUT, "The folder %s could not be created (%s).",
			       dir, strerror(errno));
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return pv_fail(err, PV_ERR_OUTPUT, "%s is not a folder; -o needs a folder for "
			       "the clean copies.", dir);
	return 0;
}

int pv_scrub_files(char *const *paths, size_t n, const struct pv_scrub_opts *o,
		   struct pv_err *err)
{
	if (o->outdir && usable_outdir(o->outdir, err) != 0)
		return -1;
	struct run r = { .paths = paths, .o = o, .items = calloc(n ? n : 1, sizeof *r.items) };
	if (!r.items)
		abort();
	pv_pool_run(n, o->jobs > 0 ? o->jobs : pv_default_jobs(), work, finish, &r);
	settle_batch(&r);
	free(r.items);
	return r.refused ? 1 : 0;
}
