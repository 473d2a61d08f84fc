/* table.h -- a small CSV file read whole into memory: a header row, then
 * data rows of strings (RFC 4180: fields may be "quoted", with "" for a
 * quote). For the result files provsim reads back (sweep.csv, compare.csv);
 * the series files, which can be large, are streamed instead.
 *
 * Invariant: every row, the header included, has exactly ncols cells. */
#ifndef PROVSIM_TABLE_H
#define PROVSIM_TABLE_H

#include <stddef.h>

struct table {
    int ncols;
    size_t nrows;   /* data rows, not counting the header */
    char **cells;   /* (nrows + 1) x ncols, row 0 is the header; owned */
};

/* Reads path. Returns 0, or -1 with a message naming the file and line
 * (missing, empty, a row with the wrong number of fields, ...). Caller owns
 * *t (tbl_fini), also after a failure. */
int tbl_load(struct table *t, const char *path, char *err, size_t errlen);
void tbl_fini(struct table *t);

/* Column index of a header name, or -1. */
int tbl_col(const struct table *t, const char *name);
/* Cell of data row r (0 = first row after the header); "" when col < 0. */
const char *tbl_get(const struct table *t, size_t r, int col);
/* The cell as a number: NAN unless the whole cell is a finite number. */
double tbl_num(const struct table *t, size_t r, int col);

#endif
