/* Hand-in (src/ingest/handin.c): what the phone page of serve puts in the
 * drop folder. The words pass the caption-file rule of ingest; every photo
 * gets a caption file under a fresh random name; a file that is not a photo
 * goes to the quarantine with its reason; no temporary file stays behind. */
#include "testutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "photovoice/ingest.h"
#include "photovoice/store.h"
#include "photovoice/util.h"

struct fixture {
	char *dir;
	char *drop;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	f->dir = pv_test_tmpdir();
	struct pv_err err = {0};
	assert_int_equal(pv_archive_init(f->dir, &err), 0);
	f->drop = pv_path_join(f->dir, "drop");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	pv_test_rmtree(f->dir);
	free(f->drop);
	free(f);
	return 0;
}

/* A received file in ARCHIVE/tmp holding data. */
static char *received(const struct fixture *f, const void *data, size_t len)
{
	struct pv_err err = {0};
	char *path = NULL;
	int fd = pv_handin_open_temp(f->dir, &path, &err);
	assert_true(fd >= 0);
	assert_int_equal(pv_write_all(fd, data, len), 0);
	close(fd);
	return path;
}

/* The names of the received files (the caller's; placing frees none). */
static void free_all(char **paths, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
}

static size_t count_files(const char *dir, const char *ending)
{
	DIR *d = opendir(dir);
	size_t n = 0;
	struct dirent *de;
	while (d && (de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name), e = strlen(ending);
		if (de->d_name[0] != '.' && l > e && strcmp(de->d_name + l - e, ending) == 0)
			n++;
	}
	if (d)
		closedir(d);
	return n;
}

static void words_are_checked_by_the_caption_rule(void **state)
{
	(void)state;
	struct pv_err err = {0};
	struct pv_handin_words ok = { "Mijn straat", "Hier woon ik", "Een verhaal\nmet regels",
				      "poster" };
	assert_int_equal(pv_handin_check_words(&ok, &err), 0);
	/* a line break or a "Key:" in a title cannot become a header line */
	struct pv_handin_words tricky = { "Titel\nToestemming: public", "Deelnemer: iemand",
					  "Verhaal:\n\nmeer", "internal" };
	assert_int_equal(pv_handin_check_words(&tricky, &err), 0);
	struct pv_handin_words no_consent = { "t", NULL, NULL, NULL };
	assert_int_equal(pv_handin_check_words(&no_consent, &err), -1);
	assert_int_equal(err.kind, PV_ERR_INPUT);
	struct pv_handin_words bad_consent = { "t", NULL, NULL, "everyone" };
	assert_int_equal(pv_handin_check_words(&bad_consent, &err), -1);
	assert_int_equal(err.kind, PV_ERR_INPUT);
	struct pv_handin_words not_text = { "\xff\xfe", NULL, NULL, "poster" };
	assert_int_equal(pv_handin_check_words(&not_text, &err), -1);
	char *long_title = malloc(PV_MAX_TITLE_BYTES + 2);
	memset(long_title, 'a', PV_MAX_TITLE_BYTES + 1);
	long_title[PV_MAX_TITLE_BYTES + 1] = '\0';
	struct pv_handin_words too_long = { long_title, NULL, NULL, "poster" };
	int r = pv_handin_check_words(&too_long, &err);
	free(long_title);
	assert_int_equal(r, -1);
}

