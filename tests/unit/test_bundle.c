/* Unit tests of the bundle writer: every format is written, read back with
 * libarchive and checked member by member; failures leave nothing behind.
 * The spec parser, the data-merge CSV and the poster are tested here too. */
#include "testutil.h"

#include <turbojpeg.h>
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <jansson.h>
#include <ctype.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "photovoice/bundle.h"
#include "../../src/bundle/bundle_internal.h"
#include "photovoice/util.h"

#define NPHOTOS 3
#define MTIME ((time_t)1700000000)

static char *tags_klik[] = { "klik", "luisteren", NULL };
static char *tags_none[] = { NULL };

struct fixture {
	char *dir;                 /* media files and outputs */
	char *media[NPHOTOS];
	struct pv_entry entries[NPHOTOS];
	struct pv_bundle_item items[NPHOTOS];
};

struct member {
	char *name;
	uint8_t *data;
	size_t len;
	time_t mtime;
	int perm;
};

struct listing {
	struct member m[64];
	size_t n;
};

/* ---- helpers ---------------------------------------------------------------- */

static char *write_photo(const char *dir, const char *name, int w, int h,
			 unsigned seed)
{
	char *path = pv_path_join(dir, name);
	unsigned long len;
	uint8_t *jpeg = pv_test_jpeg(w, h, seed, &len);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(jpeg, 1, len, f), len);
	fclose(f);
	tjFree(jpeg);
	return path;
}

static void fill_sha(struct pv_entry *e, const char *path)
{
	uint8_t *data;
	size_t len;
	assert_int_equal(pv_read_file(path, PV_MAX_FILE_BYTES, &data, &len, NULL), 0);
	pv_sha256_hex(data, len, e->sha256);
	free(data);
}

static void set_entry(struct pv_entry *e, int64_t id, char *title,
		      char *caption, char *credit, char **tags, size_t ntags)
{
	memset(e, 0, sizeof *e);
	e->id = id;
	e->title = title;
	e->caption = caption;
	e->credit = credit;
	e->tags = tags;
	e->ntags = ntags;
	e->consent = PV_CONSENT_POSTER;
	e->guardian = PV_GUARDIAN_UNKNOWN;
	e->width = 640;
	e->height = 480;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	fx->dir = pv_test_tmpdir();
	assert_non_null(fx->dir);
	fx->media[0] = write_photo(fx->dir, "IMG_2041-fenna.jpg", 96, 64, 1);
	fx->media[1] = write_photo(fx->dir, "de-klik.jpg", 48, 80, 2);
	fx->media[2] = write_photo(fx->dir, "schermafbeelding.jpg", 32, 32, 3);

	set_entry(&fx->entries[0], 12, "De klik",
		  "Hier voelde ik me voor het eerst gehoord.", "Fenna", tags_klik, 2);
	fx->entries[0].story = "Het verhaal van een café.";
	fx->entries[0].participant = "fenna";
	set_entry(&fx->entries[1], 7, "Ruïne",
		  "Ze zei \"kom maar\"\nen ik ging.", "Noël", tags_none, 0);
	set_entry(&fx->entries[2], 31, NULL, "Één foto, geen titel", NULL, NULL, 0);
	fx->entries[2].consent = PV_CONSENT_PUBLIC;
	for (int i = 0; i < NPHOTOS; i++) {
		if (i != 2)   /* entry 31 has no fingerprint: not checked */
			fill_sha(&fx->entries[i], fx->media[i]);
		fx->items[i].entry = &fx->entries[i];
		fx->items[i].media_path = fx->media[i];
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	for (int i = 0; i < NPHOTOS; i++)
		free(fx->media[i]);
	pv_test_rmtree(fx->dir);
	free(fx);
	return 0;
}

static struct pv_bundle_opts opts_for(enum pv_bundle_format f, const char *tmpdir)
{
	struct pv_bundle_opts o = { .format = f, .purpose = "poster",
				    .mtime = MTIME, .tmpdir = tmpdir,
				    .poster = { .paper = PV_PAPER_A4, .title = "Cliëntfeedback",
						.subtitle = "Wat jongeren lieten zien" } };
	return o;
}

static void read_whole(const char *path, uint8_t **data, size_t *len)
{
	assert_int_equal(pv_read_file(path, PV_MAX_FILE_BYTES, data, len, NULL), 0);
}

static void read_member(struct archive *a, struct archive_entry *e,
			struct member *m)
{
	m->name = strdup(archive_entry_pathname(e));
	m->mtime = archive_entry_mtime(e);
	m->perm = (int)archive_entry_perm(e);
	m->len = 0;
	m->data = malloc(1);
	uint8_t buf[8192];
	la_ssize_t r;
	while ((r = archive_read_data(a, buf, sizeof buf)) > 0) {
		m->data = realloc(m->data, m->len + (size_t)r + 1);
		memcpy(m->data + m->len, buf, (size_t)r);
		m->len += (size_t)r;
	}
	assert_int_equal(r, 0);
	m->data[m->len] = 0;
}

static void read_listing(const char *path, struct listing *l)
{
	struct archive *a = archive_read_new();
	archive_read_support_format_all(a);
	archive_read_support_filter_all(a);
	assert_int_equal(archive_read_open_filename(a, path, 16384), ARCHIVE_OK);
	struct archive_entry *e;
	l->n = 0;
	while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
		assert_true(l->n < 64);
		read_member(a, e, &l->m[l->n++]);
	}
	archive_read_free(a);
}

