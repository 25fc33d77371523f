/* Stopping cleanly on Ctrl-C (SIGINT) or SIGTERM, for the commands that run
 * until stopped (watch, serve): the signal sets a flag and wakes a poll. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

volatile sig_atomic_t pv_cli_stop_requested;
static int stop_pipe[2] = { -1, -1 };

/* Only async-signal-safe work here: a flag, and a byte to wake the poll. */
static void on_stop_signal(int sig)
{
	(void)sig;
	int saved = errno;
	pv_cli_stop_requested = 1;
	if (write(stop_pipe[1], "x", 1) < 0) {
		/* the pipe is full: a wake-up is pending already */
	}
	errno = saved;
}

int pv_cli_catch_stop(void)
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

int pv_cli_stop_fd(void)
{
	return stop_pipe[0];
}

void pv_cli_release_stop(void)
{
	close(stop_pipe[0]);
	close(stop_pipe[1]);
	stop_pipe[0] = stop_pipe[1] = -1;
}
