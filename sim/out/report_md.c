/* report_md.c -- a report (struct doc) as Markdown: DIR/report.md. */
#include "out/report_parts.h"

#include "out/resultdir.h"

#include <stdio.h>
#include <string.h>

/* Text from the data, as Markdown that renders as that text: punctuation
 * Markdown or inline HTML could act on gets a backslash; line breaks
 * (which would end a list item or a table row) become spaces. */
static void md_esc(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            fputc(' ', f);
        else if (strchr("\\`*_{}[]<>|~&#!", *p))
            fprintf(f, "\\%c", *p);
        else
            fputc(*p, f);
    }
}

/* The table, with its title and note; nothing when it is empty. */
static void md_table(FILE *f, const struct doc *d)
{
    const struct doc_table *t = &d->table;
    size_t nc = doc_table_ncols(t);
    if (!nc || !t->text.n)
        return;
    fprintf(f, "\n## %s\n\n", d->table_title);
    fputs("|", f);
    for (size_t c = 0; c < nc; c++) {
        fputs(" ", f);
        md_esc(f, t->head.v[c]);
        fputs(" |", f);
    }
    fputs("\n|", f);
    for (size_t c = 0; c < nc; c++)
        fputs((int)c < t->textcols ? " --- |" : " ---: |", f);
    fputs("\n", f);
    for (size_t k = 0; k < t->text.n; k += nc) {
        fputs("|", f);
        for (size_t c = 0; c < nc; c++) {
            fputs(" ", f);
            md_esc(f, t->text.v[k + c]);
            if (*t->sub.v[k + c]) {
                fputs(" (", f);
                md_esc(f, t->sub.v[k + c]);
                fputs(")", f);
            }
            fputs(" |", f);
        }
        fputs("\n", f);
    }
    fputs("\n", f);
    md_esc(f, d->table_note);
    fputs("\n", f);
}

void report_write_md(FILE *f, const struct doc *d)
{
    fputs("# ", f);
    md_esc(f, d->title);
    fprintf(f, "\n\n*provsim %s report*\n\n## Scenario\n\n", d->kind);
    for (size_t i = 0; i < d->fact_k.n; i++) {
        fputs("- **", f);
        md_esc(f, d->fact_k.v[i]);
        fputs(":** ", f);
        md_esc(f, d->fact_v.v[i]);
        fputs("\n", f);
    }
    fputs("\n## Findings\n\n", f);
    if (!d->findings.n)
        fputs("- (none)\n", f);
    for (size_t i = 0; i < d->findings.n; i++) {
        fputs("- ", f);
        md_esc(f, d->findings.v[i]);
        fputs("\n", f);
    }
    md_table(f, d);
    if (d->charts.n || *d->chart_note) {
        fputs("\n## Charts\n\n", f);
        if (*d->chart_note) {
            md_esc(f, d->chart_note);
            fputs("\n\n", f);
        }
        for (size_t i = 0; i < d->charts.n; i++) {
            /* chart names are provsim's own: backlog, rates, ... */
            fprintf(f, "![%s](%s." RESDIR_PNG ")\n\n", d->charts.v[i], d->charts.v[i]);
            md_esc(f, d->captions.v[i]);
            fputs(" SVG: ", f);
            fprintf(f, "[%s." RESDIR_SVG "](%s." RESDIR_SVG ")\n\n", d->charts.v[i],
                    d->charts.v[i]);
        }
    }
    if (d->notes.n) {
        fputs("\n## ", f);
        md_esc(f, *d->notes_head ? d->notes_head : "Notes from the scenario file");
        fputs("\n\n", f);
        for (size_t i = 0; i < d->notes.n; i++) {
            fputs("- ", f);
            md_esc(f, d->notes.v[i]);
            fputs("\n", f);
        }
    }
    fprintf(f, "\n---\nWritten by provsim %s from the data in this directory.\n",
            PROVSIM_VERSION);
}
