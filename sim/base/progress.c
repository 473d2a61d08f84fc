/* progress.c -- see progress.h. */
#include "base/progress.h"

#include <time.h>

double progress_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void progress_init(struct progress *p, FILE *f, const char *unit, double delay_s)
{
    p->f = f;
    p->unit = unit;
    p->delay_s = delay_s;
    p->t0 = progress_now_s();
    p->last = -1.0;
    p->shown = 0;
}

static void fmt_clock(char *buf, size_t len, double s)
{
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, len, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, len, "%ld:%02ld", t / 60, t % 60);
}

void progress_draw(struct progress *p, int done, int total, int ran, int todo, int force)
{
    double now = progress_now_s(), elapsed = now - p->t0;
    if (elapsed < p->delay_s || (!force && p->last >= 0 && now - p->last < 0.1))
        return;
    enum { WIDTH = 30 };
    char bar[WIDTH + 1], el[32], eta[32];
    int fill = total > 0 ? (int)((long long)done * WIDTH / total) : WIDTH;
    for (int i = 0; i < WIDTH; i++)
        bar[i] = i < fill ? '=' : (i == fill ? '>' : ' ');
    bar[WIDTH] = '\0';
    fmt_clock(el, sizeof el, elapsed);
    if (ran > 0)
        fmt_clock(eta, sizeof eta, elapsed / ran * (todo - ran));
    else
        snprintf(eta, sizeof eta, "-:--");
    fprintf(p->f, "\r[%s] %d/%d %s, %s elapsed, ETA %s ", bar, done, total, p->unit, el, eta);
    fflush(p->f);
    p->last = now;
    p->shown = 1;
}

void progress_end(struct progress *p, int keep)
{
    if (!p->shown)
        return;
    if (keep)
        fputc('\n', p->f);
    else
        fprintf(p->f, "\r%*s\r", 100, "");
    fflush(p->f);
}
