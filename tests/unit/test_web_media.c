/* web: the small media files serve keeps in memory a few seconds
 * (src/web/media_cache.c): the bytes are the file's, a file is read again
 * once it is old, an erasure empties the cache at once, the cache stays
 * under its size, and bytes a response still sends outlive a clear. */
#include "testutil.h"

#include <fcntl.h>
#include <sys/stat.h>

#include "web_internal.h"

static time_t fake_now;
static time_t fake_clock(void)
{
	return fake_now;
}

static char *write_file(const char *dir, const char *name, const char *text)
{
	char *path = pv_path_join(dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* What serve does on a miss: the whole file, read and kept. */
static struct pv_media *read_into_cache(const char *path)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	assert_true(fd >= 0 && fstat(fd, &st) == 0);
	return pv_media_read(fd, path, (size_t)st.st_size, pv_media_cache_clears());
}

static void assert_bytes(struct pv_media *m, const char *want)
{
	size_t len;
	const unsigned char *b = pv_media_bytes(m, &len);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(b, want, len);
}

static int setup(void **state)
{
	*state = pv_test_tmpdir();
	fake_now = 1000;
	pv_media_cache_test_clock(fake_clock);
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	pv_media_cache_clear();
	pv_media_cache_test_clock(NULL);
	pv_test_rmtree(*state);
	return 0;
}

static void a_file_read_once_is_found_with_its_bytes(void **state)
{
	char *path = write_file(*state, "a.thumb.jpg", "first bytes");
	assert_null(pv_media_find(path));
	struct pv_media *m = read_into_cache(path);
	assert_non_null(m);
	assert_bytes(m, "first bytes");
	pv_media_let_go(m);
	struct pv_media *again = pv_media_find(path);
	assert_non_null(again);
	assert_bytes(again, "first bytes");
	pv_media_let_go(again);
	char *other = pv_path_join(*state, "b.thumb.jpg");
	assert_null(pv_media_find(other));   /* another path is not this one */
	free(other);
	free(path);
}

static void an_old_file_is_read_again(void **state)
{
	char *path = write_file(*state, "a.thumb.jpg", "old bytes");
	pv_media_let_go(read_into_cache(path));
	fake_now += PV_MEDIA_TTL_S - 1;
	struct pv_media *m = pv_media_find(path);
	assert_non_null(m);   /* still young */
	pv_media_let_go(m);
	fake_now += 1;
	assert_null(pv_media_find(path));   /* old: the caller reads the file again */
	size_t n;
	pv_media_cache_bytes(&n);
	assert_int_equal(n, 0);
	free(write_file(*state, "a.thumb.jpg", "new bytes"));
	m = read_into_cache(path);
	assert_bytes(m, "new bytes");
	pv_media_let_go(m);
	free(path);
}

static void the_sweep_drops_what_is_old_without_a_request(void **state)
{
	char *a = write_file(*state, "a.thumb.jpg", "aaaa");
	char *b = write_file(*state, "b.thumb.jpg", "bbbbbb");
	pv_media_let_go(read_into_cache(a));
	fake_now += 3;
	pv_media_let_go(read_into_cache(b));
	size_t n;
	assert_int_equal(pv_media_cache_bytes(&n), 10);
	assert_int_equal(n, 2);
	fake_now += PV_MEDIA_TTL_S - 3;
	pv_media_cache_sweep();   /* a's time is up, b's is not */
	assert_int_equal(pv_media_cache_bytes(&n), 6);
	assert_int_equal(n, 1);
	fake_now += 3;
	pv_media_cache_sweep();
	assert_int_equal(pv_media_cache_bytes(&n), 0);
	assert_int_equal(n, 0);
	free(a);
	free(b);
}

static void a_clear_keeps_what_a_response_still_sends(void **state)
{
	char *path = write_file(*state, "a.thumb.jpg", "being sent");
	struct pv_media *sending = read_into_cache(path);
	pv_media_cache_clear();   /* an erasure through serve */
	assert_null(pv_media_find(path));
	assert_bytes(sending, "being sent");   /* freed only now (ASan would see) */
	pv_media_let_go(sending);
	free(path);
}

/* A worker opens a thumbnail, an erasure empties the cache, the worker
 * reads it: the bytes go out this once, but are not kept. */
static void a_file_opened_before_an_erasure_is_not_kept(void **state)
{
	char *path = write_file(*state, "a.thumb.jpg", "erased meanwhile");
	unsigned before = pv_media_cache_clears();
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	pv_media_cache_clear();
	struct pv_media *m = pv_media_read(fd, path, strlen("erased meanwhile"), before);
	assert_non_null(m);
	assert_bytes(m, "erased meanwhile");
	pv_media_let_go(m);
	assert_null(pv_media_find(path));
	size_t n;
	assert_int_equal(pv_media_cache_bytes(&n), 0);
	assert_int_equal(n, 0);
	free(path);
}

/* libmicrohttpd lets go of the bytes when it destroys the response, sent
 * or not (a failed queue destroys it unsent); the sanitizer build sees a
 * leak or a use after free. */
static void a_response_lets_go_when_destroyed(void **state)
{
	char *path = write_file(*state, "a.thumb.jpg", "in a response");
	struct MHD_Response *kept = pv_media_response(read_into_cache(path));
	struct pv_media *found = pv_media_find(path);
	assert_non_null(kept);
	assert_non_null(found);
	struct MHD_Response *second = pv_media_response(found);
	pv_media_cache_clear();
	MHD_destroy_response(kept);
	MHD_destroy_response(second);   /* the last reference: the bytes go now */
	assert_null(pv_media_find(path));
	free(path);
}

static void the_same_file_read_twice_is_kept_once(void **state)
{
	char *path = write_file(*state, "a.thumb.jpg", "twice");
	struct pv_media *one = read_into_cache(path);   /* two workers, one miss each */
	struct pv_media *two = read_into_cache(path);
	size_t n;
	assert_int_equal(pv_media_cache_bytes(&n), 5);
	assert_int_equal(n, 1);
	assert_bytes(one, "twice");
	assert_bytes(two, "twice");
	pv_media_let_go(one);
	pv_media_let_go(two);
	free(path);
}

static void the_cache_stays_under_its_size(void **state)
{
	size_t size = PV_MEDIA_CACHED_MAX;
	char *text = malloc(size + 1);
	memset(text, 'x', size);
	text[size] = '\0';
	size_t files = PV_MEDIA_CACHE_BYTES / size + 4;
	char *first = NULL;
	for (size_t i = 0; i < files; i++) {
		char name[32];
		snprintf(name, sizeof name, "%zu.thumb.jpg", i);
		char *path = write_file(*state, name, text);
		pv_media_let_go(read_into_cache(path));
		if (i == 0)
			first = path;
		else
			free(path);
	}
	size_t n;
	assert_true(pv_media_cache_bytes(&n) <= PV_MEDIA_CACHE_BYTES);
	assert_int_equal(n, PV_MEDIA_CACHE_BYTES / size);
	assert_null(pv_media_find(first));   /* the oldest went first */
	free(first);
	free(text);
}

static void a_larger_file_is_read_but_not_kept(void **state)
{
	size_t size = PV_MEDIA_CACHED_MAX + 1;
	char *text = malloc(size + 1);
	memset(text, 'p', size);
	text[size] = '\0';
	char *path = write_file(*state, "a.preview.jpg", text);
	struct pv_media *m = read_into_cache(path);
	assert_bytes(m, text);
	pv_media_let_go(m);
	assert_null(pv_media_find(path));
	free(path);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_file_read_once_is_found_with_its_bytes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(an_old_file_is_read_again, setup, teardown),
		cmocka_unit_test_setup_teardown(the_sweep_drops_what_is_old_without_a_request,
						setup, teardown),
		cmocka_unit_test_setup_teardown(a_clear_keeps_what_a_response_still_sends, setup,
						teardown),
		cmocka_unit_test_setup_teardown(a_file_opened_before_an_erasure_is_not_kept, setup,
						teardown),
		cmocka_unit_test_setup_teardown(a_response_lets_go_when_destroyed, setup, teardown),
		cmocka_unit_test_setup_teardown(the_same_file_read_twice_is_kept_once, setup,
						teardown),
		cmocka_unit_test_setup_teardown(the_cache_stays_under_its_size, setup, teardown),
		cmocka_unit_test_setup_teardown(a_larger_file_is_read_but_not_kept, setup,
						teardown),
	};
	return cmocka_run_group_tests_name("web_media", tests, NULL, NULL);
}
