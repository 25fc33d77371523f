/*
 * photovoice watch: the drop folder watched with inotify, and an ingest run
 * whenever complete files have arrived.
 *
 * - Every folder in the drop folder is watched (new ones as they appear),
 *   never through a symbolic link, never a hidden one (.quarantine, the
 *   temporary names copy tools use) and no deeper than ingest looks.
 * - A file counts once it is complete: closed after writing, or renamed into
 *   place. A run starts a grace period after the last arrival (so a caption
 *   file copied just after its photo travels with it), but no later than ten
 *   grace periods after the first one, so a steady stream still gets taken.
 *   A photo with its caption file beside it awaits nothing: its run comes
 *   PAIR_DELAY_S later and no later arrival pushes it back; a photo still
 *   inside its grace when that run looks is left for the run after it.
 * - The run itself is the normal ingest over the whole drop folder, which
 *   leaves files still being written for the next run (tried again after
 *   RETRY_FIRST_S, doubling up to RETRY_MAX_S, and at every arrival). A caption file that
 *   waits for its photo is left for CAPTION_WAIT_GRACES grace periods; a run
 *   after that sets it aside if no photo came.
 * - The archive's write lock is held only during a run, so that `tag` and
 *   the other commands can work in between. When it is taken, the run waits,
 *   trying again every second, and a stop request still works.
 */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "photovoice/i18n.h"
#include "pipeline.h"
#include "photovoice/store.h"
#include "photovoice/util.h"

/* As deep as the scan looks (scan.c MAX_DEPTH): folders below it are never
 * ingested, so they need no watch. */
#define WATCH_MAX_DEPTH 8
#define MAX_DELAY_GRACES 10      /* a run starts at most this many graces after the first arrival */
#define CAPTION_WAIT_GRACES 20   /* a caption file waits this many graces for its photo */
#define LOCK_RETRY_S 1.0
#define PAIR_DELAY_S 0.3         /* a photo with its caption file: run this soon */
#define RETRY_FIRST_S 2.0        /* after a run that left files: again after this, */
#define RETRY_MAX_S 300.0        /* doubling up to this */

#define WATCH_MASK (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | \
		    IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW)

struct watched_dir {
	int wd;
	int depth;
	char *path;
};

struct watch {
	const struct pv_watch_opts *o;
	const char *drop_dir;
	int fd;                       /* inotify */
	struct watched_dir *dirs;
	size_t ndirs, cap;
	int gone;                     /* the drop folder itself went away */
	int full_said;                /* told once that the watch limit was reached */
	double first_arrival;         /* of those waiting for grace_due */
	double grace_due;             /* a grace after the last arrival */
	double pair_due;              /* a photo with its caption: never pushed back */
	double sweep_due, retry_due, retry_wait;
	int after_run;                /* reading what arrived while a run worked */
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int is_hidden(const char *name)
{
	return name[0] == '.';
}

/* ---- the folders watched -------------------------------------------------- */

static struct watched_dir *find_wd(struct watch *w, int wd)
{
	for (size_t i = 0; i < w->ndirs; i++)
		if (w->dirs[i].wd == wd)
			return &w->dirs[i];
	return NULL;
}

static void forget_wd(struct watch *w, int wd)
{
	struct watched_dir *d = find_wd(w, wd);
	if (!d)
		return;
	if (d->depth == 0)
		w->gone = 1;
	free(d->path);
	*d = w->dirs[--w->ndirs];
}

static void remember(struct watch *w, int wd, const char *path, int depth)
{
	struct watched_dir *d = find_wd(w, wd);
	if (d) {   /* the same folder again (moved inside the drop folder) */
		free(d->path);
		d->path = pv_strdup(path);
		d->depth = depth;
		return;
	}
	if (w->ndirs == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 16;
		w->dirs = realloc(w->dirs, w->cap * sizeof *w->dirs);
		if (!w->dirs)
			abort();
	}
	w->dirs[w->ndirs++] = (struct watched_dir){ .wd = wd, .depth = depth,
						    .path = pv_strdup(path) };
}

static void say_full(struct watch *w)
{
	if (w->full_said)
		return;
	w->full_said = 1;
	fprintf(stderr, _("photovoice: there are too many folders in the drop folder to watch "
		"them all (the system's inotify limit); photos in some subfolders are only "
		"taken when something arrives elsewhere.\n"));
}

static void watch_children(struct watch *w, const char *path, int depth);

/* Watches path and every folder below it (depth counted from the drop
 * folder, which the user named: only below it are links never followed). */
static int watch_tree(struct watch *w, const char *path, int depth)
{
	uint32_t mask = depth ? WATCH_MASK : (WATCH_MASK & ~(uint32_t)IN_DONT_FOLLOW);
	int wd = inotify_add_watch(w->fd, path, mask);
	if (wd < 0) {
		int why = errno;
		if (why == ENOSPC)
			say_full(w);
		errno = why;
		return -1;   /* gone already, or a link */
	}
	remember(w, wd, path, depth);
	if (depth < WATCH_MAX_DEPTH)
		watch_children(w, path, depth);
	return 0;
}

static void watch_children(struct watch *w, const char *path, int depth)
{
	DIR *dir = opendir(path);
	if (!dir)
		return;
	struct dirent *e;
	while ((e = readdir(dir))) {
		if (is_hidden(e->d_name))
			continue;
		char *child = pv_path_join(path, e->d_name);
		struct stat st;
		if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode))
			watch_tree(w, child, depth + 1);
		free(child);
	}
	closedir(dir);
}

