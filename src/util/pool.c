/*
 * A small worker pool for batches: items 0..n-1 are worked on by up to
 * `threads` threads at once, and finished in order on the calling thread, so
 * that output stays in the order the user gave while the work runs in
 * parallel. Memory stays bounded: workers run at most 4 x `threads` items
 * ahead of the one being finished (enough that one slow item does not stall
 * the others).
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "photovoice/util.h"

struct pool {
	size_t n, next, finished;
	unsigned char *done;
	void (*work)(size_t, void *);
	void *ctx;
	size_t window;
	pthread_mutex_t lock;
	pthread_cond_t changed;
};

/* Claims the next item, waiting while the window ahead of the finisher is
 * full; returns n when there is nothing left. */
static size_t claim(struct pool *p)
{
	pthread_mutex_lock(&p->lock);
	while (p->next < p->n && p->next >= p->finished + p->window)
		pthread_cond_wait(&p->changed, &p->lock);
	size_t i = p->next < p->n ? p->next++ : p->n;
	pthread_mutex_unlock(&p->lock);
	return i;
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	for (size_t i = claim(p); i < p->n; i = claim(p)) {
		p->work(i, p->ctx);
		pthread_mutex_lock(&p->lock);
		p->done[i] = 1;
		pthread_cond_broadcast(&p->changed);
		pthread_mutex_unlock(&p->lock);
	}
	return NULL;
}

static void finish_in_order(struct pool *p, void (*finish)(size_t, void *))
{
	for (size_t i = 0; i < p->n; i++) {
		pthread_mutex_lock(&p->lock);
		while (!p->done[i])
			pthread_cond_wait(&p->changed, &p->lock);
		pthread_mutex_unlock(&p->lock);
		finish(i, p->ctx);
		pthread_mutex_lock(&p->lock);
		p->finished = i + 1;
		pthread_cond_broadcast(&p->changed);
		pthread_mutex_unlock(&p->lock);
	}
}

int pv_default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : (n > 64 ? 64 : (int)n);
}

void pv_pool_run(size_t n, int threads, void (*work)(size_t, void *),
		 void (*finish)(size_t, void *), void *ctx)
{
	if (threads < 1)
		threads = 1;
	if ((size_t)threads > n)
		threads = (int)(n ? n : 1);
	struct pool p = { .n = n, .work = work, .ctx = ctx, .window = 4 * (size_t)threads,
			  .done = calloc(n ? n : 1, 1) };
	if (!p.done)
		abort();
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.changed, NULL);
	pthread_t *tids = calloc((size_t)threads, sizeof *tids);
	int started = 0;
	for (int t = 0; t < threads; t++)
		if (pthread_create(&tids[t], NULL, worker, &p) == 0)
			started++;
		else
			break;
	if (started == 0) {
		/* no thread could start: do the work here, one item at a time */
		for (size_t i = 0; i < n; i++) {
			work(i, ctx);
			p.done[i] = 1;
		}
	}
	finish_in_order(&p, finish);
	for (int t = 0; t < started; t++)
		pthread_join(tids[t], NULL);
	pthread_cond_destroy(&p.changed);
	pthread_mutex_destroy(&p.lock);
	free(tids);
	free(p.done);
}
