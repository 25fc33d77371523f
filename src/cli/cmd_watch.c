/* photovoice watch: ingest as files arrive in the drop folder, until stopped
 * with Ctrl-C (SIGINT) or SIGTERM. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "photovoice/ingest.h"

#define DEFAULT_GRACE_S 3.0

static volatile sig_atomic_t stop_requested;
static int stop_pipe[2] = { -1, -1 };

/* Only async-signal-safe work here: a flag, and a byte to wake the poll. */
static void on_stop_signal(int sig)
{
	(void)sig;
	int saved = errno;
	stop_requested = 1;
	if (write(stop_pipe[1], "x", 1) < 0) {
		/* the pipe is full: a wake-up is pending already */
	}
	errno = saved;
}

static int catch_stop_signals(void)
{
	if (pipe2(stop_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
		return -1;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;   /* file and database calls carry on; poll wakes */
	return sigaction(SIGINT, &sa, NULL) == 0 && sigaction(SIGTERM, &sa, NULL) == 0 ? 0 : -1;
}

static int parse_grace(const char *s, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || v < 0 || v > 3600)
		return -1;
	*out = v;
	return 0;
}

int cmd_watch(struct pv_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "drop", required_argument, NULL, 'd' },
		{ "grace", required_argument, NULL, 'g' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned waiting = 0;
	struct pv_watch_opts o = { .archive_dir = cli->archive_dir, .grace_s = DEFAULT_GRACE_S,
				   .stop = &stop_requested, .waiting_at_stop = &waiting };
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': o.drop_dir = optarg; break;
		case 'g':
			if (parse_grace(optarg, &o.grace_s) != 0)
				return pv_cli_usage_error("watch", "--grace takes a number of seconds "
							  "from 0 to 3600, such as 3 or 0.5.");
			break;
		case 'q': o.quiet = 1; break;
		default: return pv_cli_usage_error("watch", "That option is not one watch knows.");
		}
	}
	if (optind < argc)
		return pv_cli_usage_error("watch", "watch takes no file names; it watches the drop folder.");
	struct stat st;
	if (o.drop_dir && (stat(o.drop_dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
		pv_cli_error("The drop folder %s does not exist.", o.drop_dir);
		return PV_EXIT_USAGE;
	}
	if (catch_stop_signals() != 0) {
		pv_cli_error("watch could not prepare to be stopped cleanly (%s).", strerror(errno));
		return PV_EXIT_ARCHIVE;
	}
	o.stop_fd = stop_pipe[0];
	setvbuf(stdout, NULL, _IOLBF, 0);   /* a log: each line as it happens */
	char err[1024];
	int r = pv_watch_run(&o, err, sizeof err);
	close(stop_pipe[0]);
	close(stop_pipe[1]);
	if (r != 0) {
		pv_cli_error("%s", err);
		return PV_EXIT_ARCHIVE;
	}
	if (!waiting) {
		printf("Stopped watching; nothing is waiting in the drop folder.\n");
		return PV_EXIT_OK;
	}
	printf("Stopped watching; %u file%s %s still in the drop folder, each named on "
	       "stderr.\n", waiting, waiting == 1 ? "" : "s", waiting == 1 ? "is" : "are");
	return PV_EXIT_REJECTED;
}
