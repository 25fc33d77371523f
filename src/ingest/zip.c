/*
 * Zip submissions, read with libarchive and never extracted to disk. Listing
 * reads every entry's header (and the small caption files); workers later
 * read one photo member each, straight into memory. Every byte count is
 * measured on what is actually decompressed, never taken from the sizes a
 * zip declares, so a zip bomb is stopped while it streams.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "photovoice/i18n.h"
#include "pipeline.h"

#define ZIP_BLOCK ((size_t)64 << 10)

/* ---- names ------------------------------------------------------------- */

static const char *base_of(const char *name)
{
	const char *slash = strrchr(name, '/');
	return slash ? slash + 1 : name;
}

/* What operating systems add to zips they make: never a participant's work. */
static int is_os_bookkeeping(const char *name)
{
	const char *base = base_of(name);
	return strncmp(name, "__MACOSX/", 9) == 0 || strcmp(base, ".DS_Store") == 0 ||
	       strncmp(base, "._", 2) == 0 || strcasecmp(base, "Thumbs.db") == 0 ||
	       strcasecmp(base, "desktop.ini") == 0;
}

/* Why a member's name is refused, or NULL when it is safe: no way out of
 * the zip (.., absolute paths, drive letters), nothing that breaks a line. */
static const char *unsafe_name(const char *name)
{
	if (!*name)
		return _("It has no name.");
	if (pv_name_has_control(name))
		return _("Its name contains a line break or another control character.");
	if (name[0] == '/' || name[0] == '\\' || (name[0] && name[1] == ':'))
		return _("Its name is an absolute path, which could point outside the drop folder.");
	for (const char *c = name; *c;) {
		size_t n = strcspn(c, "/\\");
		if (n == 2 && c[0] == '.' && c[1] == '.')
			return _("Its name contains '..', which could point outside the drop folder.");
		c += n + (c[n] != '\0');
	}
	return NULL;
}

const char *pv_zip_unsafe_name(const char *name)
{
	return unsafe_name(name);
}

/* Why an entry of this type is refused, or NULL for a regular file. */
static const char *unsafe_type(struct archive_entry *e)
{
	if (archive_entry_is_encrypted(e))
		return _("It is protected with a password, so it cannot be read.");
	if (archive_entry_hardlink(e) || archive_entry_filetype(e) == AE_IFLNK)
		return _("It is a link; photovoice never follows links.");
	if (archive_entry_filetype(e) != AE_IFREG)
		return _("It is a device or special file, not a photo.");
	return NULL;
}

/* ---- refusals ---------------------------------------------------------- */

void pv_zip_refuse_member(struct zip_submission *z, const char *name, const char *reason)
{
	pv_zip_refuse_copy(z, name, reason, 0);
}

void pv_zip_refuse_copy(struct zip_submission *z, const char *name, const char *reason,
			int64_t same_entry)
{
	char *shown = pv_shown_name(name);
	pthread_mutex_lock(&z->lock);
	size_t old = z->refused ? strlen(z->refused) : 0;
	size_t add = strlen(shown) + strlen(reason) + 4;
	z->refused = realloc(z->refused, old + add);
	if (!z->refused)
		abort();
	snprintf(z->refused + old, add, "%s: %s\n", shown, reason);
	z->nrefused++;
	z->refusals = realloc(z->refusals, (z->nrefusals + 1) * sizeof *z->refusals);
	if (!z->refusals)
		abort();
	z->refusals[z->nrefusals++] = (struct refusal){ pv_strdup(name), pv_strdup(reason),
							  same_entry };
	pthread_mutex_unlock(&z->lock);
	free(shown);
}

/* ---- reading with limits ----------------------------------------------- */

static uint64_t at_least(uint64_t v, uint64_t floor)
{
	return v > floor ? v : floor;
}

/* Counts n more decompressed bytes against the zip's total; -1 when over. */
static int count_total(struct zip_submission *z, size_t n, struct pv_err *err)
{
	pthread_mutex_lock(&z->lock);
	z->total_out += n;
	uint64_t total = z->total_out;
	pthread_mutex_unlock(&z->lock);
	if (total > PV_ZIP_MAX_TOTAL_BYTES) {
		pv_fail(err, PV_ERR_INPUT, "The zip unpacks to more than %llu MB in all, more than "
			 "photovoice takes from one zip.",
			 (unsigned long long)(PV_ZIP_MAX_TOTAL_BYTES >> 20));
		return -1;
	}
	if (total > PV_ZIP_MAX_RATIO * at_least((uint64_t)z->size, PV_ZIP_RATIO_FLOOR)) {
		pv_fail(err, PV_ERR_INPUT, "The zip unpacks to more than %d times its own size, which "
			 "only a zip bomb does.", PV_ZIP_MAX_RATIO);
		return -1;
	}
	return 0;
}

