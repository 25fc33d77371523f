/*
 * One photo, on a worker thread: read it (only once nobody is writing it),
 * recognise its format by content, rewrite it without metadata, and store
 * the clean file and its derivatives in the media folder. The catalogue row
 * is the writer's job (ingest.c); until then the stored files are listed in
 * the crash journal.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <turbojpeg.h>
#include <unistd.h>

#include "photovoice/i18n.h"
#include "pipeline.h"
#include "photovoice/jpeg.h"
#include "photovoice/image.h"
#include "photovoice/store.h"

/* Without a file lease (another owner, a network file system), a file
 * changed this recently is taken as still being written. */
#define SETTLE_SECONDS 2

/* ---- names ------------------------------------------------------------- */

int pv_name_has_control(const char *name)
{
	for (const unsigned char *c = (const unsigned char *)name; *c; c++)
		if (*c < 0x20 || *c == 0x7f)
			return 1;
	return 0;
}

/* Bytes in the UTF-8 sequence that c starts, 0 when c cannot start one. */
static size_t utf8_seq_len(unsigned char c)
{
	return c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
}

char *pv_shown_name(const char *name)
{
	char *s = pv_strdup(name);
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		unsigned char *c = (unsigned char *)s + i;
		size_t k = utf8_seq_len(*c);
		/* a name that is not UTF-8 (a Latin-1 zip member, an old disk)
		 * would make the report invalid text and --json drop the line */
		if (k == 0 || k > n - i || !pv_utf8_valid(s + i, k)) {
			*c = '?';
			i++;
			continue;
		}
		if (*c < 0x20 || *c == 0x7f)
			*c = '?';
		i += k;
	}
	return s;
}

/* ---- the test hook ----------------------------------------------------- */

void pv_crash_point(const char *point)
{
	static atomic_uint reached;
	const char *want = getenv("PV_TEST_CRASH");
	if (!want)
		return;
	size_t n = strlen(point);
	if (strncmp(want, point, n) != 0 || want[n] != ':')
		return;
	if (atomic_fetch_add(&reached, 1) + 1 == (unsigned)atoi(want + n + 1))
		raise(SIGKILL);
}

static int wait_wanted(const char *point)
{
	static atomic_uint reached;
	const char *want = getenv("PV_TEST_WAIT");
	size_t n = strlen(point);
	if (!want || !getenv("PV_TEST_WAIT_DIR") || strncmp(want, point, n) != 0 ||
	    want[n] != ':')
		return 0;
	return atomic_fetch_add(&reached, 1) + 1 == (unsigned)atoi(want + n + 1);
}

void pv_test_wait(const char *point, const char *what)
{
	if (!getenv("PV_TEST_WAIT") || !wait_wanted(point))
		return;
	const char *dir = getenv("PV_TEST_WAIT_DIR");
	char *tmp = pv_path_join(dir, "reached.tmp"), *reached = pv_path_join(dir, "reached");
	char *go = pv_path_join(dir, "go");
	FILE *f = fopen(tmp, "w");
	if (f) {
		fprintf(f, "%s\n", what ? what : "");
		if (fclose(f) == 0)
			rename(tmp, reached);
	}
	struct stat st;
	for (int i = 0; i < 6000 && stat(go, &st) != 0; i++)
		nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
	free(tmp);
	free(reached);
	free(go);
}

/* ---- files as they were read -------------------------------------------- */

void pv_file_id_set(struct file_id *id, const struct stat *st)
{
	*id = (struct file_id){ .known = 1, .dev = st->st_dev, .ino = st->st_ino,
				.size = st->st_size, .mtime = st->st_mtim };
}

int pv_file_id_same(const struct file_id *id, const char *path)
{
	struct stat st;
	if (!id->known)
		return 1;
	if (lstat(path, &st) != 0)
		return errno == ENOENT;   /* gone: nothing left to lose */
	return st.st_dev == id->dev && st.st_ino == id->ino && st.st_size == id->size &&
	       st.st_mtim.tv_sec == id->mtime.tv_sec && st.st_mtim.tv_nsec == id->mtime.tv_nsec;
}

/* ---- results ----------------------------------------------------------- */

