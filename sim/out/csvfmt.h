/* csvfmt.h -- CSV fields and numbers for the sweep and compare outputs.
 *
 * Numbers are printed in the shortest form that reads back as the same
 * double (%.15g if that round-trips, else %.17g), so a file is a pure
 * function of the values: the same results give the same bytes. A NaN or
 * infinity (a CI one replication cannot give) is an empty CSV cell, and
 * null in JSON; csvfmt_number spells them "nan", "inf", "-inf". */
#ifndef PROVSIM_CSVFMT_H
#define PROVSIM_CSVFMT_H

#include <stddef.h>
#include <stdio.h>

/* Formats v as described above into buf (len >= 32). */
void csvfmt_number(char *buf, size_t len, double v);
/* Writes v as a CSV number; nothing (an empty cell) if v is not finite. */
void csvfmt_num(FILE *f, double v);
/* The same digits as a JSON number for cJSON (a raw item; cJSON's own
 * printing may drop the last bit), or null if v is not finite. Caller
 * owns the item (normally by adding it to an object). */
struct cJSON;
struct cJSON *csvfmt_json_number(double v);
/* Writes s as a CSV field, quoted (RFC 4180) if it holds a comma, quote,
 * CR or LF, or starts or ends with a space. */
void csvfmt_field(FILE *f, const char *s);

#endif