static int check_member_limits(uint64_t out, uint64_t packed, uint64_t cap, struct pv_err *err)
{
	if (out > cap) {
		pv_fail(err, PV_ERR_INPUT, "It unpacks to more than %llu MB, more than photovoice "
			 "takes for one file.", (unsigned long long)(cap >> 20));
		return -1;
	}
	if (out > PV_ZIP_MAX_RATIO * at_least(packed, PV_ZIP_RATIO_FLOOR)) {
		pv_fail(err, PV_ERR_INPUT, "It unpacks to more than %d times its packed size, which "
			 "only a zip bomb does.", PV_ZIP_MAX_RATIO);
		return -1;
	}
	return 0;
}

static void append(uint8_t **buf, size_t *cap, size_t len, const void *p, size_t n)
{
	if (len + n + 1 > *cap) {
		while (len + n + 1 > *cap)
			*cap = *cap ? *cap * 2 : ZIP_BLOCK;
		*buf = realloc(*buf, *cap);
		if (!*buf)
			abort();
	}
	memcpy(*buf + len, p, n);
}

/* Reads the current entry's data, at most cap bytes, checking every limit as
 * the bytes come. */
static int read_data(struct archive *ar, struct zip_submission *z, uint64_t cap,
		     uint8_t **data, size_t *len, struct pv_err *err)
{
	int64_t start = archive_filter_bytes(ar, 0);
	uint8_t *buf = NULL, *chunk = malloc(ZIP_BLOCK);
	size_t bufcap = 0, got = 0;
	if (!chunk)
		abort();
	int r = 0;
	for (;;) {
		la_ssize_t k = archive_read_data(ar, chunk, ZIP_BLOCK);
		if (k == 0)
			break;
		if (k < 0) {
			pv_fail(err, PV_ERR_INPUT, "It could not be unpacked; the zip may be damaged or "
				 "cut off.");
			r = -1;
			break;
		}
		uint64_t packed = (uint64_t)(archive_filter_bytes(ar, 0) - start);
		if (check_member_limits(got + (size_t)k, packed, cap, err) != 0 ||
		    count_total(z, (size_t)k, err) != 0) {
			r = -1;
			break;
		}
		append(&buf, &bufcap, got, chunk, (size_t)k);
		got += (size_t)k;
	}
	free(chunk);
	if (r != 0) {
		free(buf);
		return -1;
	}
	if (!buf && !(buf = malloc(1)))
		abort();
	buf[got] = 0;
	*data = buf;
	*len = got;
	return 0;
}

/* ---- opening ----------------------------------------------------------- */

static struct archive *open_zip(int fd)
{
	struct archive *ar = archive_read_new();
	if (!ar)
		abort();
	archive_read_support_format_zip_seekable(ar);
	if (archive_read_open_fd(ar, fd, ZIP_BLOCK) != ARCHIVE_OK) {
		archive_read_free(ar);
		return NULL;
	}
	return ar;
}

static const char *const damaged_zip =
	N_("The zip could not be read; it may be damaged, cut off, or not a zip at all.");

/* ---- listing ----------------------------------------------------------- */

static struct zip_member *add_member(struct zip_submission *z, size_t *cap, const char *name,
				     size_t index)
{
	if (z->nmembers == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		z->members = realloc(z->members, *cap * sizeof *z->members);
		if (!z->members)
			abort();
	}
	struct zip_member *m = &z->members[z->nmembers++];
	memset(m, 0, sizeof *m);
	m->name = pv_strdup(name);
	m->index = index;
	return m;
}

static void read_sidecar(struct archive *ar, struct zip_submission *z, struct zip_member *m)
{
	uint8_t *data;
	size_t len;
	struct pv_err reason = {0};
	m->is_sidecar = 1;
	if (read_data(ar, z, PV_MAX_SIDECAR_BYTES, &data, &len, &reason) != 0) {
		m->parse_failed = 1;
		m->parse_error = pv_strdup(reason.msg);
		return;
	}
	z->caption_bytes += len;
	if (z->caption_bytes > PV_ZIP_MAX_CAPTION_BYTES) {
		pv_fail(&reason, PV_ERR_INPUT, "The caption files in this zip hold more than %llu "
			 "MB of text in all, more than photovoice reads from one zip.",
			 (unsigned long long)(PV_ZIP_MAX_CAPTION_BYTES >> 20));
		m->parse_failed = 1;
		m->parse_error = pv_strdup(reason.msg);
		free(data);
		return;
	}
	pv_sha256_hex(data, len, m->content_sha);
	m->content_size = (int64_t)len;
	if (pv_drop_parse_sidecar(m->name, (const char *)data, len, &m->parsed, &reason) != 0) {
		m->parse_failed = 1;
		m->parse_error = pv_strdup(reason.msg);
	}
	free(data);
}