static void set_result(struct intake *it, enum intake_result r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_result(struct intake *it, enum intake_result r, const char *fmt, ...)
{
	char buf[1536];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	it->result = r;
	free(it->reason);
	it->reason = pv_strdup(buf);
}

void pv_intake_free(struct intake *it)
{
	free(it->shown);
	free(it->reason);
	pv_sidecar_free(&it->fields);
	pv_entry_free(&it->entry);
	memset(it, 0, sizeof *it);
}

/* ---- reading a file nobody is writing ---------------------------------- */

/* 1 when another process has the file open for writing (or, where a lease
 * cannot be taken, changed it in the last seconds). A read lease is refused
 * while any writer has the file open; it is given back at once. */
static int being_written(int fd, const struct stat *st)
{
	if (fcntl(fd, F_SETLEASE, F_RDLCK) == 0) {
		fcntl(fd, F_SETLEASE, F_UNLCK);
		return 0;
	}
	if (errno == EAGAIN || errno == EBUSY)
		return 1;
	return time(NULL) - st->st_mtime < SETTLE_SECONDS;
}

static int read_fd(int fd, uint8_t *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

static int same_file_state(const struct stat *a, const struct stat *b)
{
	return a->st_size == b->st_size && a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* 0 read, 1 still being written, -1 refused (the reason is set). */
static int read_settled(struct intake *it, uint8_t **data, size_t *len)
{
	int fd = open(it->photo->path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		set_result(it, INTAKE_FAILED, _("It could not be opened (%s); it was left in the "
			   "drop folder."), strerror(errno));
		return -1;
	}
	struct stat before, after;
	int r = -1;
	if (fstat(fd, &before) != 0 || !S_ISREG(before.st_mode)) {
		set_result(it, INTAKE_REFUSED, _("It is not a regular file, so it cannot be a photo."));
	} else if (being_written(fd, &before)) {
		r = 1;
	} else if ((uint64_t)before.st_size > PV_MAX_FILE_BYTES) {
		set_result(it, INTAKE_REFUSED, _("It is larger than the %zu MB photovoice accepts "
			   "for one photo."), PV_MAX_FILE_BYTES >> 20);
	} else {
		*len = (size_t)before.st_size;
		*data = malloc(*len + 1);
		if (!*data)
			abort();
		if (read_fd(fd, *data, *len) == 0 && fstat(fd, &after) == 0 &&
		    same_file_state(&before, &after)) {
			r = 0;
			pv_file_id_set(&it->read_id, &before);
		}
		else
			r = 1;    /* it changed while being read: someone is writing it */
		if (r != 0) {
			free(*data);
			*data = NULL;
		}
	}
	close(fd);
	if (r == 1)
		set_result(it, INTAKE_WAITING, _("It is still being written (copied or saved) "
			   "right now; it was left in the drop folder for the next run."));
	return r;
}

/* ---- what the file is --------------------------------------------------- */

/* Brings the bytes to a JPEG, as the table of input formats says (formats.c):
 * JPEG as it is, PNG and HEIC/HEIF decoded and written as one (none of their
 * metadata travels); anything else is refused, named by what its content is. */
static int to_jpeg(struct intake *it, uint8_t **data, size_t *len)
{
	const struct pv_input_format *f = pv_input_format_sniff(*data, *len);
	if (!f) {
		char taken[128];
		pv_input_formats_list(0, taken, sizeof taken);
		set_result(it, INTAKE_REFUSED, _("This is %s, not a photo photovoice can take "
			   "(%s)."), pv_image_format_describe(pv_image_sniff(*data, *len)), taken);
		return -1;
	}
	it->format = f->format;
	if (!f->to_jpeg)
		return 0;
	uint8_t *jpeg;
	size_t jpeg_len;
	struct pv_err err = {0};
	if (f->to_jpeg(*data, *len, &jpeg, &jpeg_len, &err) != 0) {
		set_result(it, INTAKE_REFUSED, "%s", err.msg);
		return -1;
	}
	free(*data);
	*data = jpeg;
	*len = jpeg_len;
	return 0;
}

/* The declared size, before anything is decoded: a decompression bomb
 * declares 65535 x 65535. */
static int check_declared_size(struct intake *it, const uint8_t *jpeg, size_t len,
			       uint64_t *pixels)
{
	tjhandle tj = tjInitDecompress();
	int w = 0, h = 0, sub, cs;
	int r = tj && tjDecompressHeader3(tj, jpeg, (unsigned long)len, &w, &h, &sub, &cs) == 0;
	if (tj)
		tjDestroy(tj);
	*pixels = 0;
	if (!r || w <= 0 || h <= 0)
		return 0;   /* the rewrite says what is wrong with it */
	struct pv_err err = {0};
	if (pv_image_check_size((uint64_t)w, (uint64_t)h, &err) != 0) {
		set_result(it, INTAKE_REFUSED, "%s", err.msg);
		return -1;
	}
	*pixels = (uint64_t)w * (uint64_t)h;
	return 0;
}

/* ---- the pixel budget --------------------------------------------------- */

void pv_budget_init(struct pixel_budget *b, uint64_t limit)
{
	pthread_mutex_init(&b->lock, NULL);
	pthread_cond_init(&b->freed, NULL);
	b->limit = limit;
	b->in_use = 0;
}

void pv_budget_destroy(struct pixel_budget *b)
{
	pthread_cond_destroy(&b->freed);
	pthread_mutex_destroy(&b->lock);
}

/* Waits until `pixels` fit in what the other workers decode now; a photo
 * larger than the whole budget waits until it can run alone. */
static void budget_take(struct pixel_budget *b, uint64_t pixels)
{
	pthread_mutex_lock(&b->lock);
	while (b->in_use && b->in_use + pixels > b->limit)
		pthread_cond_wait(&b->freed, &b->lock);
	b->in_use += pixels;
	pthread_mutex_unlock(&b->lock);
}

static void budget_give(struct pixel_budget *b, uint64_t pixels)
{
	pthread_mutex_lock(&b->lock);
	b->in_use -= pixels;
	pthread_cond_broadcast(&b->freed);
	pthread_mutex_unlock(&b->lock);
}

/* ---- the entry --------------------------------------------------------- */

/* The words: a caption file speaks for the participant, and then nothing is
 * taken from inside the photo (where a title or description often names a
 * place, an address or a person). Without one, what the photo holds is kept,
 * marked as the photo's, so that no poster uses it before a person has
 * confirmed or replaced it. */
static void fill_words(struct intake *it, const struct pv_rescued *found)
{
	const struct pv_sidecar *s = &it->fields;
	struct pv_entry *e = &it->entry;
	int own = it->has_caption_file;
	/* one rule for the words of both (pv_text_keep): no control kept */
	e->title = pv_text_kept(own ? s->title : found->title);
	e->caption = pv_text_kept(own ? s->caption : found->caption);
	e->story = pv_text_kept(s->story);
	int from = own ? PV_FROM_PARTICIPANT : PV_FROM_PHOTO;
	e->words_from[PV_FIELD_TITLE] = from;
	e->words_from[PV_FIELD_CAPTION] = from;
	e->words_from[PV_FIELD_STORY] = PV_FROM_PARTICIPANT;
}

static void fill_entry(struct intake *it, const struct pv_rescued *found)
{
	const struct pv_sidecar *s = &it->fields;
	struct pv_entry *e = &it->entry;
	fill_words(it, found);
	e->credit = pv_text_kept(s->credit);
	e->consent = s->consent >= 0 ? (enum pv_consent)s->consent : PV_CONSENT_INTERNAL;
	e->guardian = s->guardian;
	e->consent_until = pv_strdup(s->consent_until);
	e->taken_month = pv_strdup(found->taken_month);
	e->width = it->rep.width;
	e->height = it->rep.height;
	e->participant = pv_strdup(s->participant);
	e->tags = calloc(s->ntags + 1, sizeof *e->tags);
	if (!e->tags)
		abort();
	for (size_t i = 0; i < s->ntags; i++)
		e->tags[e->ntags++] = pv_strdup(s->tags[i]);
}

/* ---- storing ----------------------------------------------------------- */

/* The derivatives come from the clean bytes as stored; a photo whose scan
 * data does not decode is refused here (the rewrite only checks headers). */
static int derive(struct intake *it, const uint8_t *clean, size_t len,
		  struct pv_derivatives *d)
{
	struct pv_err err = {0};
	int orientation = it->rep.orient_action == PV_ORIENT_TAGGED ? it->rep.orientation : 1;
	if (pv_image_derivatives(clean, len, orientation, d, &err) != 0) {
		set_result(it, INTAKE_REFUSED, "%s", err.msg);
		return -1;
	}
	pv_phash_hex(d->phash, it->entry.phash);
	return 0;
}

/* The clean photo, then its thumbnail and preview; all before the catalogue
 * row, and noted in the journal so that a crash leaves no orphan. */
static int store(struct intake *it, const struct intake_env *env, const uint8_t *clean,
		 size_t len, const struct pv_derivatives *d)
{
	struct pv_err err = {0};
	const char *sha = it->entry.sha256;
	it->entry.bytes = (int64_t)len;
	if (pv_archive_put_media(env->a, clean, len, it->entry.sha256, &err) != 0)
		goto fail;
	pv_journal_note(env->journal, sha);
	pv_crash_point("stored");
	pv_sha256_hex(d->thumb, d->thumb_len, it->entry.thumb_sha256);
	pv_sha256_hex(d->preview, d->preview_len, it->entry.preview_sha256);
	if (pv_archive_put_derived(env->a, sha, "thumb", d->thumb, d->thumb_len, &err) == 0 &&
	    pv_archive_put_derived(env->a, sha, "preview", d->preview, d->preview_len, &err) == 0)
		return 0;
fail:
	set_result(it, INTAKE_FAILED, _("The cleaned photo could not be stored (%s); it was "
		   "left in the drop folder."), err.msg);
	return -1;
}

/* What the rewrite takes out of an original JPEG, by group, for the
 * participant's own page and staff review: "location,device,dates", or ""
 * when it carries nothing identifying. */
static char *found_groups(const uint8_t *data, size_t len, const struct pv_jpeg_layout *lay)
{
	struct pv_findings f;
	pv_jpeg_inspect_parsed(data, len, lay, &f);
	int seen[PV_FIND_GROUP_COUNT] = {0};
	for (size_t i = 0; i < f.count; i++)
		seen[f.items[i].group] = 1;
	pv_findings_free(&f);
	char out[256] = "";
	size_t o = 0;
	for (int g = 0; g < PV_FIND_GROUP_COUNT; g++)
		if (seen[g])
			o += (size_t)snprintf(out + o, sizeof out - o, "%s%s", o ? "," : "",
					      pv_find_group_name((enum pv_find_group)g));
	return pv_strdup(out);
}

/* The words inside an original JPEG (found) and what the rewrite takes out
 * of it (*removed), from one parse of its bytes; neither when it cannot be
 * parsed. */
static void look_inside(const uint8_t *data, size_t len, struct pv_rescued *found,
			char **removed)
{
	struct pv_jpeg_layout lay;
	struct pv_err err = {0};
	*removed = NULL;
	if (pv_jpeg_parse(data, len, &lay, &err) != 0)
		return;
	pv_jpeg_rescue_parsed(data, len, &lay, found);
	*removed = found_groups(data, len, &lay);
	pv_jpeg_layout_free(&lay);
}

/* Rewrites the JPEG in *data, makes its derivatives and stores them; frees
 * *data as soon as the rewrite no longer needs it. */
static void clean_and_store(struct intake *it, const struct intake_env *env, uint8_t **data,
			    size_t len)
{
	struct pv_rescued found = { 0 };
	struct pv_derivatives d = { 0 };
	uint8_t *clean = NULL;
	size_t clean_len = 0;
	struct pv_err err = {0};
	if (it->format == PV_IMAGE_JPEG)
		look_inside(*data, len, &found, &it->entry.removed);
	int r = pv_jpeg_scrub(*data, len, &clean, &clean_len, &it->rep, &err);
	free(*data);
	*data = NULL;
	if (r != 0) {
		set_result(it, INTAKE_REFUSED, "%s", err.msg);
	} else if (derive(it, clean, clean_len, &d) == 0) {
		fill_entry(it, &found);
		/* words the catalogue would refuse are found before anything is
		 * stored: the photo then goes to quarantine with its caption file */
		if (pv_store_check_entry(&it->entry, &err) != 0)
			set_result(it, INTAKE_REFUSED, "%s", err.msg);
		else if (store(it, env, clean, clean_len, &d) == 0)
			it->result = INTAKE_READY;
	}
	pv_derivatives_free(&d);
	free(clean);
	pv_rescued_free(&found);
}

static int read_input(struct intake *it, uint8_t **data, size_t *len)
{
	if (it->zip) {
		struct pv_err reason = {0};
		if (pv_zip_read_member(it->zip, it->member, data, len, &reason) == 0)
			return 0;
		set_result(it, INTAKE_REFUSED, "%s", reason.msg);
		return -1;
	}
	if (read_settled(it, data, len) != 0)
		return -1;
	pv_test_wait("read", it->photo->path);
	return 0;
}

void pv_intake_work(struct intake *it, const struct intake_env *env)
{
	if (it->wait) {
		set_result(it, INTAKE_WAITING, "%s", it->wait);
		return;
	}
	if (it->refusal) {
		set_result(it, INTAKE_REFUSED, "%s", it->refusal);
		return;
	}
	uint8_t *data = NULL;
	size_t len = 0;
	uint64_t pixels;
	if (read_input(it, &data, &len) != 0)
		return;
	if (len == 0)
		set_result(it, INTAKE_REFUSED, _("The file is empty (0 bytes); the copy may have failed."));
	else if (to_jpeg(it, &data, &len) == 0 &&
		 check_declared_size(it, data, len, &pixels) == 0) {
		/* the rewrite's lossless turn and the derivatives' decode hold the
		 * whole photo's coefficients or pixels: their memory is bounded by
		 * the budget, whatever the number of jobs */
		budget_take(env->budget, pixels);
		clean_and_store(it, env, &data, len);
		budget_give(env->budget, pixels);
		return;
	}
	free(data);
}
