/* test_sha256.c: FIPS 180-4 vectors and a compose config hash. */
#include <criterion/criterion.h>

#include <string.h>

#include "sha256.h"

static const char *
hex(const char *s)
{
	static char out[65];

	sha256_hex(s, strlen(s), out);
	return out;
}

Test(sha256, empty_message)
{
	cr_assert_str_eq(hex(""), "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
}

Test(sha256, abc)
{
	cr_assert_str_eq(hex("abc"), "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
}

Test(sha256, two_block_message)
{
	cr_assert_str_eq(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmno"
	    "mnopnopq"), "248d6a61d20638b8e5c026930c3e6039"
	    "a33ce45964ff2167f6ecedd419db06c1");
}

Test(sha256, million_a_in_uneven_pieces)
{
	struct sha256 s;
	unsigned char d[32], a[1000];
	size_t done = 0, n = 1;

	memset(a, 'a', sizeof(a));
	sha256_init(&s);
	while (done < 1000000) {
		if (n > 1000000 - done)
			n = 1000000 - done;
		sha256_update(&s, a, n);
		done += n;
		n = n % 977 + 13;	/* 13..989 bytes */
	}
	sha256_final(&s, d);
	cr_assert_eq(d[0], 0xcd);
	cr_assert_eq(d[1], 0xc7);
	cr_assert_eq(d[31], 0xd0);
}

Test(sha256, compose_service_config_hash)
{
	cr_assert_str_eq(hex("{\"command\":[\"true\"],\"entrypoint\":null,"
	    "\"image\":\"localbb\",\"networks\":{\"default\":null}}"),
	    "4dd35aa042d3f139f1fe39c7cb5f36a7a5aef8e1d9f4a5f91a14eb526a99e33d");
}