/* One entry of the listing: skipped, refused, or kept as photo or caption. */
static void list_entry(struct archive *ar, struct archive_entry *e, struct zip_submission *z,
		       size_t *cap, size_t index)
{
	const char *name = archive_entry_pathname(e);
	if (!name)
		name = "";
	if (archive_entry_filetype(e) == AE_IFDIR && !unsafe_name(name))
		return;
	const char *why = unsafe_name(name);
	if (!why)
		why = unsafe_type(e);
	if (why) {
		pv_zip_refuse_member(z, name, why);
		return;
	}
	if (is_os_bookkeeping(name))
		return;
	if (pv_drop_is_project_name(base_of(name))) {
		pv_zip_refuse_member(z, name, _("A project file is not read inside a zip; put it "
				     "beside the zip in the drop folder."));
		return;
	}
	struct zip_member *m = add_member(z, cap, name, index);
	if (pv_drop_is_sidecar_name(base_of(name)))
		read_sidecar(ar, z, m);
}

static int member_is_photo(const struct zip_member *m)
{
	return !m->is_sidecar && pv_drop_is_photo_name(base_of(m->name));
}

/* Whether the photos using caption file s are all the same photo. */
static int all_same_photo(struct zip_submission *z, const struct zip_member *s)
{
	uint8_t *first = NULL, *other;
	size_t first_len = 0, other_len;
	struct pv_err reason = {0};
	int same = 1;
	for (size_t i = 0; same && i < z->nmembers; i++) {
		const struct zip_member *p = &z->members[i];
		if (p->sidecar != s || !member_is_photo(p))
			continue;
		if (!first) {
			same = pv_zip_read_member(z, p, &first, &first_len, &reason) == 0;
			continue;
		}
		same = pv_zip_read_member(z, p, &other, &other_len, &reason) == 0;
		if (same) {
			same = pv_same_photo(first, first_len, other, other_len);
			free(other);
		}
	}
	free(first);
	return same;
}

/* One caption file speaks for one photo: photos sharing one are refused with
 * it (the zip then goes to quarantine), unless they are the same photo. */
static void set_group_aside(struct zip_submission *z, struct zip_member *s)
{
	const char **names = calloc(z->nmembers, sizeof *names);
	if (!names)
		abort();
	size_t n = 0;
	for (size_t i = 0; i < z->nmembers; i++)
		if (z->members[i].sidecar == s && member_is_photo(&z->members[i]))
			names[n++] = z->members[i].name;
	char *why = pv_one_caption_problem(s->name, names, n);
	for (size_t i = 0; i < z->nmembers; i++)
		if (z->members[i].sidecar == s && member_is_photo(&z->members[i]) &&
		    !z->members[i].problem)
			z->members[i].problem = pv_strdup(why);
	pv_zip_refuse_member(z, s->name, why);
	free(why);
	free(names);
}

static void one_caption_one_photo(struct zip_submission *z)
{
	for (size_t j = 0; j < z->nmembers; j++) {
		struct zip_member *s = &z->members[j];
		unsigned photos = 0;
		for (size_t i = 0; s->is_sidecar && i < z->nmembers; i++)
			photos += z->members[i].sidecar == s && member_is_photo(&z->members[i]);
		if (photos >= 2 && !all_same_photo(z, s))
			set_group_aside(z, s);
	}
}

/* Caption files to photos, by the one rule of captions.c (as loose files):
 * a photo that more than one fits is refused, and so are the others. */
