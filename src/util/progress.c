/*
 * A progress bar on stderr, drawn only when stderr is a terminal: count, rate
 * and time left, redrawn at most ten times a second, erased at the end. One
 * bar at a time for the whole program; every call takes a mutex, so workers
 * on several threads may step it.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "photovoice/i18n.h"
#include "photovoice/util.h"

#define REDRAW_EVERY_S 0.1
#define LABEL_MAX 32

static struct {
	pthread_mutex_t lock;
	int active;          /* started on a terminal and not done yet */
	int drawn;           /* a bar is on the screen right now */
	size_t total, done;
	double started, last_draw;
	char label[LABEL_MAX];
} bar = { .lock = PTHREAD_MUTEX_INITIALIZER };

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int terminal_width(void)
{
	struct winsize ws;
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	return 80;
}

/* "0:07", "12:30", "1:02:03" */
static void format_duration(char *out, size_t n, double seconds)
{
	unsigned long s = (unsigned long)(seconds + 0.5);
	if (s >= 3600)
		snprintf(out, n, "%lu:%02lu:%02lu", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(out, n, "%lu:%02lu", s / 60, s % 60);
}

static void format_rate(char *out, size_t n, size_t done, double elapsed)
{
	if (done == 0 || elapsed <= 0) {
		snprintf(out, n, "-/s");
		return;
	}
	double rate = (double)done / elapsed;
	snprintf(out, n, rate < 10 ? "%.1f/s" : "%.0f/s", rate);
}

static void format_left(char *out, size_t n, size_t done, size_t total, double elapsed)
{
	if (done == 0 || elapsed <= 0 || done > total) {
		/* TRANSLATORS: the progress bar's time to go */
		snprintf(out, n, "%s", _("-:-- left"));
		return;
	}
	char d[24];
	format_duration(d, sizeof d, elapsed / (double)done * (double)(total - done));
	snprintf(out, n, _("%s left"), d);
}

void pv_progress_format(char *out, size_t n, const char *label, size_t done,
			size_t total, double elapsed, int width)
{
	char rate[32], left[40];
	format_rate(rate, sizeof rate, done, elapsed);
	format_left(left, sizeof left, done, total, elapsed);
	int len = snprintf(out, n, "%s %zu/%zu  %s  %s ", label ? label : "", done, total,
			   rate, left);
	if (len < 0 || (size_t)len >= n)
		return;
	/* the rest of the line, less one column so the cursor never wraps */
	int room = width - len - 3;
	if (room < 10 || (size_t)(len + room + 3) >= n)
		return;
	int filled = total ? (int)((double)room * (double)(done > total ? total : done) /
				   (double)total) : 0;
	char *p = out + len;
	*p++ = '[';
	for (int i = 0; i < room; i++)
		*p++ = i < filled ? '#' : '.';
	*p++ = ']';
	*p = '\0';
}

/* Called with the lock held. */
static void draw(double t)
{
	char line[512];
	int width = terminal_width();
	if (width > (int)sizeof line - 1)
		width = (int)sizeof line - 1;
	pv_progress_format(line, sizeof line, bar.label, bar.done, bar.total,
			   t - bar.started, width);
	fprintf(stderr, "\r%s\033[K", line);
	fflush(stderr);
	bar.drawn = 1;
	bar.last_draw = t;
}

static void erase(void)
{
	if (!bar.drawn)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	bar.drawn = 0;
}

void pv_progress_start(size_t total, const char *label)
{
	pthread_mutex_lock(&bar.lock);
	erase();
	bar.active = isatty(STDERR_FILENO) && total > 0;
	bar.total = total;
	bar.done = 0;
	bar.started = now_s();
	bar.last_draw = 0;
	snprintf(bar.label, sizeof bar.label, "%s", label ? label : "");
	if (bar.active)
		draw(bar.started);
	pthread_mutex_unlock(&bar.lock);
}

void pv_progress_step(size_t n)
{
	pthread_mutex_lock(&bar.lock);
	bar.done += n;
	if (bar.active) {
		double t = now_s();
		if (!bar.drawn || t - bar.last_draw >= REDRAW_EVERY_S || bar.done >= bar.total)
			draw(t);
	}
	pthread_mutex_unlock(&bar.lock);
}

void pv_progress_clear(void)
{
	pthread_mutex_lock(&bar.lock);
	erase();
	pthread_mutex_unlock(&bar.lock);
}

void pv_progress_done(void)
{
	pthread_mutex_lock(&bar.lock);
	erase();
	bar.active = 0;
	pthread_mutex_unlock(&bar.lock);
}