static void free_listing(struct listing *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->m[i].name);
		free(l->m[i].data);
	}
}

static size_t count_files(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static int exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

/* ---- checks of one written bundle ------------------------------------------ */

static const char *expected_names[] = {
	"photos/01-12.jpg", "photos/02-7.jpg", "photos/03-31.jpg",
	"thumbs/01-12.jpg", "thumbs/02-7.jpg", "thumbs/03-31.jpg",
	"previews/01-12.jpg", "previews/02-7.jpg", "previews/03-31.jpg",
	"poster.pdf", "contact-sheet.jpg", "index.html", "data-merge.csv", "manifest.json", "captions.txt",
	"CREDITS.txt", "LEESMIJ.txt", "README.txt", "SHA256SUMS",
};
#define NMEMBERS (sizeof expected_names / sizeof expected_names[0])

static const struct member *member_named(const struct listing *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->m[i].name, name) == 0)
			return &l->m[i];
	fail_msg("the bundle has no member %s", name);
	return NULL;
}

static void check_members(struct fixture *fx, struct listing *l)
{
	assert_int_equal(l->n, NMEMBERS);
	for (size_t i = 0; i < l->n; i++) {
		assert_string_equal(l->m[i].name, expected_names[i]);
		assert_int_equal(l->m[i].mtime, MTIME);
		assert_int_equal(l->m[i].perm, 0644);
	}
	for (int i = 0; i < NPHOTOS; i++) {
		uint8_t *data;
		size_t len;
		read_whole(fx->media[i], &data, &len);
		assert_int_equal(l->m[i].len, len);
		assert_memory_equal(l->m[i].data, data, len);
		free(data);
	}
}

static void check_manifest(struct fixture *fx, struct listing *l)
{
	json_error_t jerr;
	const struct member *m = member_named(l, "manifest.json");
	json_t *root = json_loadb((const char *)m->data, m->len, 0, &jerr);
	assert_non_null(root);
	assert_string_equal(json_string_value(json_object_get(root, "photovoice_version")), PV_VERSION);
	assert_string_equal(json_string_value(json_object_get(root, "purpose")), "poster");
	assert_int_equal(json_integer_value(json_object_get(root, "count")), NPHOTOS);
	json_t *entries = json_object_get(root, "entries");
	assert_int_equal(json_array_size(entries), NPHOTOS);
	for (size_t i = 0; i < NPHOTOS; i++) {
		json_t *e = json_array_get(entries, i);
		char hex[PV_SHA256_HEX];
		pv_sha256_hex(l->m[i].data, l->m[i].len, hex);
		assert_int_equal(json_integer_value(json_object_get(e, "id")), fx->entries[i].id);
		assert_string_equal(json_string_value(json_object_get(e, "file")), expected_names[i]);
		assert_string_equal(json_string_value(json_object_get(e, "caption")), fx->entries[i].caption);
		assert_string_equal(json_string_value(json_object_get(e, "sha256")), hex);
	}
	json_t *first = json_array_get(entries, 0);
	assert_string_equal(json_string_value(json_array_get(json_object_get(first, "tags"), 1)), "luisteren");
	assert_string_equal(json_string_value(json_object_get(first, "consent")), "poster");
	assert_true(json_is_null(json_object_get(json_array_get(entries, 2), "title")));
	/* keys in the documented order */
	json_t *poster = json_object_get(root, "poster");
	assert_string_equal(json_string_value(json_object_get(poster, "paper")), "A4");
	assert_string_equal(json_string_value(json_object_get(poster, "orientation")), "portrait");
	assert_string_equal(json_string_value(json_object_get(poster, "title")), "Cliëntfeedback");
	assert_true(json_integer_value(json_object_get(poster, "columns")) >= 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(entries, 2), "consent")), "public");
	assert_true(json_is_null(json_object_get(json_array_get(entries, 2), "guardian_consent")));
	const char *order = strstr((const char *)m->data, "\"photovoice_version\"");
	assert_non_null(order);
	assert_true(strstr(order, "\"purpose\"") < strstr(order, "\"count\""));
	assert_true(strstr(order, "\"count\"") < strstr(order, "\"entries\""));
	json_decref(root);
}

static void check_sums(struct listing *l)
{
	char expect[8192] = "";
	for (size_t i = 0; i + 1 < l->n; i++) {
		char hex[PV_SHA256_HEX];
		char line[256];
		pv_sha256_hex(l->m[i].data, l->m[i].len, hex);
		snprintf(line, sizeof line, "%s  %s\n", hex, l->m[i].name);
		strcat(expect, line);
	}
	assert_string_equal((const char *)member_named(l, "SHA256SUMS")->data, expect);
}