static void attach_captions(struct zip_submission *z)
{
	size_t n = z->nmembers + 1;
	const char **photos = calloc(n, sizeof *photos), **captions = calloc(n, sizeof *captions);
	struct zip_member **pm = calloc(n, sizeof *pm), **cm = calloc(n, sizeof *cm);
	struct caption_match m = { calloc(n, sizeof *m.of), calloc(n, sizeof *m.many),
				   calloc(n, sizeof *m.second) };
	size_t np = 0, nc = 0;
	if (!photos || !captions || !pm || !cm || !m.of || !m.many || !m.second)
		abort();
	for (size_t i = 0; i < z->nmembers; i++) {
		struct zip_member *x = &z->members[i];
		if (x->is_sidecar) {
			cm[nc] = x;
			captions[nc++] = x->name;
		} else {
			pm[np] = x;
			photos[np++] = x->name;
		}
	}
	pv_captions_match(photos, np, captions, nc, &m);
	for (size_t i = 0; i < np; i++) {
		if (m.of[i] < 0)
			continue;
		pm[i]->sidecar = cm[m.of[i]];
		pm[i]->sidecar->users++;
		if (m.many[i] && !pm[i]->problem)
			pm[i]->problem = pv_strdup(_(pv_caption_many_problem));
	}
	for (size_t j = 0; j < nc; j++) {
		if (m.second[j])
			pv_zip_refuse_member(z, cm[j]->name, _(pv_caption_second_reason));
		else if (!cm[j]->users)
			pv_zip_refuse_member(z, cm[j]->name, _("There is no photo with the same "
					     "name beside this caption file in the zip."));
	}
	free(photos);
	free(captions);
	free(pm);
	free(cm);
	free(m.of);
	free(m.many);
	free(m.second);
}

static void match_sidecars(struct zip_submission *z)
{
	attach_captions(z);
	one_caption_one_photo(z);
}

