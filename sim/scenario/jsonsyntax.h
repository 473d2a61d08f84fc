/* jsonsyntax.h -- where a JSON text goes wrong, said precisely.
 *
 * cJSON builds the tree, but when it fails it reports a position that is
 * often one character off (a missing key quote is reported after the
 * character, an unfinished text at its last byte) and no reason. This
 * module re-reads the text with the grammar cJSON accepts, minus the holes
 * a strict loader must not have (raw control characters, \u0000 and
 * malformed \u escapes inside strings, which cJSON lets through or turns
 * into silently truncated keys), and names the first error: its byte
 * offset and what was expected there. */
#ifndef PROVSIM_JSONSYNTAX_H
#define PROVSIM_JSONSYNTAX_H

#include <stddef.h>

/* Scans text (len bytes, no BOM) for its first syntax error: returns 0 if
 * it is well-formed JSON, else -1 with *offset the byte offset of the
 * error and a message in msg such as
 * "expected ',' or '}' after a value, got '\"'". */
int jsyn_scan(const char *text, size_t len, size_t *offset, char *msg, size_t msglen);

/* 1-based line and column of byte offset off; columns count characters
 * (UTF-8 continuation bytes do not start one), as editors show them. */
void jsyn_line_col(const char *text, size_t off, int *line, int *col);

/* cJSON's nesting limit, which jsyn_scan shares. */
#define JSYN_MAX_DEPTH 1000

#endif
