/*
 * Small media files (thumbnails) kept in memory for a few seconds.
 *
 * A grid of 60 thumbnails, a participant's /mine page, twenty staff on the
 * same catalogue page: the same small files are asked for again and again
 * within seconds. Reading one from disk costs four system calls (open,
 * fstat, pread, close) and a copy, a third of what serving it costs; from
 * here it costs a lookup under a lock.
 *
 * Who may see a photo is never decided here: every handler asks the
 * catalogue first (the entry exists, it is this link's participant's), and
 * only then asks for the file. The cache only saves reading the bytes.
 *
 * An erased photo's bytes must not stay in memory: every file is read
 * again once it is PV_MEDIA_TTL_S old, the accept loop drops what is older at
 * each wake-up (pv_media_cache_sweep, at least twice a second), and an
 * erasure through serve empties the cache at once (pv_media_cache_clear;
 * a file opened before it and read after it is not kept). So an erasure
 * from the command line beside serve leaves the bytes at most PV_MEDIA_TTL_S
 * and half a second in serve's memory (or while a response still sends
 * them), and never serves them again: the entry is gone from the
 * catalogue.
 *
 * Entries are kept in the order they were read (oldest first), which is
 * also the order they expire in, so both the size cap and the expiry drop
 * from the old end. A response still sending an entry holds a reference;
 * the bytes are freed when the last one lets go.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "photovoice/util.h"
#include "web_internal.h"

#define MEDIA_BUCKETS 1024   /* a power of two */

struct pv_media {
	struct pv_media *next_in_bucket;
	struct pv_media *newer, *older;   /* in the order they were read */
	uint64_t key;
	char *path;
	unsigned char *bytes;
	size_t len;
	time_t read_at;   /* CLOCK_MONOTONIC_COARSE seconds */
	unsigned refs;    /* responses still sending it, plus 1 while cached */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned clears;   /* how many times it was emptied: see pv_media_read */
static struct pv_media *buckets[MEDIA_BUCKETS];
static struct pv_media *newest, *oldest;
static size_t cached_bytes;

static time_t now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return ts.tv_sec;
}

/* FNV-1a: the paths differ in their last hex digits. */
static uint64_t key_of(const char *path)
{
	uint64_t h = 1469598103934665603u;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		h = (h ^ *p) * 1099511628211u;
	return h;
}

static void release(struct pv_media *c)
{
	if (--c->refs)
		return;
	free(c->bytes);
	free(c->path);
	free(c);
}

/* Out of the table and the order; the bytes go once no response holds them. */
static void unlink_entry(struct pv_media *c)
{
	struct pv_media **p = &buckets[c->key & (MEDIA_BUCKETS - 1)];
	while (*p != c)
		p = &(*p)->next_in_bucket;
	*p = c->next_in_bucket;
	if (c->newer)
		c->newer->older = c->older;
	else
		newest = c->older;
	if (c->older)
		c->older->newer = c->newer;
	else
		oldest = c->newer;
	cached_bytes -= c->len;
	release(c);
}

static void drop_expired(time_t now)
{
	while (oldest && now - oldest->read_at >= PV_MEDIA_TTL_S)
		unlink_entry(oldest);
}

static struct pv_media *find(uint64_t key, const char *path)
{
	for (struct pv_media *c = buckets[key & (MEDIA_BUCKETS - 1)]; c; c = c->next_in_bucket)
		if (c->key == key && strcmp(c->path, path) == 0)
			return c;
	return NULL;
}

static void insert(struct pv_media *c)
{
	size_t b = c->key & (MEDIA_BUCKETS - 1);
	struct pv_media *old = find(c->key, c->path);
	if (old)
		unlink_entry(old);   /* two workers read the same file at once */
	while (oldest && cached_bytes + c->len > PV_MEDIA_CACHE_BYTES)
		unlink_entry(oldest);
	c->next_in_bucket = buckets[b];
	buckets[b] = c;
	c->older = newest;
	c->newer = NULL;
	if (newest)
		newest->newer = c;
	else
		oldest = c;
	newest = c;
	cached_bytes += c->len;
}

/* ---- what the handlers call (web_internal.h) ---- */

static time_t (*clock_s)(void) = now_s;

void pv_media_cache_test_clock(time_t (*clock)(void))
{
	clock_s = clock ? clock : now_s;
}

void pv_media_let_go(struct pv_media *m)
{
	pthread_mutex_lock(&lock);
	release(m);
	pthread_mutex_unlock(&lock);
}

const unsigned char *pv_media_bytes(const struct pv_media *m, size_t *len)
{
	const struct pv_media *c = m;
	*len = c->len;
	return c->bytes;
}

static void response_done(void *cls)
{
	pv_media_let_go(cls);
}

struct MHD_Response *pv_media_response(struct pv_media *m)
{
	struct pv_media *c = m;
	struct MHD_Response *resp = MHD_create_response_from_buffer_with_free_callback_cls(
		c->len, c->bytes, response_done, c);
	if (!resp)
		pv_media_let_go(m);
	return resp;
}

/* The whole file into memory, fd closed either way; NULL when it could
 * not be read whole. */
static struct pv_media *read_whole(int fd, const char *path, size_t size)
{
	struct pv_media *c = calloc(1, sizeof *c);
	unsigned char *bytes = malloc(size ? size : 1);
	size_t got = 0;
	while (c && bytes && got < size) {
		ssize_t n = pread(fd, bytes + got, size - got, (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (!c || !bytes || got < size) {
		free(bytes);
		free(c);
		return NULL;
	}
	c->bytes = bytes;
	c->len = size;
	c->path = pv_strdup(path);
	c->key = key_of(path);
	c->refs = 1;   /* the caller's; insert adds the cache's */
	return c;
}

struct pv_media *pv_media_find(const char *path)
{
	uint64_t key = key_of(path);
	pthread_mutex_lock(&lock);
	drop_expired(clock_s());
	struct pv_media *c = find(key, path);
	if (c)
		c->refs++;
	pthread_mutex_unlock(&lock);
	return c;
}

unsigned pv_media_cache_clears(void)
{
	pthread_mutex_lock(&lock);
	unsigned n = clears;
	pthread_mutex_unlock(&lock);
	return n;
}

/* An erasure may have emptied the cache between the caller's open and
 * now: what it read then is sent this once, but not kept. */
struct pv_media *pv_media_read(int fd, const char *path, size_t size, unsigned clears_before)
{
	struct pv_media *c = read_whole(fd, path, size);
	if (!c)
		return NULL;
	pthread_mutex_lock(&lock);
	c->read_at = clock_s();
	if (size <= PV_MEDIA_CACHED_MAX && clears == clears_before) {
		c->refs++;
		insert(c);
	}
	pthread_mutex_unlock(&lock);
	return c;
}

void pv_media_cache_sweep(void)
{
	pthread_mutex_lock(&lock);
	drop_expired(clock_s());
	pthread_mutex_unlock(&lock);
}

void pv_media_cache_clear(void)
{
	pthread_mutex_lock(&lock);
	clears++;
	while (oldest)
		unlink_entry(oldest);
	pthread_mutex_unlock(&lock);
}

size_t pv_media_cache_bytes(size_t *count)
{
	pthread_mutex_lock(&lock);
	size_t n = 0;
	for (struct pv_media *c = oldest; c; c = c->newer)
		n++;
	size_t bytes = cached_bytes;
	pthread_mutex_unlock(&lock);
	*count = n;
	return bytes;
}