static void check_captions(struct listing *l)
{
	const char *want =
		"photos/01-12.jpg\nTitle: De klik\n"
		"Caption: Hier voelde ik me voor het eerst gehoord.\nCredit: Fenna\n"
		"\n"
		"photos/02-7.jpg\nTitle: Ruïne\n"
		"Caption: Ze zei \"kom maar\"\nen ik ging.\nCredit: Noël\n"
		"\n"
		"photos/03-31.jpg\nCaption: Één foto, geen titel\n";
	assert_string_equal((const char *)member_named(l, "captions.txt")->data, want);
}

static int contains(const uint8_t *data, size_t len, const char *needle);

/* Every photo is in the PDF as its own JPEG bytes, never re-encoded. */
static void check_poster(struct fixture *fx, struct listing *l)
{
	const struct member *pdf = member_named(l, "poster.pdf");
	assert_true(pdf->len > 100);
	assert_memory_equal(pdf->data, "%PDF-", 5);
	for (int i = 0; i < NPHOTOS; i++) {
		uint8_t *data;
		size_t len;
		read_whole(fx->media[i], &data, &len);
		assert_non_null(memmem(pdf->data, pdf->len, data, len));
		free(data);
	}
	/* the dates are the bundle's time, 2023-11-14T22:13:20Z */
	assert_true(contains(pdf->data, pdf->len, "20231114221320"));
}

static void check_readmes(struct listing *l)
{
	const char *dutch = (const char *)member_named(l, "LEESMIJ.txt")->data;
	const char *english = (const char *)member_named(l, "README.txt")->data;
	for (size_t i = 0; i + 1 < NMEMBERS; i++) {
		if (strchr(expected_names[i], '/'))
			continue;
		assert_non_null(strstr(dutch, expected_names[i]));
		assert_non_null(strstr(english, expected_names[i]));
	}
	assert_non_null(strstr(dutch, "Cliëntfeedback"));
	assert_non_null(strstr(dutch, "3 foto's"));
	assert_non_null(strstr(english, "3 photos"));
	const char *credits = (const char *)member_named(l, "CREDITS.txt")->data;
	assert_non_null(strstr(credits, "photos/01-12.jpg  Fenna\n"));
	assert_non_null(strstr(credits, "photos/02-7.jpg  Noël\n"));
	assert_non_null(strstr(credits, "photos/03-31.jpg  (geen naamsvermelding"));
}

/* Every row of the members' table is in the bundle (a folder row: at least
 * one file in it) and said in both LEESMIJ.txt and README.txt; nothing is in
 * the bundle that is not a row. */
static void check_member_table(struct listing *l)
{
	const char *dutch = (const char *)member_named(l, "LEESMIJ.txt")->data;
	const char *english = (const char *)member_named(l, "README.txt")->data;
	size_t found = 0;
	for (size_t r = 0; r < pv_bundle_nmembers; r++) {
		const char *name = pv_bundle_members[r].name;
		size_t n = strlen(name), in = 0;
		for (size_t i = 0; i < l->n; i++)
			in += name[n - 1] == '/' ? strncmp(l->m[i].name, name, n) == 0
					       : strcmp(l->m[i].name, name) == 0;
		if (in == 0)
			fail_msg("the table's member %s is not in the bundle", name);
		found += in;
		char line[80];
		snprintf(line, sizeof line, "\n%s\n", name);
		assert_non_null(strstr(dutch, line));
		assert_non_null(strstr(english, line));
		assert_true(pv_bundle_members[r].dutch && pv_bundle_members[r].english);
	}
	assert_int_equal(found, l->n);
}

/* The JPEG members other than the photos decode, at the expected sizes. */
static void check_jpeg(const struct member *m, int max_w, int max_h)
{
	tjhandle tj = tjInitDecompress();
	int w, h, sub, cs;
	assert_int_equal(tjDecompressHeader3(tj, m->data, (unsigned long)m->len, &w, &h, &sub, &cs), 0);
	assert_true(w > 0 && h > 0 && w <= max_w && h <= max_h);
	tjDestroy(tj);
}

static void check_images(struct listing *l)
{
	for (size_t i = 3; i < 9; i++)
		check_jpeg(&l->m[i], 1600, 1600);
	check_jpeg(member_named(l, "contact-sheet.jpg"), 8192, 8192);
	/* the preview of a photo smaller than a preview is the photo's size */
	tjhandle tj = tjInitDecompress();
	int w, h, sub, cs;
	const struct member *p = member_named(l, "previews/01-12.jpg");
	assert_int_equal(tjDecompressHeader3(tj, p->data, (unsigned long)p->len, &w, &h, &sub, &cs), 0);
	assert_int_equal(w, 96);
	assert_int_equal(h, 64);
	tjDestroy(tj);
}

