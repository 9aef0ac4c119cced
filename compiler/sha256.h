/* sha256.h: SHA-256 (FIPS 180-4), for content hashes compose compares. */
#ifndef C2SH_SHA256_H
#define C2SH_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];			/* chaining state */
	uint64_t len;			/* bytes hashed so far */
	unsigned char block[64];	/* pending partial block */
	size_t fill;			/* bytes used in block */
};

/* start a new hash in caller storage */
void sha256_init(struct sha256 *);
/* hash n more bytes of data */
void sha256_update(struct sha256 *, const void *data, size_t n);
/* finish and write the 32-byte digest; the state must be re-initialized */
void sha256_final(struct sha256 *, unsigned char out[32]);
/* digest of data[0..n) as 64 lower-case hex digits and a NUL */
void sha256_hex(const void *data, size_t n, char out[65]);

#endif