/* A folder moved out of the drop folder (or elsewhere in it, where it is
 * watched anew): its watches and those below it go; the kernel confirms each
 * with IN_IGNORED, which forgets it. */
static void unwatch_tree(struct watch *w, const char *path)
{
	size_t n = strlen(path);
	for (size_t i = 0; i < w->ndirs; i++) {
		const char *p = w->dirs[i].path;
		if (strncmp(p, path, n) == 0 && (p[n] == '\0' || p[n] == '/'))
			inotify_rm_watch(w->fd, w->dirs[i].wd);
	}
}

/* ---- when to run ------------------------------------------------------------ */

/* A photo and its caption file are both there (as the phone page of serve
 * writes them, the caption file first): nothing more is awaited, so a run
 * comes within a moment (pair_due). Later arrivals never push it back: a
 * stream of sendings is taken while it still comes, in batches, instead of
 * after its last one. Other photos that are too new wait in the drop folder
 * (photo_wait_s) for a run after their own grace (grace_due). */
static void pair_arrival(struct watch *w)
{
	/* one that came while a run worked has waited already: the next run
	 * starts at once (a stream of sendings was taken in batches with a
	 * pause after each) */
	double due = now_s() + (w->after_run ? 0 : PAIR_DELAY_S);
	if (!w->pair_due || due < w->pair_due)
		w->pair_due = due;
	w->retry_wait = 0;
}

/* Anything else complete: a run a grace period after the last arrival (a
 * caption file copied just after its photo travels with it), but no later
 * than MAX_DELAY_GRACES after the first. */
static void arrival(struct watch *w, int is_caption)
{
	double t = now_s(), grace = w->o->grace_s;
	if (!w->first_arrival)
		w->first_arrival = t;
	w->grace_due = t + grace;
	if (w->grace_due > w->first_arrival + MAX_DELAY_GRACES * grace)
		w->grace_due = w->first_arrival + MAX_DELAY_GRACES * grace;
	if (is_caption)   /* if its photo never comes, a later run sets it aside */
		w->sweep_due = t + CAPTION_WAIT_GRACES * grace + 1.0;
	w->retry_wait = 0;
}

static void take_event(struct watch *w, const struct inotify_event *ev)
{
	if (ev->mask & IN_Q_OVERFLOW) {   /* events were lost: look at everything */
		watch_tree(w, w->drop_dir, 0);
		arrival(w, 1);
		return;
	}
	if (ev->mask & IN_IGNORED) {
		forget_wd(w, ev->wd);
		return;
	}
	struct watched_dir *d = find_wd(w, ev->wd);
	if (!d)
		return;
	if ((ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) && d->depth == 0) {
		w->gone = 1;
		return;
	}
	if (!ev->len || is_hidden(ev->name))
		return;
	if ((ev->mask & IN_ISDIR) && (ev->mask & IN_MOVED_FROM)) {
		char *child = pv_path_join(d->path, ev->name);
		unwatch_tree(w, child);
		free(child);
	} else if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO))) {
		if (d->depth < WATCH_MAX_DEPTH) {
			char *child = pv_path_join(d->path, ev->name);
			watch_tree(w, child, d->depth + 1);
			free(child);
		}
		arrival(w, 1);   /* it may hold complete files already */
	} else if (!(ev->mask & IN_ISDIR) && (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO))) {
		int caption = pv_drop_is_sidecar_name(ev->name);
		if (!caption && pv_drop_caption_beside(d->path, ev->name))
			pair_arrival(w);
		else
			arrival(w, caption);
	}
}