static void check_html(struct listing *l)
{
	const char *html = (const char *)member_named(l, "index.html")->data;
	assert_non_null(strstr(html, "<!DOCTYPE html>"));
	assert_non_null(strstr(html, "<title>Cliëntfeedback</title>"));
	for (size_t i = 3; i < 9; i++)
		assert_non_null(strstr(html, l->m[i].name));
	assert_non_null(strstr(html, "href=\"photos/02-7.jpg\""));
	/* every text escaped */
	assert_non_null(strstr(html, "Ze zei &quot;kom maar&quot;"));
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "http"));
	assert_non_null(strstr(html, "@media print"));
}

static int contains(const uint8_t *data, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; n <= len && i <= len - n; i++)
		if (memcmp(data + i, needle, n) == 0)
			return 1;
	return 0;
}

static void check_no_machine_names(const char *path, const char *dir)
{
	uint8_t *data;
	size_t len;
	read_whole(path, &data, &len);
	const char *bad[] = { "IMG_2041", "de-klik", "schermafbeelding", dir };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(contains(data, len, bad[i]));
	free(data);
}

static int write_bundle(struct fixture *fx, enum pv_bundle_format f,
			const char *name, char sha[65], struct pv_err *err)
{
	char *out = pv_path_join(fx->dir, name);
	struct pv_bundle_opts o = opts_for(f, NULL);
	int r = pv_bundle_write(out, fx->items, NPHOTOS, &o, sha, err);
	free(out);
	return r;
}

static void check_same_bytes(const char *a, const char *b)
{
	uint8_t *da, *db;
	size_t la, lb;
	read_whole(a, &da, &la);
	read_whole(b, &db, &lb);
	assert_int_equal(la, lb);
	assert_memory_equal(da, db, la);
	free(da);
	free(db);
}

static void check_format(void **state, enum pv_bundle_format f, const char *ext)
{
	struct fixture *fx = *state;
	char name1[64], name2[64], sha[65], sha2[65];
	struct pv_err err = {0};
	snprintf(name1, sizeof name1, "one.%s", ext);
	snprintf(name2, sizeof name2, "two.%s", ext);
	if (write_bundle(fx, f, name1, sha, &err) != 0) {
		if (f == PV_BUNDLE_TAR_ZST && strstr(err.msg, "zstd"))
			skip();
		fail_msg("%s", err.msg);
	}
	char *p1 = pv_path_join(fx->dir, name1), *p2 = pv_path_join(fx->dir, name2);
	uint8_t *data;
	size_t len;
	char hex[PV_SHA256_HEX];
	read_whole(p1, &data, &len);
	pv_sha256_hex(data, len, hex);
	free(data);
	assert_string_equal(sha, hex);

	struct listing l;
	read_listing(p1, &l);
	check_members(fx, &l);
	check_manifest(fx, &l);
	check_captions(&l);
	check_sums(&l);
	check_poster(fx, &l);
	check_readmes(&l);
	check_member_table(&l);
	check_images(&l);
	check_html(&l);
	free_listing(&l);
	check_no_machine_names(p1, fx->dir);

	assert_int_equal(write_bundle(fx, f, name2, sha2, &err), 0);
	check_same_bytes(p1, p2);
	assert_string_equal(sha, sha2);
	assert_int_equal(count_files(fx->dir), NPHOTOS + 2);   /* no temp files */
	free(p1);
	free(p2);
}

/* ---- tests ------------------------------------------------------------------- */

/* Every row of the formats' table is found by its name, its other names
 * and the endings of an output name. */
static void test_format_table(void **state)
{
	(void)state;
	assert_int_equal(pv_bundle_nformats, 4);
	for (size_t f = 0; f < pv_bundle_nformats; f++) {
		const struct pv_bundle_format_def *d = &pv_bundle_formats[f];
		assert_int_equal(pv_bundle_format_parse(d->name), (int)f);
		assert_string_equal(pv_bundle_format_name((int)f), d->name);
		assert_non_null(strstr(pv_bundle_format_list(), d->name));
		for (size_t k = 0; k < 2 && d->aliases[k]; k++)
			assert_int_equal(pv_bundle_format_parse(d->aliases[k]), (int)f);
		for (size_t k = 0; k < 2 && d->endings[k]; k++) {
			char out[64];
			snprintf(out, sizeof out, "/tmp/poster%s", d->endings[k]);
			assert_int_equal(pv_bundle_format_of_name(out), (int)f);
		}
	}
	assert_int_equal(pv_bundle_format_of_name("poster.rar"), -1);
	assert_null(pv_bundle_format_name(99));
}

static void test_format_parse(void **state)
{
	(void)state;
	assert_int_equal(pv_bundle_format_parse("zip"), PV_BUNDLE_ZIP);
	assert_int_equal(pv_bundle_format_parse("tar.gz"), PV_BUNDLE_TAR_GZ);
	assert_int_equal(pv_bundle_format_parse("tar.zst"), PV_BUNDLE_TAR_ZST);
	assert_int_equal(pv_bundle_format_parse("7z"), PV_BUNDLE_7Z);
	assert_int_equal(pv_bundle_format_parse("rar"), -1);
	assert_int_equal(pv_bundle_format_parse(""), -1);
	assert_int_equal(pv_bundle_format_parse("ZIP"), -1);
	assert_int_equal(pv_bundle_format_parse(NULL), -1);
}

