/*
 * Slow clients. libmicrohttpd closes a connection that stays quiet for the
 * connection timeout, but not one that sends a byte now and then: such a
 * client (slow-loris) would hold its connection, and enough of them every
 * connection, for ever. So a request's headers must be complete within the
 * timeout of the moment the connection opened or its previous request
 * ended; the main thread sweeps every half second and shuts the socket of a
 * connection that is late, which libmicrohttpd then closes as any other.
 * The body has its own deadline (server.c).
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "web_internal.h"

struct tracked {
	struct tracked *prev, *next;
	int fd;
	double waiting_since;   /* for a request's headers; 0: in a request */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct tracked *head;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void opened(struct MHD_Connection *conn, void **socket_context)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	struct tracked *t = calloc(1, sizeof *t);
	if (!t || !ci)
		abort();
	t->fd = ci->connect_fd;
	t->waiting_since = now_s();
	pthread_mutex_lock(&lock);
	t->next = head;
	if (head)
		head->prev = t;
	head = t;
	pthread_mutex_unlock(&lock);
	*socket_context = t;
}

/* libmicrohttpd says a connection closed before it closes the socket: once
 * out of the list (under the lock), the sweep never touches its fd again. */
static void closed(void **socket_context)
{
	struct tracked *t = *socket_context;
	if (!t)
		return;
	pthread_mutex_lock(&lock);
	if (t->prev)
		t->prev->next = t->next;
	else
		head = t->next;
	if (t->next)
		t->next->prev = t->prev;
	pthread_mutex_unlock(&lock);
	free(t);
	*socket_context = NULL;
}

void pv_deadline_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
			enum MHD_ConnectionNotificationCode code)
{
	(void)cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED)
		opened(conn, socket_context);
	else if (code == MHD_CONNECTION_NOTIFY_CLOSED)
		closed(socket_context);
}

static void set_waiting(struct MHD_Connection *conn, double since)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct tracked *t = ci ? ci->socket_context : NULL;
	if (!t)
		return;
	pthread_mutex_lock(&lock);
	t->waiting_since = since;
	pthread_mutex_unlock(&lock);
}

void pv_deadline_headers_done(struct MHD_Connection *conn)
{
	set_waiting(conn, 0);
}

void pv_deadline_request_done(struct MHD_Connection *conn)
{
	set_waiting(conn, now_s());   /* the next request on it starts its wait */
}

void pv_deadline_sweep(unsigned timeout_s)
{
	double late = now_s() - timeout_s;
	pthread_mutex_lock(&lock);
	for (struct tracked *t = head; t; t = t->next) {
		if (t->waiting_since && t->waiting_since < late) {
			shutdown(t->fd, SHUT_RDWR);
			t->waiting_since = 0;   /* once */
		}
	}
	pthread_mutex_unlock(&lock);
}