static void read_events(struct watch *w)
{
	char buf[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));
	for (;;) {
		ssize_t n = read(w->fd, buf, sizeof buf);
		if (n <= 0)
			return;   /* EAGAIN: all read */
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			take_event(w, ev);
			p += sizeof *ev + ev->len;
		}
	}
}

/* ---- a run ------------------------------------------------------------------ */

static int stopping(const struct watch *w)
{
	return w->o->stop && *w->o->stop;
}

/* Waits up to `seconds` for inotify events or the stop request. */
static void wait_for(struct watch *w, double seconds)
{
	struct pollfd fds[2] = { { .fd = w->fd, .events = POLLIN },
				 { .fd = w->o->stop_fd, .events = POLLIN } };
	int ms = seconds < 0 ? -1 : seconds > 3600 ? 3600 * 1000
		 : (int)(seconds * 1000 + 0.999);
	if (poll(fds, w->o->stop_fd >= 0 ? 2 : 1, ms) > 0 && (fds[0].revents & POLLIN))
		read_events(w);
}

/* The archive with its write lock, waiting while another command holds it;
 * NULL when stopped while waiting, or when the archive cannot be used. */
static struct pv_archive *lock_archive(struct watch *w, struct pv_err *err)
{
	int said = 0;
	while (!stopping(w)) {
		struct pv_archive *a = pv_archive_open(w->o->archive_dir, PV_OPEN_WRITE_NOWAIT,
						       err);
		if (a)
			return a;
		struct pv_archive *readable = pv_archive_open(w->o->archive_dir, PV_OPEN_READ,
							      err);
		if (!readable)
			return NULL;   /* missing or damaged, not merely busy */
		pv_archive_close(readable);
		if (!said++)
			fputs(_("Waiting for another photovoice command to finish with the "
				"archive...\n"), stdout);
		wait_for(w, LOCK_RETRY_S);
	}
	pv_err_clear(err);
	return NULL;
}

static void log_round(const struct pv_ingest_summary *s)
{
	if (!s->ingested && !s->duplicates && !s->quarantined && !s->left && !s->recovered)
		return;
	char when[16];
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(when, sizeof when, "%H:%M:%S", &tm);
	printf(_("%s  %u taken, %u already in the archive, %u set aside, %u left for later\n"),
	       when, s->ingested + s->recovered, s->duplicates, s->quarantined, s->left);
}

static void schedule_retry(struct watch *w)
{
	w->retry_wait = w->retry_wait ? w->retry_wait * 2 : RETRY_FIRST_S;
	if (w->retry_wait > RETRY_MAX_S)
		w->retry_wait = RETRY_MAX_S;
	w->retry_due = now_s() + w->retry_wait;
}

/* Whether the drop folder itself is no longer there (removed, or moved
 * away and nothing put in its place). A drop folder named through a link
 * is followed, as everywhere (the user named it); a dangling link is gone. */
static int drop_is_gone(const struct watch *w)
{
	struct stat st;
	return stat(w->drop_dir, &st) != 0 ? errno == ENOENT || errno == ENOTDIR
					   : !S_ISDIR(st.st_mode);
}

/* One ingest over the whole drop folder. -1 when the archive cannot be used;
 * a drop folder removed before or during the run ends the watch as one
 * removed while waiting does (w->gone), whichever noticed it first. */
static int run_once(struct watch *w, struct pv_err *err)
{
	double looked = now_s();   /* the run reads the drop folder after this */
	struct pv_archive *a = lock_archive(w, err);
	if (!a)
		return err->msg[0] ? -1 : 0;
	struct pv_ingest_opts io = {
		.drop_dir = w->drop_dir, .quiet = w->o->quiet, .stop = w->o->stop,
		.caption_wait_s = CAPTION_WAIT_GRACES * w->o->grace_s,
		.photo_wait_s = w->o->grace_s,
	};
	struct pv_ingest_summary sum;
	int r = pv_ingest_run(a, &io, &sum, err);
	pv_archive_close(a);   /* the lock goes with it */
	if (r < 0 && drop_is_gone(w)) {
		w->gone = 1;
		return 0;
	}
	if (r < 0)
		return -1;
	log_round(&sum);
	fflush(stdout);
	/* Every arrival read so far came before this run looked; what arrived
	 * while it worked is read next and gets a run of its own. A photo
	 * whose grace is not over yet was left waiting by this run (a pair's
	 * run came first): its own run stays due. */
	w->pair_due = 0;
	if (w->grace_due && w->grace_due <= looked)
		w->first_arrival = w->grace_due = 0;
	if (w->sweep_due && w->sweep_due <= now_s())
		w->sweep_due = 0;
	w->retry_due = 0;
	if (sum.left)
		schedule_retry(w);   /* still being written, or could not be stored now */
	w->after_run = 1;
	read_events(w);
	w->after_run = 0;
	return 0;
}