static void test_photo_name(void **state)
{
	(void)state;
	char name[64];
	pv_bundle_photo_name_of(0, 3, 12, name, sizeof name);
	assert_string_equal(name, "photos/01-12.jpg");
	pv_bundle_photo_name_of(9, 10, 7, name, sizeof name);
	assert_string_equal(name, "photos/10-7.jpg");
	pv_bundle_photo_name_of(6, 100, 12, name, sizeof name);
	assert_string_equal(name, "photos/007-12.jpg");
	pv_bundle_photo_name_of(99, 100, 5, name, sizeof name);
	assert_string_equal(name, "photos/100-5.jpg");
	pv_bundle_photo_name_of(0, 99, 5, name, sizeof name);
	assert_string_equal(name, "photos/01-5.jpg");
	pv_bundle_photo_name_of(0, 3, 12, name, 8);
	assert_string_equal(name, "photos/");
}

/* ---- memory ------------------------------------------------------------------- */

/* A photo of w x h of noise, written in one go: a few megabytes that hardly
 * compress, so that the page cache may hold it in large folios. */
static char *write_noise_photo(const char *dir, const char *name, int w, int h)
{
	uint8_t *rgb = malloc((size_t)w * h * 3);
	assert_non_null(rgb);
	uint32_t x = 2463534242u;
	for (size_t i = 0; i < (size_t)w * h * 3; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		rgb[i] = (uint8_t)x;
	}
	tjhandle tj = tjInitCompress();
	uint8_t *jpeg = NULL;
	unsigned long len = 0;
	assert_int_equal(tjCompress2(tj, rgb, w, 0, h, TJPF_RGB, &jpeg, &len, TJSAMP_444, 95, 0), 0);
	tjDestroy(tj);
	free(rgb);
	char *path = pv_path_join(dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(pv_write_all(fd, jpeg, len), 0);
	close(fd);
	tjFree(jpeg);
	return path;
}

/* Kilobytes of the file named name that this process has in memory. */
static long resident_kb(const char *name)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	assert_non_null(f);
	char line[4096];
	int ours = 0;
	long kb = 0;
	while (fgets(line, sizeof line, f)) {
		const char *dash = strchr(line, '-'), *space = strchr(line, ' ');
		if (isxdigit((unsigned char)line[0]) && dash && space && dash < space)
			ours = strstr(line, name) != NULL;
		else if (ours && strncmp(line, "Rss:", 4) == 0)
			kb += atol(line + 4);
	}
	fclose(f);
	return kb;
}

/* cairo reads the header of every photo on the poster before it writes the
 * first: reading a photo's header must bring in the header, not the photo
 * (Linux 6.18 maps a whole large page-cache folio, up to 2 MB, at the first
 * touch of a mapping that holds it). */
static void test_header_read_alone(void **state)
{
	struct fixture *fx = *state;
	char *path = write_noise_photo(fx->dir, "groot-ruis.jpg", 2400, 1600);
	struct pv_entry e;
	set_entry(&e, 5, "Groot", "Veel ruis.", NULL, NULL, 0);
	struct pv_bundle_item item = { .entry = &e, .media_path = path };
	struct pv_bundle_opts o = opts_for(PV_BUNDLE_ZIP, fx->dir);
	struct pv_err err = { 0 };
	struct pv_bundle_photo *ph = pv_bundle_open_photos(&item, 1, &o, fx->dir, &err);
	assert_non_null(ph);
	assert_true(ph->photo.len > ((size_t)4 << 20));
	assert_true(resident_kb("groot-ruis.jpg") < 64);
	/* its markers, as cairo walks them up to the frame header */
	unsigned sum = 0;
	for (size_t i = 0; i < 600; i++)
		sum += ((volatile const uint8_t *)ph->photo.data)[i];
	assert_true(sum > 0);
	assert_true(resident_kb("groot-ruis.jpg") <= 128);
	pv_bundle_close_photos(ph, 1);
	free(path);
}

static void test_zip(void **state) { check_format(state, PV_BUNDLE_ZIP, "zip"); }
static void test_tar_gz(void **state) { check_format(state, PV_BUNDLE_TAR_GZ, "tar.gz"); }
static void test_tar_zst(void **state) { check_format(state, PV_BUNDLE_TAR_ZST, "tar.zst"); }
static void test_7z(void **state) { check_format(state, PV_BUNDLE_7Z, "7z"); }

