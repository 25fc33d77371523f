/* Unit tests of the hardening fixes in shared code: reading a file never
 * blocks on a FIFO. (The end-to-end hardening tests are tests/e2e/t5x-*.) */
#include "testutil.h"

#include <signal.h>
#include <sys/stat.h>

#include "photovoice/util.h"

static void fail_on_alarm(int sig)
{
	(void)sig;
	/* a blocked open: the bug this test guards against */
	static const char msg[] = "not ok - pv_read_file blocked on a FIFO\n";
	if (write(2, msg, sizeof msg - 1) < 0)
		_exit(2);
	_exit(1);
}

static void test_read_file_refuses_fifo(void **state)
{
	(void)state;
	char *dir = pv_test_tmpdir();
	assert_non_null(dir);
	char *fifo = pv_path_join(dir, "foto.jpg");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	signal(SIGALRM, fail_on_alarm);
	alarm(10);
	uint8_t *data = (uint8_t *)dir;
	size_t len = 1;
	struct pv_err err = {0};
	assert_int_equal(pv_read_file(fifo, PV_MAX_FILE_BYTES, &data, &len, &err), -1);
	alarm(0);
	assert_null(data);
	assert_int_equal(len, 0);
	assert_non_null(strstr(err.msg, "not a regular file"));
	free(fifo);
	pv_test_rmtree(dir);
}

static void test_read_file_regular_still_works(void **state)
{
	(void)state;
	char *dir = pv_test_tmpdir();
	assert_non_null(dir);
	char *path = pv_path_join(dir, "a.txt");
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs("Onderschrift: x\n", f);
	fclose(f);
	uint8_t *data = NULL;
	size_t len = 0;
	struct pv_err err = {0};
	assert_int_equal(pv_read_file(path, PV_MAX_SIDECAR_BYTES, &data, &len, &err), 0);
	assert_int_equal(len, 16);
	assert_memory_equal(data, "Onderschrift: x\n", 16);
	free(data);
	free(path);
	pv_test_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_file_refuses_fifo),
		cmocka_unit_test(test_read_file_regular_still_works),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
