/*
 * make bench, start-up part: times a command started many times, the way a
 * shell starts it (fork + exec + wait), with its output thrown away.
 *
 *   startup_timer RUNS COMMAND [ARG...]
 *
 * Prints "median p10 p90 min" in milliseconds of wall clock for one start,
 * after 10 untimed starts (to fill the page cache); exit 1 when the command
 * fails once. No library of photovoice: it only starts programs.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* One start of argv; its wall-clock milliseconds, or -1 when it failed. */
static double start_once(char **argv)
{
	double t0 = now_ms();
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
			_exit(127);
		execvp(argv[0], argv);
		_exit(127);
	}
	int status;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	double t = now_ms() - t0;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? t : -1;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int runs = argc > 2 ? atoi(argv[1]) : 0;
	if (runs < 1) {
		fprintf(stderr, "usage: startup_timer RUNS COMMAND [ARG...]\n");
		return 2;
	}
	double *t = malloc(sizeof *t * (size_t)runs);
	if (!t)
		return 1;
	for (int i = -10; i < runs; i++) {
		double ms = start_once(argv + 2);
		if (ms < 0) {
			fprintf(stderr, "startup_timer: %s failed\n", argv[2]);
			free(t);
			return 1;
		}
		if (i >= 0)
			t[i] = ms;
	}
	qsort(t, (size_t)runs, sizeof *t, by_value);
	printf("%.3f %.3f %.3f %.3f\n", t[runs / 2], t[runs / 10], t[runs * 9 / 10], t[0]);
	free(t);
	return 0;
}
