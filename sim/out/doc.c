/* doc.c -- see doc.h. */
#include "out/doc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void doc_add(struct doc_list *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = xmalloc(n > 0 ? (size_t)n + 1 : 1);
    p[0] = '\0';
    if (n > 0) {
        va_start(ap, fmt);
        vsnprintf(p, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    xgrow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v);
    l->v[l->n++] = p;
}

static void list_fini(struct doc_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

size_t doc_table_ncols(const struct doc_table *t)
{
    return t->head.n;
}

void doc_cell(struct doc_table *t, const char *text, const char *sub)
{
    doc_add(&t->text, "%s", text);
    doc_add(&t->sub, "%s", sub ? sub : "");
}

void doc_fini(struct doc *d)
{
    list_fini(&d->fact_k);
    list_fini(&d->fact_v);
    list_fini(&d->notes);
    list_fini(&d->findings);
    list_fini(&d->table.head);
    list_fini(&d->table.text);
    list_fini(&d->table.sub);
    list_fini(&d->charts);
    list_fini(&d->captions);
}

void doc_fact(struct doc *d, const char *k, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    doc_add(&d->fact_k, "%s", k);
    doc_add(&d->fact_v, "%s", buf);
}