/* The earliest of the times a run is due (0: none). */
static double next_due(const struct watch *w)
{
	double due[] = { w->grace_due, w->pair_due, w->sweep_due, w->retry_due }, next = 0;
	for (size_t i = 0; i < sizeof due / sizeof *due; i++)
		if (due[i] && (!next || due[i] < next))
			next = due[i];
	return next;
}

static int watch_loop(struct watch *w, struct pv_err *err)
{
	/* said once every folder is watched: nothing complete from now on is missed */
	printf(_("Watching %s for new photos; stop with Ctrl-C.\n"), w->drop_dir);
	fflush(stdout);
	if (run_once(w, err) != 0)
		return -1;
	while (!stopping(w) && !w->gone) {
		double due = next_due(w), t = now_s();
		if (due && due <= t) {
			if (run_once(w, err) != 0)
				return -1;
			continue;
		}
		wait_for(w, due ? due - t : -1);
	}
	if (w->gone && !stopping(w)) {
		pv_fail(err, PV_ERR_ARCHIVE, "The drop folder %s was removed or moved away, so there "
			   "is nothing left to watch.", w->drop_dir);
		return -1;
	}
	return 0;
}

/* ---- after a stop --------------------------------------------------------- */

static void name_waiting(const char *rel, const char *reason)
{
	char *shown = pv_shown_name(rel);
	fprintf(stderr, "photovoice: %s: %s\n", shown, reason);
	free(shown);
}

/* What is still in the drop folder once stopped, looked at afresh (what
 * arrived after the last run counts too): each file named, the count. */
static unsigned say_waiting(const struct watch *w)
{
	const char *waits = _("It was not taken before watch stopped; it waits "
					 "in the drop folder for the next run.");
	struct drop_scan s;
	struct pv_err err = {0};
	if (pv_drop_scan(w->drop_dir, &s, &err) != 0)
		return 0;
	unsigned n = 0;
	for (size_t i = 0; i < s.nleftovers; i++) {
		name_waiting(s.leftovers[i].rel, s.leftovers[i].reason);
		n += s.leftovers[i].files;
	}
	for (size_t i = 0; i < s.nphotos; i++)
		name_waiting(s.photos[i].rel, waits);
	for (size_t i = 0; i < s.nsidecars; i++)
		name_waiting(s.sidecars[i].rel, waits);
	n += (unsigned)(s.nphotos + s.nsidecars);
	pv_drop_scan_free(&s);
	return n;
}

static char *default_drop(const char *archive_dir, struct pv_err *err)
{
	struct pv_archive *a = pv_archive_open(archive_dir, PV_OPEN_READ, err);
	if (!a)
		return NULL;
	char *drop = pv_strdup(pv_archive_drop_dir(a));
	pv_archive_close(a);
	return drop;
}

int pv_watch_run(const struct pv_watch_opts *o, struct pv_err *err)
{
	char *drop = o->drop_dir ? pv_strdup(o->drop_dir) : default_drop(o->archive_dir, err);
	if (!drop)
		return -1;
	struct watch w = { .o = o, .drop_dir = drop };
	w.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	int r = -1;
	if (w.fd < 0) {
		pv_fail(err, PV_ERR_ARCHIVE, "The drop folder cannot be watched on this system (%s).",
			   strerror(errno));
	} else {
		if (watch_tree(&w, drop, 0) != 0)
			pv_fail(err, PV_ERR_ARCHIVE, "The drop folder %s cannot be watched (%s).", drop,
				   strerror(errno));
		else
			r = watch_loop(&w, err);
		close(w.fd);
		if (r == 0 && o->waiting_at_stop)
			*o->waiting_at_stop = say_waiting(&w);
	}
	for (size_t i = 0; i < w.ndirs; i++)
		free(w.dirs[i].path);
	free(w.dirs);
	free(drop);
	return r;
}
