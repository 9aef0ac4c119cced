/*
 * gojson.h: byte-exact renderings of Go's encoding/json strings and
 * numbers and of fmt's %v for floats, so hashes and dumps match compose.
 */
#ifndef C2SH_GOJSON_H
#define C2SH_GOJSON_H

#include <stddef.h>

struct buf;

/*
 * Append s[0..n) as a Go encoding/json string, quotes included: \" \\ \n
 * \r \t, other bytes below 0x20 as \u00xx, < > & as \u003c \u003e \u0026,
 * U+2028 and U+2029 escaped, each byte of invalid UTF-8 as \ufffd.
 */
void gojson_string(struct buf *, const char *s, size_t n);
/*
 * Append v as encoding/json renders a float32 (v is first rounded to
 * float) or a float64: the shortest digits that round-trip at that width,
 * plain decimal unless |v| < 1e-6 or |v| >= 1e21, then 1e-7 / 1e+21.
 * JSON has no NaN or infinity (Go fails); they are rendered as null.
 */
void gojson_float32(struct buf *, double v);
void gojson_float64(struct buf *, double v);
/*
 * Append v as Go's fmt.Sprint(float64) does: shortest %g with exponent
 * form when the exponent is < -4 or >= 6 ("1e+08", "1.5e-07", "2.5"),
 * "+Inf", "-Inf", "NaN".
 */
void gofmt_float(struct buf *, double v);
/*
 * The order in which Go's YAML encoder (yaml.v3, which compose's config
 * uses) writes a map's string keys: <0, 0 or >0 as strcmp.  Not bytewise:
 * runs of digits compare as numbers (a2 before a10), a non-letter before a
 * letter (a_1 and a10 before ab), except right after a digit (a1b before
 * a1_).
 */
int goyaml_keycmp(const char *a, const char *b);

#endif