static int walk_entries(struct archive *ar, struct zip_submission *z, struct pv_err *err)
{
	struct archive_entry *e;
	size_t cap = 0, index = 0;
	int r;
	while ((r = archive_read_next_header(ar, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		if (index == PV_ZIP_MAX_MEMBERS) {
			char why[128];
			snprintf(why, sizeof why, _("The zip holds more than %d entries; the rest "
				 "were not read."), PV_ZIP_MAX_MEMBERS);
			pv_zip_refuse_member(z, _("(the rest of the zip)"), why);
			return 0;
		}
		list_entry(ar, e, z, &cap, index++);
	}
	if (r == ARCHIVE_EOF)
		return 0;
	if (index == 0) {
		pv_fail_text(err, PV_ERR_INPUT, _(damaged_zip));
		return -1;
	}
	pv_zip_refuse_member(z, _("(the rest of the zip)"), _("It could not be read; the zip may "
			     "be damaged."));
	return 0;
}

/* libarchive does not take a zip with no entries at all: its only record
 * is the end of the (empty) directory. */
static int is_empty_zip(int fd)
{
	char magic[4];
	return pread(fd, magic, sizeof magic, 0) == (ssize_t)sizeof magic &&
	       memcmp(magic, "PK\005\006", 4) == 0;
}

/* 1 while another process has the zip open for writing. */
static int zip_being_written(int fd)
{
	if (fcntl(fd, F_SETLEASE, F_RDLCK) == 0) {
		fcntl(fd, F_SETLEASE, F_UNLCK);
		return 0;
	}
	return errno == EAGAIN || errno == EBUSY;
}

int pv_zip_list(struct drop_photo *file, struct zip_submission *z, struct pv_err *err)
{
	memset(z, 0, sizeof *z);
	pthread_mutex_init(&z->lock, NULL);
	z->file = file;
	int fd = open(file->path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		pv_fail(err, PV_ERR_INPUT, "The zip could not be opened (%s).", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (zip_being_written(fd)) {
		close(fd);
		return 1;
	}
	z->dev = st.st_dev;
	z->ino = st.st_ino;
	z->size = st.st_size;
	pv_file_id_set(&z->listed, &st);
	struct archive *ar = open_zip(fd);
	int r = -1;
	if (!ar)
		pv_fail_text(err, PV_ERR_INPUT, is_empty_zip(fd)
						? _("The zip is empty; it holds no photos.")
						: _(damaged_zip));
	else
		r = walk_entries(ar, z, err);
	if (ar)
		archive_read_free(ar);
	close(fd);
	if (r == 0)
		match_sidecars(z);
	return r;
}

/* ---- reading one member ------------------------------------------------ */

static int same_zip(const struct zip_submission *z, int fd)
{
	struct stat st;
	return fstat(fd, &st) == 0 && st.st_dev == z->dev && st.st_ino == z->ino &&
	       st.st_size == z->size;
}

/* Moves the reader to the member's header; 0 when its name is the listed one. */
static int seek_member(struct archive *ar, const struct zip_member *m)
{
	struct archive_entry *e;
	for (size_t i = 0; i <= m->index; i++) {
		int r = archive_read_next_header(ar, &e);
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
			return -1;
	}
	const char *name = archive_entry_pathname(e);
	return name && strcmp(name, m->name) == 0 && !unsafe_type(e) ? 0 : -1;
}

/* The zip that was listed, opened again; -1 with a reason when it changed. */
static int open_same_zip(const struct zip_submission *z, struct pv_err *err)
{
	int fd = open(z->file->path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0 && same_zip(z, fd))
		return fd;
	pv_fail(err, PV_ERR_INPUT, "The zip changed or disappeared while it was being read.");
	if (fd >= 0)
		close(fd);
	return -1;
}

int pv_zip_read_member(struct zip_submission *z, const struct zip_member *m, uint8_t **data,
		       size_t *len, struct pv_err *err)
{
	*data = NULL;
	*len = 0;
	int fd = open_same_zip(z, err);
	if (fd < 0)
		return -1;
	struct archive *ar = open_zip(fd);
	int r = -1;
	if (!ar || seek_member(ar, m) != 0)
		pv_fail_text(err, PV_ERR_INPUT, _(damaged_zip));
	else
		r = read_data(ar, z, PV_ZIP_MAX_MEMBER_BYTES, data, len, err);
	if (ar)
		archive_read_free(ar);
	close(fd);
	return r;
}

/* ---- copying members out ------------------------------------------------ */

static int copy_entry(struct archive *ar, struct archive_entry *e, struct zip_submission *z,
		      size_t index, const struct zip_copy *c, struct pv_err *err)
{
	const char *name = archive_entry_pathname(e);
	if (!name)
		name = "";
	if (archive_entry_filetype(e) == AE_IFDIR || is_os_bookkeeping(name) ||
	    archive_entry_filetype(e) == AE_IFLNK || archive_entry_hardlink(e) ||
	    !c->want(c->ctx, name, index))
		return 0;
	uint8_t *data;
	size_t len;
	const char *why = archive_entry_is_encrypted(e) ? _("It is protected with a password.")
						       : NULL;
	if (why || read_data(ar, z, PV_ZIP_MAX_MEMBER_BYTES, &data, &len, err) != 0) {
		char *shown = pv_shown_name(name);
		char inner[512];
		snprintf(inner, sizeof inner, "%s", why ? why : err->msg);
		pv_fail(err, PV_ERR_INPUT, "%s could not be copied out of the zip: %s", shown, inner);
		free(shown);
		return -1;
	}
	int r = c->put(c->ctx, name, index, data, len);
	free(data);
	if (r != 0)
		pv_fail(err, PV_ERR_ARCHIVE, "A file could not be written into the quarantine folder.");
	return r;
}

int pv_zip_copy_out(struct zip_submission *z, const struct zip_copy *c, struct pv_err *err)
{
	int fd = open_same_zip(z, err);
	if (fd < 0)
		return -1;
	struct archive *ar = open_zip(fd);
	struct archive_entry *e;
	int r = ar ? 0 : -1, rc = ARCHIVE_OK;
	if (!ar)
		pv_fail_text(err, PV_ERR_INPUT, _(damaged_zip));
	size_t index = 0;
	for (; r == 0 &&
	     ((rc = archive_read_next_header(ar, &e)) == ARCHIVE_OK || rc == ARCHIVE_WARN);
	     index++) {
		if (index == PV_ZIP_MAX_MEMBERS) {
			/* the rest was never read: it cannot be copied out either */
			pv_fail(err, PV_ERR_INPUT, "The zip holds more than %d entries.",
				 PV_ZIP_MAX_MEMBERS);
			r = -1;
			break;
		}
		r = copy_entry(ar, e, z, index, c, err);
	}
	if (r == 0 && rc != ARCHIVE_EOF && rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
		pv_fail_text(err, PV_ERR_INPUT, _(damaged_zip));
		r = -1;
	}
	if (ar)
		archive_read_free(ar);
	close(fd);
	return r;
}

void pv_zip_free(struct zip_submission *z)
{
	for (size_t i = 0; i < z->nmembers; i++) {
		free(z->members[i].name);
		free(z->members[i].parse_error);
		free(z->members[i].problem);
		pv_sidecar_free(&z->members[i].parsed);
	}
	free(z->members);
	free(z->refused);
	for (size_t i = 0; i < z->nrefusals; i++) {
		free(z->refusals[i].name);
		free(z->refusals[i].reason);
	}
	free(z->refusals);
	free(z->taken_ids);
	pthread_mutex_destroy(&z->lock);
	memset(z, 0, sizeof *z);
}