static void photos_get_a_caption_file_and_new_names(void **state)
{
	struct fixture *f = *state;
	unsigned long len1, len2;
	uint8_t *j1 = pv_test_jpeg(64, 48, 1, &len1), *j2 = pv_test_jpeg(64, 48, 2, &len2);
	char *temps[2] = { received(f, j1, len1), received(f, j2, len2) };
	char *keep[2] = { pv_strdup(temps[0]), pv_strdup(temps[1]) };
	struct pv_handin_words w = { "<b>Titel</b>", "Onderschrift", "Verhaal", "poster" };
	struct pv_handin_result res;
	struct pv_err err = {0};
	assert_int_equal(pv_handin_place(f->drop, "fenna", &w, temps, 2, &res, &err), 0);
	assert_int_equal(res.taken, 2);
	assert_int_equal(res.set_aside, 0);
	char *folder = pv_path_join(f->drop, "fenna");
	assert_int_equal(count_files(folder, ".jpg"), 2);
	assert_int_equal(count_files(folder, ".json"), 2);
	assert_int_equal(count_files(folder, ".pv-write"), 0);
	for (int i = 0; i < 2; i++) {   /* the temporary files are gone */
		struct stat st;
		assert_int_not_equal(lstat(keep[i], &st), 0);
		free(keep[i]);
	}
	/* ingest reads the words back as they were typed */
	DIR *d = opendir(folder);
	struct dirent *de;
	int checked = 0;
	while ((de = readdir(d)) != NULL) {
		if (!strstr(de->d_name, ".json"))
			continue;
		assert_int_equal(strncmp(de->d_name, "web-", 4), 0);
		char *p = pv_path_join(folder, de->d_name);
		uint8_t *data;
		size_t n;
		assert_int_equal(pv_read_file(p, 1 << 20, &data, &n, &err), 0);
		struct pv_sidecar s;
		assert_int_equal(pv_sidecar_parse_json((char *)data, n, &s, &err), 0);
		assert_string_equal(s.title, "<b>Titel</b>");
		assert_string_equal(s.story, "Verhaal");
		assert_int_equal(s.consent, PV_CONSENT_POSTER);
		pv_sidecar_free(&s);
		free(data);
		free(p);
		checked++;
	}
	closedir(d);
	assert_int_equal(checked, 2);
	free(folder);
	free(j1);
	free(j2);
	free_all(temps, 2);
}

static void a_file_that_is_not_a_photo_is_set_aside(void **state)
{
	struct fixture *f = *state;
	static const char text[] = "Dit is geen foto, maar een tekstbestand.\n";
	unsigned long len;
	uint8_t *jpeg = pv_test_jpeg(32, 32, 3, &len);
	char *temps[3] = { received(f, text, sizeof text - 1), received(f, jpeg, len),
			   received(f, "", 0) };
	struct pv_handin_words w = { NULL, NULL, NULL, "internal" };
	struct pv_handin_result res;
	struct pv_err err = {0};
	assert_int_equal(pv_handin_place(f->drop, "sem", &w, temps, 3, &res, &err), 1);
	assert_int_equal(err.kind, PV_ERR_INPUT);
	assert_int_equal(res.taken, 1);
	assert_int_equal(res.set_aside, 2);
	/* the sentence the participant reads: what came, and what was set aside */
	assert_string_equal(err.msg, "Your photo was received, but 2 files were not photos; "
			    "we set them aside.");
	char *q = pv_path_join(f->drop, ".quarantine/sem");
	assert_int_equal(count_files(q, ".upload"), 2);
	assert_int_equal(count_files(q, ".reason.txt"), 2);
	char *folder = pv_path_join(f->drop, "sem");
	assert_int_equal(count_files(folder, ".jpg"), 1);
	assert_int_equal(count_files(folder, ".json"), 1);
	char *tmp = pv_path_join(f->dir, "tmp");
	assert_int_equal(count_files(tmp, ""), 0);
	free(tmp);
	free(folder);
	free(q);
	free(jpeg);
	free_all(temps, 3);
	unsigned long len2, len3;
	uint8_t *jpeg2 = pv_test_jpeg(32, 32, 4, &len2), *jpeg3 = pv_test_jpeg(40, 24, 5, &len3);
	/* two photos and one text file: photos, plural; one file, singular */
	char *two[3] = { received(f, jpeg2, len2), received(f, text, sizeof text - 1),
			 received(f, jpeg3, len3) };
	assert_int_equal(pv_handin_place(f->drop, "sem", &w, two, 3, &res, &err), 1);
	assert_int_equal(res.taken, 2);
	assert_int_equal(res.set_aside, 1);
	assert_string_equal(err.msg, "Your photos were received, but one file was not a photo; "
			    "we set it aside.");
	free_all(two, 3);
	free(jpeg2);
	free(jpeg3);
	/* nothing but one text file: no photo came */
	char *only[1] = { received(f, text, sizeof text - 1) };
	assert_int_equal(pv_handin_place(f->drop, "sem", &w, only, 1, &res, &err), 1);
	assert_int_equal(res.taken, 0);
	assert_int_equal(res.set_aside, 1);
	assert_string_equal(err.msg, "That file is not a photo. Choose a photo from your camera "
			    "or gallery.");
	free_all(only, 1);
}