/* Nothing taken from the clock: a write a second later gives the same bytes. */
static void test_same_bytes_later(void **state)
{
	struct fixture *fx = *state;
	static const char *ext[] = { "zip", "tar.gz", "tar.zst", "7z" };
	struct pv_err err = {0};
	char sha[65], name[64];
	for (int f = 0; f < 4; f++) {
		snprintf(name, sizeof name, "early.%s", ext[f]);
		assert_int_equal(write_bundle(fx, (enum pv_bundle_format)f, name, sha, &err), 0);
	}
	sleep(1);
	for (int f = 0; f < 4; f++) {
		snprintf(name, sizeof name, "late.%s", ext[f]);
		assert_int_equal(write_bundle(fx, (enum pv_bundle_format)f, name, sha, &err), 0);
		char early[64];
		snprintf(early, sizeof early, "early.%s", ext[f]);
		char *a = pv_path_join(fx->dir, early), *b = pv_path_join(fx->dir, name);
		check_same_bytes(a, b);
		free(a);
		free(b);
	}
}

static void assert_sentence(const char *err)
{
	size_t n = strlen(err);
	assert_true(n > 10);
	assert_true(err[n - 1] == '.');
}

static void test_missing_media(void **state)
{
	struct fixture *fx = *state;
	char *out_dir = pv_path_join(fx->dir, "out");
	char *tmp_dir = pv_path_join(fx->dir, "tmp");
	assert_int_equal(mkdir(out_dir, 0700), 0);
	assert_int_equal(mkdir(tmp_dir, 0700), 0);
	char *out = pv_path_join(out_dir, "bundle.zip");
	fx->items[1].media_path = "/nonexistent/photovoice/media/ab/abcd.jpg";
	for (int f = 0; f < 4; f++) {
		struct pv_bundle_opts o = opts_for((enum pv_bundle_format)f, f % 2 ? tmp_dir : NULL);
		struct pv_err err = {0};
		char sha[65] = "";
		assert_int_equal(pv_bundle_write(out, fx->items, NPHOTOS, &o, sha, &err), -1);
		assert_sentence(err.msg);
		assert_non_null(strstr(err.msg, "entry 7"));
		assert_false(exists(out));
		assert_int_equal(count_files(out_dir), 0);
		assert_int_equal(count_files(tmp_dir), 0);
	}
	free(out);
	free(out_dir);
	free(tmp_dir);
}

static void test_unwritable_folder(void **state)
{
	struct fixture *fx = *state;
	struct pv_bundle_opts o = opts_for(PV_BUNDLE_ZIP, NULL);
	struct pv_err err = {0};
	assert_int_equal(pv_bundle_write("/nonexistent/photovoice/out.zip", fx->items,
					 NPHOTOS, &o, NULL, &err), -1);
	assert_sentence(err.msg);
	/* a "temporary folder" that is a file */
	o.tmpdir = fx->media[0];
	char *out0 = pv_path_join(fx->dir, "never.zip");
	err.msg[0] = '\0';
	assert_int_equal(pv_bundle_write(out0, fx->items, NPHOTOS, &o, NULL, &err), -1);
	assert_sentence(err.msg);
	assert_false(exists(out0));
	assert_int_equal(count_files(fx->dir), NPHOTOS);
	free(out0);
	o.tmpdir = NULL;
	if (geteuid() == 0)
		return;   /* root writes into read-only folders */
	char *ro = pv_path_join(fx->dir, "readonly");
	assert_int_equal(mkdir(ro, 0500), 0);
	char *out = pv_path_join(ro, "out.zip");
	err.msg[0] = '\0';
	assert_int_equal(pv_bundle_write(out, fx->items, NPHOTOS, &o, NULL, &err), -1);
	assert_sentence(err.msg);
	assert_false(exists(out));
	chmod(ro, 0700);
	free(out);
	free(ro);
}

static void test_changed_media_refused(void **state)
{
	struct fixture *fx = *state;
	fx->entries[0].sha256[0] = fx->entries[0].sha256[0] == 'a' ? 'b' : 'a';
	struct pv_bundle_opts o = opts_for(PV_BUNDLE_ZIP, NULL);
	struct pv_err err = {0};
	char *out = pv_path_join(fx->dir, "changed.zip");
	assert_int_equal(pv_bundle_write(out, fx->items, NPHOTOS, &o, NULL, &err), -1);
	assert_sentence(err.msg);
	assert_non_null(strstr(err.msg, "entry 12"));
	assert_false(exists(out));
	assert_int_equal(count_files(fx->dir), NPHOTOS);
	free(out);
}

static void test_bad_requests(void **state)
{
	struct fixture *fx = *state;
	struct pv_bundle_opts o = opts_for(PV_BUNDLE_ZIP, NULL);
	struct pv_err err = {0};
	char *out = pv_path_join(fx->dir, "bad.zip");
	assert_int_equal(pv_bundle_write(out, fx->items, 0, &o, NULL, &err), -1);
	assert_sentence(err.msg);
	o.format = (enum pv_bundle_format)42;
	assert_int_equal(pv_bundle_write(out, fx->items, NPHOTOS, &o, NULL, &err), -1);
	assert_sentence(err.msg);
	assert_int_equal(pv_bundle_write(NULL, fx->items, NPHOTOS, &o, NULL, &err), -1);
	fx->entries[1].caption = "niet \xff geldig";
	o.format = PV_BUNDLE_ZIP;
	assert_int_equal(pv_bundle_write(out, fx->items, NPHOTOS, &o, NULL, &err), -1);
	assert_sentence(err.msg);
	assert_false(exists(out));
	assert_int_equal(count_files(fx->dir), NPHOTOS);
	free(out);
}

