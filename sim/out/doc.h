/* doc.h -- a report's content as plain text, before any format: the
 * title, facts about the scenario(s), findings, one table and the charts
 * (struct doc). The builders (report_run.c, report_compare.c,
 * report_sweep.c, report_plan.c, report_backtest.c) fill it from the data; only the writers (report_md.c,
 * report_html.c) know a format, so only they escape, and they escape
 * every string in here.
 *
 * Invariants: fact_k and fact_v have the same length, as do charts and
 * captions; table.text and table.sub each hold rows x doc_table_ncols
 * cells, row-major. */
#ifndef PROVSIM_DOC_H
#define PROVSIM_DOC_H

#include <stddef.h>

#include "base/util.h"

/* A list of strings, each owned. {0} is empty. */
struct doc_list {
    char **v;
    size_t n, cap;
};

/* Appends a formatted string to l. */
void doc_add(struct doc_list *l, const char *fmt, ...) X_PRINTF(2, 3);

/* A table of text cells, each with an optional second line (a CI). The
 * first textcols columns are text, the rest numbers (right-aligned). */
struct doc_table {
    struct doc_list head;
    struct doc_list text, sub; /* row-major, ncols per row; sub "" = none */
    int textcols;
};

/* The number of columns: the header's. */
size_t doc_table_ncols(const struct doc_table *t);
/* Appends the next cell (sub may be NULL: none). */
void doc_cell(struct doc_table *t, const char *text, const char *sub);

struct doc {
    const char *kind;       /* "run", "compare", "sweep", "plan", "backtest" */
    char title[1024];
    struct doc_list fact_k, fact_v; /* the scenario(s), as label: value */
    struct doc_list notes;  /* the scenario's own notes */
    char notes_head[512];   /* their heading; "" = "Notes from the scenario file" */
    struct doc_list findings;
    char table_title[128];
    char table_note[512];
    struct doc_table table;
    struct doc_list charts, captions; /* chart names (backlog, ...) and what each shows */
    char chart_note[1200];  /* why charts are missing, or "" */
};

/* Frees every list of d (which the caller holds, zeroed before use). */
void doc_fini(struct doc *d);
/* Appends the fact "k: value", value formatted. */
void doc_fact(struct doc *d, const char *k, const char *fmt, ...) X_PRINTF(3, 4);

#endif