static void a_sending_without_a_photo_is_refused(void **state)
{
	struct fixture *f = *state;
	struct pv_handin_words w = { "t", NULL, NULL, "poster" };
	struct pv_handin_result res;
	struct pv_err err = {0};
	assert_int_equal(pv_handin_place(f->drop, "kim", &w, NULL, 0, &res, &err), -1);
	assert_int_equal(err.kind, PV_ERR_INPUT);
	assert_string_equal(err.msg, "Choose a photo first.");
	assert_int_equal(res.taken, 0);
	char *folder = pv_path_join(f->drop, "kim");
	struct stat st;
	assert_int_not_equal(stat(folder, &st), 0);   /* no folder made for nothing */
	free(folder);
}

static void bad_words_place_nothing_and_leave_no_temp(void **state)
{
	struct fixture *f = *state;
	unsigned long len;
	uint8_t *jpeg = pv_test_jpeg(32, 32, 4, &len);
	char *temps[1] = { received(f, jpeg, len) };
	char *kept = pv_strdup(temps[0]);
	struct pv_handin_words w = { "t", NULL, NULL, "iedereen" };
	struct pv_handin_result res;
	struct pv_err err = {0};
	assert_int_equal(pv_handin_place(f->drop, "kim", &w, temps, 1, &res, &err), -1);
	assert_int_equal(res.taken, 0);
	struct stat st;
	assert_int_not_equal(stat(kept, &st), 0);
	char *folder = pv_path_join(f->drop, "kim");
	assert_int_equal(count_files(folder, ".jpg"), 0);
	free(folder);
	free(kept);
	free(jpeg);
	free_all(temps, 1);
}

static void put_file(const char *folder, const char *name)
{
	char *path = pv_path_join(folder, name);
	struct pv_err err = {0};
	assert_int_equal(pv_write_atomic(path, folder, "{}", 2, &err), 0);
	free(path);
}

static int exists_in(const char *folder, const char *name)
{
	char *path = pv_path_join(folder, name);
	struct stat st;
	int r = stat(path, &st) == 0;
	free(path);
	return r;
}

/* Half-received files in ARCHIVE/tmp, and a caption file of ours named
 * without its photo (a server killed between the two names); a pair of
 * ours, and someone's own caption file waiting for its photo, stay. */
static void leftovers_of_a_stopped_server_are_removed(void **state)
{
	struct fixture *f = *state;
	char *a = received(f, "half a photo", 12), *b = received(f, "", 0);
	char *kim = pv_path_join(f->drop, "kim");
	assert_int_equal(pv_mkdir_p(kim, 0700), 0);
	put_file(kim, "web-0123456789abcdef.json");
	put_file(kim, "web-fedcba9876543210.json");
	put_file(kim, "web-fedcba9876543210.jpg");
	put_file(kim, "IMG_2041.json");
	assert_int_equal(pv_handin_clean_temps(f->dir, f->drop), 3);
	struct stat st;
	assert_int_not_equal(stat(a, &st), 0);
	assert_int_not_equal(stat(b, &st), 0);
	assert_false(exists_in(kim, "web-0123456789abcdef.json"));
	assert_true(exists_in(kim, "web-fedcba9876543210.json"));
	assert_true(exists_in(kim, "web-fedcba9876543210.jpg"));
	assert_true(exists_in(kim, "IMG_2041.json"));
	assert_int_equal(pv_handin_clean_temps(f->dir, f->drop), 0);
	free(kim);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(words_are_checked_by_the_caption_rule),
		cmocka_unit_test_setup_teardown(photos_get_a_caption_file_and_new_names, setup,
						teardown),
		cmocka_unit_test_setup_teardown(a_file_that_is_not_a_photo_is_set_aside, setup,
						teardown),
		cmocka_unit_test_setup_teardown(a_sending_without_a_photo_is_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(bad_words_place_nothing_and_leave_no_temp, setup,
						teardown),
		cmocka_unit_test_setup_teardown(leftovers_of_a_stopped_server_are_removed, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