static void test_default_opts(void **state)
{
	struct fixture *fx = *state;
	struct pv_err err = {0};
	char sha[65] = "";
	char *out = pv_path_join(fx->dir, "default.zip");
	assert_int_equal(pv_bundle_write(out, fx->items, NPHOTOS, NULL, sha, &err), 0);
	assert_int_equal(strlen(sha), 64);
	struct listing l;
	read_listing(out, &l);
	assert_int_equal(l.n, NMEMBERS);
	assert_non_null(strstr((const char *)member_named(&l, "manifest.json")->data, "\"purpose\": \"poster\""));
	assert_non_null(strstr((const char *)member_named(&l, "manifest.json")->data, "\"paper\": \"A2\""));
	free_listing(&l);
	free(out);
}

static void write_and_list(struct fixture *fx, struct pv_bundle_opts *o,
			   const char *name, struct listing *l)
{
	struct pv_err err = {0};
	char sha[65];
	char *out = pv_path_join(fx->dir, name);
	if (pv_bundle_write(out, fx->items, NPHOTOS, o, sha, &err) != 0)
		fail_msg("%s", err.msg);
	read_listing(out, l);
	free(out);
}

/* data-merge.csv: BOM, quoted fields, one line per record, formulas kept as
 * text, @photo relative to the csv. */
static void test_csv(void **state)
{
	struct fixture *fx = *state;
	fx->entries[0].caption = "=HYPERLINK(\"http://x\")";
	fx->entries[1].title = "+31 6 ... bellen";
	fx->entries[2].caption = "@kim, -zie \"verhaal\"";
	fx->entries[2].story = "eerste regel\r\n\r\ntweede, regel";
	struct pv_bundle_opts o = opts_for(PV_BUNDLE_ZIP, NULL);
	struct listing l;
	write_and_list(fx, &o, "csv.zip", &l);
	const char *csv = (const char *)member_named(&l, "data-merge.csv")->data;
	const char *want =
		"\xEF\xBB\xBF\"nr\",\"id\",\"title\",\"caption\",\"credit\",\"story\",\"tags\",\"@photo\"\r\n"
		"\"1\",\"12\",\"De klik\",\"'=HYPERLINK(\"\"http://x\"\")\",\"Fenna\",\"Het verhaal van een café.\",\"klik, luisteren\",\"photos/01-12.jpg\"\r\n"
		"\"2\",\"7\",\"'+31 6 ... bellen\",\"Ze zei \"\"kom maar\"\" en ik ging.\",\"Noël\",\"\",\"\",\"photos/02-7.jpg\"\r\n"
		"\"3\",\"31\",\"\",\"'@kim, -zie \"\"verhaal\"\"\",\"\",\"eerste regel tweede, regel\",\"\",\"photos/03-31.jpg\"\r\n";
	assert_string_equal(csv, want);
	free_listing(&l);
}

