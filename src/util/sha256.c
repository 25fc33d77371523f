/*
 * SHA-256 of a buffer and of a file, through OpenSSL's libcrypto. In a file
 * of its own so that a program that hashes nothing (the light half of
 * photovoice, see src/cli/main.c) does not load libcrypto.
 */
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "photovoice/util.h"

/* 32 bytes as 64 lower-case hex digits and a NUL (no printf: serve hashes
 * a link's token on every request). */
static void to_hex(const unsigned char md[32], char out[PV_SHA256_HEX])
{
	static const char digits[] = "0123456789abcdef";
	for (unsigned i = 0; i < 32; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 15];
	}
	out[64] = '\0';
}

/* OpenSSL's SHA-256 uses the CPU's SHA instructions where there are some:
 * several times faster than a portable implementation on photos. */

/* Fetched once: EVP_sha256() makes OpenSSL 3 look the algorithm up again,
 * under a lock, on every digest, which serve's threads queued on (it hashes
 * a link's token on every request). Kept for the life of the process. */
static const EVP_MD *sha256_md;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;

static void fetch_sha256(void)
{
	sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (!sha256_md)
		sha256_md = EVP_sha256();
}

static const EVP_MD *sha256(void)
{
	pthread_once(&sha256_once, fetch_sha256);
	return sha256_md;
}

void pv_sha256_hex(const void *data, size_t len, char out[PV_SHA256_HEX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	if (EVP_Digest(data, len, md, &mdlen, sha256(), NULL) != 1 || mdlen != 32)
		abort();
	to_hex(md, out);
}

int pv_sha256_file(const char *path, char out[PV_SHA256_HEX], int64_t *size)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	EVP_MD_CTX *h = EVP_MD_CTX_new();
	if (!h || EVP_DigestInit_ex(h, sha256(), NULL) != 1)
		abort();
	uint8_t buf[1 << 16];
	ssize_t r;
	int64_t total = 0;
	while ((r = read(fd, buf, sizeof buf)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		EVP_DigestUpdate(h, buf, (size_t)r);
		total += r;
	}
	close(fd);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int ok = r == 0 && EVP_DigestFinal_ex(h, md, &mdlen) == 1 && mdlen == 32;
	EVP_MD_CTX_free(h);
	if (ok)
		to_hex(md, out);
	if (size)
		*size = total;
	return ok ? 0 : -1;
}