/* Text that looks like markup stays text in index.html. */
static void test_html_escapes(void **state)
{
	struct fixture *fx = *state;
	fx->entries[0].caption = "<script>alert('x')</script> & <b>vet</b>";
	fx->entries[1].story = "regel een\nregel twee\n\nalinea <twee>";
	char *tags[] = { "<i>", NULL };
	fx->entries[2].tags = tags;
	fx->entries[2].ntags = 1;
	struct pv_bundle_opts o = opts_for(PV_BUNDLE_ZIP, NULL);
	o.poster.title = "A \"quoted\" <title>";
	struct listing l;
	write_and_list(fx, &o, "html.zip", &l);
	const char *html = (const char *)member_named(&l, "index.html")->data;
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<b>"));
	assert_null(strstr(html, "<i>"));
	assert_non_null(strstr(html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;vet&lt;/b&gt;"));
	assert_non_null(strstr(html, "regel een<br>\nregel twee</p>\n<p>alinea &lt;twee&gt;"));
	assert_non_null(strstr(html, "<title>A &quot;quoted&quot; &lt;title&gt;</title>"));
	assert_non_null(strstr(html, "<li>&lt;i&gt;</li>"));
	free_listing(&l);
}

struct warnings {
	char text[4][512];
	int n;
};

static void collect_warning(const char *sentence, void *ctx)
{
	struct warnings *w = ctx;
	if (w->n < 4)
		snprintf(w->text[w->n], sizeof w->text[0], "%s", sentence);
	w->n++;
}

/* Tiny photos on A0 print far below 150 dpi: each is named; the same photos
 * on A4 with many columns are fine. */
static void test_low_dpi_warning(void **state)
{
	struct fixture *fx = *state;
	struct warnings w = { .n = 0 };
	struct pv_bundle_opts o = opts_for(PV_BUNDLE_ZIP, NULL);
	o.poster.paper = PV_PAPER_A0;
	o.poster.landscape = 1;
	o.warn = collect_warning;
	o.warn_ctx = &w;
	struct listing l;
	write_and_list(fx, &o, "a0.zip", &l);
	assert_int_equal(w.n, NPHOTOS);
	assert_non_null(strstr(w.text[0], "entry 12"));
	assert_non_null(strstr(w.text[0], "150 dpi"));
	assert_non_null(strstr(w.text[2], "entry 31"));
	const char *manifest = (const char *)member_named(&l, "manifest.json")->data;
	assert_non_null(strstr(manifest, "\"paper\": \"A0\""));
	assert_non_null(strstr(manifest, "\"orientation\": \"landscape\""));
	free_listing(&l);

	w.n = 0;
	o.poster.paper = PV_PAPER_A4;
	o.poster.landscape = 0;
	o.poster.columns = 12;
	fx->entries[0].width = 96;   /* a wider photo in a narrow cell is sharp */
	write_and_list(fx, &o, "a4.zip", &l);
	manifest = (const char *)member_named(&l, "manifest.json")->data;
	assert_non_null(strstr(manifest, "\"columns\": 12"));
	free_listing(&l);
}

/* Long text never leaves the page: the poster still holds every photo, and
 * pango ellipsizes what does not fit. */
static void test_poster_long_text(void **state)
{
	struct fixture *fx = *state;
	char *long_caption = malloc(20000);
	size_t n = 0;
	while (n + 30 < 20000)
		n += (size_t)snprintf(long_caption + n, 20000 - n, "Één ruïne, één café, één überlang ");
	fx->entries[0].caption = long_caption;
	fx->entries[1].story = long_caption;
	fx->entries[2].credit = "Foto: iemand met een heel erg lange naamsvermelding die niet past";
	struct pv_bundle_opts o = opts_for(PV_BUNDLE_ZIP, NULL);
	o.poster.title = long_caption;
	struct listing l;
	write_and_list(fx, &o, "long.zip", &l);
	check_poster(fx, &l);
	free_listing(&l);
	free(long_caption);
}

static void test_paper(void **state)
{
	(void)state;
	assert_int_equal(pv_paper_parse("A4"), PV_PAPER_A4);
	assert_int_equal(pv_paper_parse("a0"), PV_PAPER_A0);
	assert_int_equal(pv_paper_parse("A5"), -1);
	assert_int_equal(pv_paper_parse(""), -1);
	assert_int_equal(pv_paper_parse(NULL), -1);
	assert_string_equal(pv_paper_name(PV_PAPER_A1), "A1");
	double w, h;
	pv_paper_size(PV_PAPER_A4, &w, &h);
	assert_true(w > 595.2 && w < 595.4 && h > 841.8 && h < 842.0);
	pv_paper_size(PV_PAPER_A0, &w, &h);
	assert_true(w > 2383 && w < 2384 && h > 3370 && h < 3371);
}

static void test_bad_poster_settings(void **state)
{
	struct fixture *fx = *state;
	struct pv_bundle_opts o = opts_for(PV_BUNDLE_ZIP, NULL);
	struct pv_err err = {0};
	char *out = pv_path_join(fx->dir, "bad.zip");
	o.poster.paper = (enum pv_paper)9;
	assert_int_equal(pv_bundle_write(out, fx->items, NPHOTOS, &o, NULL, &err), -1);
	assert_sentence(err.msg);
	o.poster.paper = PV_PAPER_A3;
	o.poster.columns = 13;
	assert_int_equal(pv_bundle_write(out, fx->items, NPHOTOS, &o, NULL, &err), -1);
	assert_false(exists(out));
	/* a stored file that is not a JPEG cannot go on a poster */
	FILE *f = fopen(fx->media[1], "wb");
	fputs("not a photo at all", f);
	fclose(f);
	fx->entries[1].sha256[0] = '\0';
	o.poster.columns = 0;
	assert_int_equal(pv_bundle_write(out, fx->items, NPHOTOS, &o, NULL, &err), -1);
	assert_sentence(err.msg);
	assert_non_null(strstr(err.msg, "entry 7"));
	assert_false(exists(out));
	assert_int_equal(count_files(fx->dir), NPHOTOS);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_parse),
		cmocka_unit_test(test_format_table),
		cmocka_unit_test(test_photo_name),
		cmocka_unit_test_setup_teardown(test_zip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tar_gz, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tar_zst, setup, teardown),
		cmocka_unit_test_setup_teardown(test_7z, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_bytes_later, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_media, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unwritable_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changed_media_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_requests, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_opts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_html_escapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_low_dpi_warning, setup, teardown),
		cmocka_unit_test_setup_teardown(test_poster_long_text, setup, teardown),
		cmocka_unit_test(test_paper),
		cmocka_unit_test_setup_teardown(test_header_read_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_poster_settings, setup, teardown),
	};
	return cmocka_run_group_tests_name("bundle", tests, NULL, NULL);
}
