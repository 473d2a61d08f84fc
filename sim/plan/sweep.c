/* sweep.c -- see sweep.h.
 *
 * Threads: the main thread validates every cell, prepares the journal,
 * starts the workers and then only waits (drawing the progress bar). A
 * worker takes the next cell index under the mutex, builds the cell's own
 * scenario, runs it with no lock held, writes the cell's journal file and
 * then marks the cell done under the mutex. Cells share nothing but the
 * read-only base text and options, so results cannot depend on --jobs. */
#include "plan/sweep.h"

#include "out/csvfmt.h"
#include "base/file.h"
#include "base/outfile.h"
#include "out/summary.h"
#include "run/runner.h"
#include "scenario/scenario.h"
#include "base/units.h"
#include "run/memlimit.h"
#include "base/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#define MAX_SCENARIO_BYTES (16u << 20)

/* ---- VALUES ------------------------------------------------------------ */

static void free_values(char **v, int n)
{
    for (int i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* A plain decimal "[-]digits[.digits]": *mant = the digits as an integer,
 * *decimals = digits after the point. At most 17 digits, so any rescaling
 * below stays far from int64 overflow. Returns 0 or -1. */
static int parse_decimal(const char *s, size_t len, int64_t *mant, int *decimals, int *ndigits)
{
    size_t i = 0;
    int neg = 0, digits = 0, dec = -1;
    int64_t m = 0;
    if (i < len && s[i] == '-') {
        neg = 1;
        i++;
    }
    for (; i < len; i++) {
        if (s[i] == '.' && dec < 0) {
            dec = 0;
            continue;
        }
        if (s[i] < '0' || s[i] > '9')
            return -1;
        if (++digits > 17)
            return -1;
        m = m * 10 + (s[i] - '0');
        if (dec >= 0)
            dec++;
    }
    if (digits == 0 || dec == 0)
        return -1;
    *mant = neg ? -m : m;
    *decimals = dec < 0 ? 0 : dec;
    *ndigits = digits;
    return 0;
}

static int64_t pow10i(int e)
{
    int64_t p = 1;
    while (e-- > 0)
        p *= 10;
    return p;
}

static char *format_scaled(int64_t v, int decimals)
{
    char buf[64];
    if (decimals > 18) /* int64_t has 18 whole decimal digits */
        decimals = 18;
    int64_t p = pow10i(decimals);
    uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    if (decimals == 0)
        snprintf(buf, sizeof buf, "%s%llu", v < 0 ? "-" : "", (unsigned long long)a);
    else
        snprintf(buf, sizeof buf, "%s%llu.%0*llu", v < 0 ? "-" : "",
                 (unsigned long long)(a / (uint64_t)p), decimals,
                 (unsigned long long)(a % (uint64_t)p));
    return xstrdup(buf);
}

/* A duration in whole milliseconds, in the largest unit that divides it. */
static char *format_ms(int64_t ms)
{
    static const struct {
        int64_t ms;
        const char *suffix;
    } units[] = {{86400000, "d"}, {3600000, "h"}, {60000, "m"}, {1000, "s"}};
    char buf[48];
    if (ms == 0)
        return xstrdup("0s");
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (ms % units[i].ms == 0) {
            snprintf(buf, sizeof buf, "%lld%s", (long long)(ms / units[i].ms), units[i].suffix);
            return xstrdup(buf);
        }
    snprintf(buf, sizeof buf, "%lldms", (long long)ms);
    return xstrdup(buf);
}

static int range_count(int64_t lo, int64_t hi, int64_t step, const char *spec, int *n, char *err,
                       size_t errlen)
{
    if (step <= 0)
        return xerr(err, errlen, "range \"%s\": the step must be > 0", spec);
    if (lo > hi)
        return xerr(err, errlen, "range \"%s\": the first value is after the last", spec);
    int64_t k = (hi - lo) / step;
    if (k >= SWEEP_MAX_VALUES)
        return xerr(err, errlen, "range \"%s\": more than %d values", spec, SWEEP_MAX_VALUES);
    *n = (int)k + 1;
    return 0;
}

static int parse_range(const char *spec, const char *dots, char ***values, int *n, char *err,
                       size_t errlen)
{
    const char *lo = spec, *hi = dots + 2;
    const char *slash = strrchr(hi, '/');
    if (!slash || slash[1] == '\0' || dots == spec || slash == hi)
        return xerr(err, errlen, "range \"%s\": expected LO..HI/STEP, e.g. 100..1000/100", spec);
    size_t lolen = (size_t)(dots - lo), hilen = (size_t)(slash - hi);
    const char *step = slash + 1;
    char *los = xmalloc(lolen + 1), *his = xmalloc(hilen + 1);
    memcpy(los, lo, lolen);
    los[lolen] = '\0';
    memcpy(his, hi, hilen);
    his[hilen] = '\0';
    int rc = -1, count = 0;
    char **v = NULL;

    int64_t ml, mh, ms;
    int dl, dh, ds, nl, nh, ns;
    if (!parse_decimal(los, lolen, &ml, &dl, &nl) && !parse_decimal(his, hilen, &mh, &dh, &nh) &&
        !parse_decimal(step, strlen(step), &ms, &ds, &ns)) {
        /* numbers: rescale to a common number of decimals, step in integers */
        int d = dl > dh ? dl : dh;
        d = d > ds ? d : ds;
        if (nl - dl + d > 17 || nh - dh + d > 17 || ns - ds + d > 17) {
            xerr(err, errlen, "range \"%s\": too many digits", spec);
            goto out;
        }
        ml *= pow10i(d - dl);
        mh *= pow10i(d - dh);
        ms *= pow10i(d - ds);
        if (range_count(ml, mh, ms, spec, &count, err, errlen))
            goto out;
        v = xcalloc((size_t)count, sizeof *v);
        for (int i = 0; i < count; i++)
            v[i] = format_scaled(ml + (int64_t)i * ms, d);
    } else if (strchr(los, ':') && strchr(his, ':')) {
        double a, b, st;
        char msg[SCN_ERRLEN];
        if (units_parse_clock(los, &a, msg, sizeof msg) ||
            units_parse_clock(his, &b, msg, sizeof msg) ||
            units_parse_duration(step, &st, msg, sizeof msg)) {
            xerr(err, errlen, "range \"%s\": %s", spec, msg);
            goto out;
        }
        if (st > 0 && (st != floor(st) || fmod(st, 60.0) != 0.0 || st > 86400.0)) {
            xerr(err, errlen, "range \"%s\": a time-of-day step must be whole minutes", spec);
            goto out;
        }
        if (a > b) {
            xerr(err, errlen,
                 "range \"%s\": %s is after %s (time ranges do not wrap past "
                 "midnight; list the values instead)",
                 spec, los, his);
            goto out;
        }
        int64_t a_min = (int64_t)a / 60, b_min = (int64_t)b / 60, st_min = (int64_t)st / 60;
        if (range_count(a_min, b_min, st_min, spec, &count, err, errlen))
            goto out;
        v = xcalloc((size_t)count, sizeof *v);
        for (int i = 0; i < count; i++) {
            char buf[16];
            int64_t m = a_min + (int64_t)i * st_min;
            snprintf(buf, sizeof buf, "%02d:%02d", (int)(m / 60), (int)(m % 60));
            v[i] = xstrdup(buf);
        }
    } else {
        double a, b, st;
        char msg[SCN_ERRLEN];
        if (units_parse_duration(los, &a, msg, sizeof msg) ||
            units_parse_duration(his, &b, msg, sizeof msg) ||
            units_parse_duration(step, &st, msg, sizeof msg)) {
            xerr(err, errlen,
                 "range \"%s\" is not a range of numbers, times of day (HH:MM) or "
                 "durations: %s",
                 spec, msg);
            goto out;
        }
        /* whole milliseconds, so the steps are exact integers */
        double ams = a * 1000.0, bms = b * 1000.0, sms = st * 1000.0;
        if (fmax(ams, fmax(bms, sms)) > 9e15 || fabs(ams - round(ams)) > 1e-6 ||
            fabs(bms - round(bms)) > 1e-6 || fabs(sms - round(sms)) > 1e-6) {
            xerr(err, errlen, "range \"%s\": durations must be whole milliseconds", spec);
            goto out;
        }
        int64_t ai = (int64_t)llround(ams), bi = (int64_t)llround(bms), si = (int64_t)llround(sms);
        if (range_count(ai, bi, si, spec, &count, err, errlen))
            goto out;
        v = xcalloc((size_t)count, sizeof *v);
        for (int i = 0; i < count; i++)
            v[i] = format_ms(ai + (int64_t)i * si);
    }
    *values = v;
    *n = count;
    v = NULL;
    rc = 0;
out:
    free(los);
    free(his);
    if (v)
        free_values(v, count);
    return rc;
}

int sweep_values_parse(const char *spec, char ***values, int *n, char *err, size_t errlen)
{
    *values = NULL;
    *n = 0;
    if (!spec || !*spec)
        return xerr(err, errlen, "no values");
    const char *dots = strstr(spec, "..");
    if (dots)
        return parse_range(spec, dots, values, n, err, errlen);
    /* a list */
    int count = 1;
    for (const char *p = spec; *p; p++)
        count += *p == ',';
    if (count > SWEEP_MAX_VALUES)
        return xerr(err, errlen, "more than %d values", SWEEP_MAX_VALUES);
    char **v = xcalloc((size_t)count, sizeof *v);
    const char *p = spec;
    for (int i = 0; i < count; i++) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == 0) {
            free_values(v, count);
            return xerr(err, errlen, "\"%s\": value %d of the list is empty", spec, i + 1);
        }
        v[i] = xmalloc(len + 1);
        memcpy(v[i], p, len);
        v[i][len] = '\0';
        p = e ? e + 1 : p + len;
    }
    *values = v;
    *n = count;
    return 0;
}

int sweep_axis_parse(const char *arg, struct sweep_axis *ax, char *err, size_t errlen)
{
    memset(ax, 0, sizeof *ax);
    const char *eq = arg ? strchr(arg, '=') : NULL;
    if (!eq || eq == arg || eq[1] == '\0')
        return xerr(err, errlen,
                    "--vary \"%s\": expected PATH=VALUES, e.g. "
                    "workload.rollouts[0].batch_size=100..1000/100",
                    arg ? arg : "");
    char msg[SCN_ERRLEN];
    if (sweep_values_parse(eq + 1, &ax->values, &ax->nvalues, msg, sizeof msg))
        return xerr(err, errlen, "--vary %s: %s", arg, msg);
    size_t plen = (size_t)(eq - arg);
    ax->path = xmalloc(plen + 1);
    memcpy(ax->path, arg, plen);
    ax->path[plen] = '\0';
    ax->spec = xstrdup(eq + 1);
    return 0;
}

void sweep_axis_fini(struct sweep_axis *ax)
{
    free_values(ax->values, ax->nvalues);
    free(ax->path);
    free(ax->spec);
    memset(ax, 0, sizeof *ax);
}

void sweep_cell_index(const struct sweep_axis *axes, int naxes, int cell, int *idx)
{
    for (int a = naxes - 1; a >= 0; a--) {
        idx[a] = cell % axes[a].nvalues;
        cell /= axes[a].nvalues;
    }
}

/* ---- cells --------------------------------------------------------------- */

/* What every thread reads: set up before the workers start, then constant. */
struct ctx {
    const struct sweep_opts *o;
    struct sweep *sw;
    char *text; /* the base scenario file */
    size_t len;
    char *dir, *journal;
};

/* "PATH=VALUE, PATH=VALUE" of a cell, for messages and the summary. */
static void cell_label(const struct sweep_opts *o, int cell, char *buf, size_t len)
{
    int idx[64];
    sweep_cell_index(o->axes, o->naxes, cell, idx);
    size_t used = 0;
    buf[0] = '\0';
    for (int a = 0; a < o->naxes && used < len; a++) {
        int n = snprintf(buf + used, len - used, "%s%s=%s", a ? ", " : "", o->axes[a].path,
                         o->axes[a].values[idx[a]]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

/* cJSON's parser writes a global (its last error position) on every call,
 * even when the caller reads the position another way: parses in the
 * workers take this lock. */
static pthread_mutex_t parse_mu = PTHREAD_MUTEX_INITIALIZER;

/* Builds cell i's scenario from the base text. Returns 0, or -1 with a
 * message (without the cell's name). Thread-safe. */
static int build_cell(const struct ctx *c, int cell, struct scenario *s, char *err, size_t errlen)
{
    const struct sweep_opts *o = c->o;
    memset(s, 0, sizeof *s);
    /* the whole build: scn_doc_set parses values too (microseconds, next
     * to the seconds a cell runs) */
    pthread_mutex_lock(&parse_mu);
    scn_doc *d = scn_doc_parse(c->text, c->len, err, errlen);
    if (!d) {
        pthread_mutex_unlock(&parse_mu);
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < o->nsets && rc == 0; i++)
        rc = scn_doc_set(d, o->sets[i], err, errlen);
    int idx[64];
    sweep_cell_index(o->axes, o->naxes, cell, idx);
    for (int a = 0; a < o->naxes && rc == 0; a++) {
        const char *path = o->axes[a].path, *val = o->axes[a].values[idx[a]];
        size_t n = strlen(path) + strlen(val) + 2;
        char *assign = xmalloc(n);
        snprintf(assign, n, "%s=%s", path, val);
        rc = scn_doc_set(d, assign, err, errlen);
        free(assign);
    }
    if (rc == 0)
        rc = scn_from_doc(d, s, err, errlen);
    scn_doc_free(d);
    pthread_mutex_unlock(&parse_mu);
    return rc;
}

static void cell_run_opts(const struct sweep_opts *o, const struct scenario *s, struct run_opts *ro)
{
    memset(ro, 0, sizeof *ro);
    ro->reps = o->reps > 0 ? o->reps : s->replications;
    ro->seed = o->seed >= 0 ? (uint64_t)o->seed : s->seed;
    ro->precision = o->precision;
}

/* ---- JSON numbers that may be NaN ----------------------------------------
 * JSON has no NaN: the journal spells non-finite values as strings so that
 * a loaded cell is bit-for-bit the cell that was run. */

static cJSON *num_item(double v)
{
    if (isnan(v))
        return cJSON_CreateString("nan");
    if (isinf(v))
        return cJSON_CreateString(v > 0 ? "inf" : "-inf");
    return csvfmt_json_number(v); /* exact: a loaded cell is the cell run */
}

static int num_get(const cJSON *o, const char *key, double *v)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsNumber(it)) {
        *v = it->valuedouble;
        return 0;
    }
    if (cJSON_IsString(it)) {
        if (!strcmp(it->valuestring, "nan"))
            *v = NAN;
        else if (!strcmp(it->valuestring, "inf"))
            *v = INFINITY;
        else if (!strcmp(it->valuestring, "-inf"))
            *v = -INFINITY;
        else
            return -1;
        return 0;
    }
    return -1;
}

/* A value string as JSON: what scn_doc_set would make of it. */
static cJSON *value_item(const char *v)
{
    pthread_mutex_lock(&parse_mu);
    /* the whole value must be JSON: cJSON_Parse would read "06:00" as 6 */
    cJSON *j = cJSON_ParseWithOpts(v, NULL, 1);
    pthread_mutex_unlock(&parse_mu);
    return j ? j : cJSON_CreateString(v);
}

static cJSON *cell_values_json(const struct sweep_opts *o, int cell)
{
    int idx[64];
    sweep_cell_index(o->axes, o->naxes, cell, idx);
    cJSON *vals = cJSON_CreateObject();
    for (int a = 0; a < o->naxes; a++)
        cJSON_AddItemToObject(vals, o->axes[a].path, value_item(o->axes[a].values[idx[a]]));
    return vals;
}

static char *print_json(cJSON *root)
{
    char *s = cJSON_Print(root);
    if (!s)
        xoom("cJSON_Print");
    return s;
}

static int write_text(const char *path, const char *text, char *err, size_t errlen)
{
    struct outfile of;
    if (outfile_open(&of, path, err, errlen))
        return -1;
    fputs(text, of.f);
    fputc('\n', of.f);
    return outfile_commit(&of, err, errlen);
}

static char *cell_path(const struct ctx *c, int cell)
{
    char name[32];
    snprintf(name, sizeof name, "cell-%05d.json", cell);
    return file_join(c->journal, name);
}

static int journal_write(const struct ctx *c, int cell, const struct sweep_cell *sc, char *err,
                         size_t errlen)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "fingerprint", c->sw->fingerprint);
    cJSON_AddNumberToObject(root, "cell", cell);
    cJSON_AddItemToObject(root, "values", cell_values_json(c->o, cell));
    cJSON_AddNumberToObject(root, "replications", sc->reps);
    if (c->o->precision > 0)
        cJSON_AddBoolToObject(root, "precision_reached", sc->precision_reached);
    cJSON *ms = cJSON_AddObjectToObject(root, "metrics");
    for (int m = 0; m < METRIC_COUNT; m++) {
        const struct stats_summary *st = &sc->sum[m];
        cJSON *o = cJSON_AddObjectToObject(ms, metric_table[m].name);
        cJSON_AddItemToObject(o, "mean", num_item(st->mean));
        cJSON_AddItemToObject(o, "sd", num_item(st->sd));
        cJSON_AddItemToObject(o, "ci95_lo", num_item(st->ci_lo));
        cJSON_AddItemToObject(o, "ci95_hi", num_item(st->ci_hi));
        cJSON_AddItemToObject(o, "min", num_item(st->min));
        cJSON_AddItemToObject(o, "max", num_item(st->max));
        cJSON_AddNumberToObject(o, "reps", (double)st->n);
    }
    char *text = print_json(root);
    cJSON_Delete(root);
    char *path = cell_path(c, cell);
    int rc = write_text(path, text, err, errlen);
    free(path);
    free(text);
    return rc;
}

/* Reads a journal cell. Returns 0 (loaded into *sc), -1 if the file is not
 * a readable cell (the caller runs the cell again), or -2 if it belongs
 * to another sweep (msg says why). */
static int journal_read_cell(const struct ctx *c, const char *path, int cell, struct sweep_cell *sc,
                             char *msg, size_t msglen);

static char *read_file(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        xerr(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        return NULL;
    }
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        xgrow((void **)&buf, &cap, n + 65536, 1);
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (n > MAX_SCENARIO_BYTES) {
            fclose(f);
            free(buf);
            xerr(err, errlen, "%s: larger than 16 MiB", path);
            return NULL;
        }
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        xerr(err, errlen, "%s: read error", path);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static int journal_read_cell(const struct ctx *c, const char *path, int cell, struct sweep_cell *sc,
                             char *msg, size_t msglen)
{
    size_t len;
    char *text = read_file(path, &len, msg, msglen);
    if (!text)
        return -1;
    cJSON *root = cJSON_ParseWithLength(text, len);
    free(text);
    int rc = -1;
    if (!root) {
        xerr(msg, msglen, "%s: not valid JSON", path);
        return -1;
    }
    const cJSON *fp = cJSON_GetObjectItemCaseSensitive(root, "fingerprint");
    const cJSON *ci = cJSON_GetObjectItemCaseSensitive(root, "cell");
    const cJSON *reps = cJSON_GetObjectItemCaseSensitive(root, "replications");
    const cJSON *ms = cJSON_GetObjectItemCaseSensitive(root, "metrics");
    if (!cJSON_IsString(fp)) {
        xerr(msg, msglen, "%s: no fingerprint", path);
        goto out;
    }
    if (strcmp(fp->valuestring, c->sw->fingerprint) != 0) {
        xerr(msg, msglen,
             "%s was written by a different sweep (fingerprint %.16s, this sweep "
             "%s)",
             path, fp->valuestring, c->sw->fingerprint);
        rc = -2;
        goto out;
    }
    if (!cJSON_IsNumber(ci) || ci->valuedouble != cell || !cJSON_IsNumber(reps) ||
        reps->valuedouble < 1 || reps->valuedouble > SCN_MAX_REPLICATIONS || !cJSON_IsObject(ms)) {
        xerr(msg, msglen, "%s: not a complete journal cell", path);
        goto out;
    }
    /* the same fingerprint means the same grid; check the values anyway */
    cJSON *want = cell_values_json(c->o, cell);
    int same = cJSON_Compare(want, cJSON_GetObjectItemCaseSensitive(root, "values"), 1);
    cJSON_Delete(want);
    if (!same) {
        xerr(msg, msglen, "%s: its values are not those of cell %d", path, cell);
        rc = -2;
        goto out;
    }
    memset(sc, 0, sizeof *sc);
    sc->reps = (int)reps->valuedouble;
    sc->precision_reached =
        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "precision_reached"));
    for (int m = 0; m < METRIC_COUNT; m++) {
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(ms, metric_table[m].name);
        struct stats_summary *st = &sc->sum[m];
        double n;
        if (!cJSON_IsObject(o) || num_get(o, "mean", &st->mean) || num_get(o, "sd", &st->sd) ||
            num_get(o, "ci95_lo", &st->ci_lo) || num_get(o, "ci95_hi", &st->ci_hi) ||
            num_get(o, "min", &st->min) || num_get(o, "max", &st->max) || num_get(o, "reps", &n) ||
            n < 1 || n > SCN_MAX_REPLICATIONS) {
            xerr(msg, msglen, "%s: metric %s missing or malformed", path, metric_table[m].name);
            goto out;
        }
        st->n = (size_t)n;
    }
    sc->done = 1;
    rc = 0;
out:
    cJSON_Delete(root);
    return rc;
}

/* ---- fingerprint and manifest ------------------------------------------- */

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* Length-prefixed, so ("ab","c") and ("a","bc") differ. */
static uint64_t fnv_str(uint64_t h, const char *s, size_t n)
{
    uint64_t len = n;
    h = fnv(h, &len, sizeof len);
    return fnv(h, s, n);
}

static uint64_t text_hash(const char *s, size_t n)
{
    return fnv_str(14695981039346656037ULL, s, n);
}

/* The manifest names what the fingerprint covers, so --resume can say
 * which part changed. */
static cJSON *manifest_json(const struct ctx *c, uint64_t text_h)
{
    const struct sweep_opts *o = c->o;
    char hex[17];
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "fingerprint", c->sw->fingerprint);
    cJSON_AddStringToObject(root, "version", PROVSIM_VERSION);
    cJSON_AddStringToObject(root, "scenario_file", o->scenario);
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)text_h);
    cJSON_AddStringToObject(root, "scenario_text_hash", hex);
    cJSON *sets = cJSON_AddArrayToObject(root, "set");
    for (int i = 0; i < o->nsets; i++)
        cJSON_AddItemToArray(sets, cJSON_CreateString(o->sets[i]));
    cJSON *vary = cJSON_AddArrayToObject(root, "vary");
    for (int a = 0; a < o->naxes; a++) {
        size_t n = strlen(o->axes[a].path) + strlen(o->axes[a].spec) + 2;
        char *s = xmalloc(n);
        snprintf(s, n, "%s=%s", o->axes[a].path, o->axes[a].spec);
        cJSON_AddItemToArray(vary, cJSON_CreateString(s));
        free(s);
    }
    cJSON_AddNumberToObject(root, "reps", o->reps);
    cJSON_AddNumberToObject(root, "seed", (double)o->seed);
    cJSON_AddItemToObject(root, "precision", num_item(o->precision));
    cJSON_AddNumberToObject(root, "cells", c->sw->ncells);
    return root;
}

static void fingerprint(const struct ctx *c, uint64_t text_h)
{
    const struct sweep_opts *o = c->o;
    char buf[64];
    uint64_t h = 14695981039346656037ULL;
    h = fnv_str(h, PROVSIM_VERSION, strlen(PROVSIM_VERSION));
    h = fnv(h, &text_h, sizeof text_h);
    snprintf(buf, sizeof buf, "sets %d", o->nsets);
    h = fnv_str(h, buf, strlen(buf));
    for (int i = 0; i < o->nsets; i++)
        h = fnv_str(h, o->sets[i], strlen(o->sets[i]));
    snprintf(buf, sizeof buf, "vary %d", o->naxes);
    h = fnv_str(h, buf, strlen(buf));
    for (int a = 0; a < o->naxes; a++) {
        h = fnv_str(h, o->axes[a].path, strlen(o->axes[a].path));
        h = fnv_str(h, o->axes[a].spec, strlen(o->axes[a].spec));
    }
    snprintf(buf, sizeof buf, "reps %d seed %lld precision %.17g", o->reps, (long long)o->seed,
             o->precision);
    h = fnv_str(h, buf, strlen(buf));
    snprintf(c->sw->fingerprint, sizeof c->sw->fingerprint, "%016llx", (unsigned long long)h);
}

/* Why an old manifest is not this sweep's, in words. */
static void manifest_diff(const cJSON *old, const cJSON *now, char *buf, size_t len)
{
    static const struct {
        const char *key, *what;
    } parts[] = {
        {"version", "the provsim version"},
        {"scenario_text_hash", "the scenario file's contents"},
        {"set", "the --set overrides"},
        {"vary", "the --vary axes"},
        {"reps", "--reps"},
        {"seed", "--seed"},
        {"precision", "--precision"},
    };
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(old, parts[i].key);
        const cJSON *b = cJSON_GetObjectItemCaseSensitive(now, parts[i].key);
        if (a && b && cJSON_Compare(a, b, 1))
            continue;
        int n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", parts[i].what);
        if (n < 0 || (size_t)n >= len - used)
            break;
        used += (size_t)n;
    }
    if (!used)
        snprintf(buf, len, "unknown");
}

/* Removes the journal's cells, leftovers of interrupted writes and the
 * manifest (only names this module writes). */
static int journal_clear(const char *journal, char *err, size_t errlen)
{
    DIR *d = opendir(journal);
    if (!d)
        return errno == ENOENT ? 0 : xerr(err, errlen, "%s: %s", journal, strerror(errno));
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, "cell-", 5) != 0 && strncmp(e->d_name, "manifest.json", 13) != 0)
            continue;
        char *p = file_join(journal, e->d_name);
        if (unlink(p) != 0 && errno != ENOENT)
            rc = xerr(err, errlen, "%s: cannot remove: %s", p, strerror(errno));
        free(p);
    }
    closedir(d);
    return rc;
}

/* --resume: checks the manifest and every cell file, loads matching cells.
 * Returns 0, or -1 (refused: err says why). */
static int journal_load(struct ctx *c, const cJSON *manifest, char *err, size_t errlen)
{
    char *mpath = file_join(c->journal, "manifest.json");
    size_t len;
    char msg[SCN_ERRLEN];
    char *text = read_file(mpath, &len, msg, sizeof msg);
    if (text) {
        cJSON *old = cJSON_ParseWithLength(text, len);
        free(text);
        const cJSON *fp = cJSON_GetObjectItemCaseSensitive(old, "fingerprint");
        if (!cJSON_IsString(fp)) {
            cJSON_Delete(old);
            xerr(err, errlen, "--resume: %s is unreadable; run without --resume to start over",
                 mpath);
            free(mpath);
            return -1;
        }
        if (strcmp(fp->valuestring, c->sw->fingerprint) != 0) {
            char why[512];
            manifest_diff(old, manifest, why, sizeof why);
            cJSON_Delete(old);
            xerr(err, errlen,
                 "--resume: the journal in %s is from a different sweep (changed: %s); run "
                 "without --resume to start over, or use another --out",
                 c->journal, why);
            free(mpath);
            return -1;
        }
        cJSON_Delete(old);
    }
    free(mpath);

    DIR *d = opendir(c->journal);
    if (!d)
        return 0;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) && rc == 0) {
        int cell;
        char tail;
        if (strncmp(e->d_name, "cell-", 5) != 0)
            continue;
        char *p = file_join(c->journal, e->d_name);
        if (strstr(e->d_name, ".tmp")) {
            unlink(p); /* a write a kill interrupted: never renamed, never valid */
        } else if (sscanf(e->d_name, "cell-%d.jso%c", &cell, &tail) != 2 || tail != 'n' ||
                   strlen(e->d_name) != 15) {
            /* not ours */
        } else if (cell < 0 || cell >= c->sw->ncells) {
            rc = xerr(err, errlen,
                      "--resume: %s is from a different sweep (this one has %d cells); run "
                      "without --resume to start over",
                      p, c->sw->ncells);
        } else {
            struct sweep_cell sc;
            int r = journal_read_cell(c, p, cell, &sc, msg, sizeof msg);
            if (r == 0) {
                c->sw->cells[cell] = sc;
            } else if (r == -2) {
                rc = xerr(err, errlen, "--resume: %s; run without --resume to start over", msg);
            } else {
                fprintf(stderr, "provsim: sweep: ignoring %s; the cell runs again\n", msg);
            }
        }
        free(p);
    }
    closedir(d);
    return rc;
}

/* One sweep per directory at a time: two writers would mix journals. */
static int lock_dir(const char *journal, int *fd, char *err, size_t errlen)
{
    char *p = file_join(journal, "lock");
    *fd = open(p, O_RDWR | O_CREAT, 0644);
    if (*fd < 0) {
        xerr(err, errlen, "%s: cannot create: %s", p, strerror(errno));
        free(p);
        return -1;
    }
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    if (fcntl(*fd, F_SETLK, &fl) != 0) {
        xerr(err, errlen, "%s is in use by another provsim sweep", journal);
        close(*fd);
        *fd = -1;
        free(p);
        return -1;
    }
    free(p);
    return 0;
}

/* ---- workers and progress ---------------------------------------------- */

struct pool {
    struct ctx *c;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int *todo, ntodo, next; /* cells to run; next = index of the next to start */
    int started, finished;  /* this call */
    int running;            /* workers still in their loop */
    int stop;               /* copied from o->stop by the main thread: the
                             * signal handler runs there only (workers
                             * block the signals), so no other thread
                             * touches the sig_atomic_t */
    int inline_run;         /* no thread could start: the main thread works */
    int failed;
    char err[SCN_ERRLEN];
};

static int stopping(const struct pool *p)
{
    const struct sweep_opts *o = p->c->o;
    if (p->inline_run && o->stop && *o->stop)
        return 1;
    return p->failed || p->stop || (o->stop_after > 0 && p->started >= o->stop_after);
}

static void *worker(void *arg)
{
    struct pool *p = arg;
    struct ctx *c = p->c;
    pthread_mutex_lock(&p->mu);
    while (!stopping(p) && p->next < p->ntodo) {
        int cell = p->todo[p->next++];
        p->started++;
        pthread_mutex_unlock(&p->mu);

        char err[SCN_ERRLEN];
        struct scenario s;
        struct run_opts ro;
        struct run_result res;
        struct sweep_cell sc;
        int rc = build_cell(c, cell, &s, err, sizeof err); /* validated: cannot fail */
        if (rc == 0) {
            cell_run_opts(c->o, &s, &ro);
            run_scenario(&s, &ro, &res);
            memset(&sc, 0, sizeof sc);
            sc.reps = res.reps;
            sc.precision_reached = res.precision_reached;
            memcpy(sc.sum, res.sum, sizeof sc.sum);
            run_result_fini(&res);
            scn_fini(&s);
            rc = journal_write(c, cell, &sc, err, sizeof err);
        }

        pthread_mutex_lock(&p->mu);
        if (rc != 0) {
            if (!p->failed)
                snprintf(p->err, sizeof p->err, "%s", err);
            p->failed = 1;
        } else {
            sc.done = 1;
            c->sw->cells[cell] = sc;
            p->finished++;
        }
        pthread_cond_broadcast(&p->cv);
    }
    p->running--;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void fmt_clock(char *buf, size_t len, double s)
{
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, len, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, len, "%ld:%02ld", t / 60, t % 60);
}

/* "[=====>    ] 12/240 cells, 0:07 elapsed, ETA 2:10" */
static void draw_progress(int done, int total, int ran, int todo, double elapsed)
{
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
    fprintf(stderr, "\r[%s] %d/%d cells, %s elapsed, ETA %s ", bar, done, total, el, eta);
    fflush(stderr);
}

static int run_cells(struct ctx *c, int *todo, int ntodo, char *err, size_t errlen)
{
    const struct sweep_opts *o = c->o;
    struct pool p = {.c = c, .todo = todo, .ntodo = ntodo, .stop = o->stop && *o->stop};
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.cv, NULL);
    int jobs = o->jobs < 1 ? 1 : o->jobs;
    if (jobs > ntodo)
        jobs = ntodo > 0 ? ntodo : 1;
    pthread_t *th = xcalloc((size_t)jobs, sizeof *th);
    int nth = 0;
    double t0 = mono_s(), last = -1.0;
    /* workers start with SIGINT and SIGTERM blocked, so the handler runs
     * on this thread, which passes the request on under the mutex */
    sigset_t sigs, old_mask;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, &old_mask);
    pthread_mutex_lock(&p.mu);
    for (int i = 0; i < jobs; i++) {
        p.running++;
        if (pthread_create(&th[nth], NULL, worker, &p) != 0) {
            p.running--;
            break;
        }
        nth++;
    }
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    if (nth == 0) {
        /* no thread at all: run on this one */
        p.inline_run = 1;
        p.running = 1;
        pthread_mutex_unlock(&p.mu);
        worker(&p);
        pthread_mutex_lock(&p.mu);
    }
    while (p.running > 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 100 * 1000 * 1000;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&p.cv, &p.mu, &ts);
        if (o->stop && *o->stop)
            p.stop = 1;
        double now = mono_s();
        if (o->progress && now - last >= 0.1) {
            draw_progress(c->sw->loaded + p.finished, c->sw->ncells, p.finished, ntodo, now - t0);
            last = now;
        }
    }
    pthread_mutex_unlock(&p.mu);
    for (int i = 0; i < nth; i++)
        pthread_join(th[i], NULL);
    free(th);
    if (o->progress) {
        draw_progress(c->sw->loaded + p.finished, c->sw->ncells, p.finished, ntodo, mono_s() - t0);
        fputc('\n', stderr);
    }
    c->sw->ran = p.finished;
    pthread_cond_destroy(&p.cv);
    pthread_mutex_destroy(&p.mu);
    if (p.failed) {
        snprintf(err, errlen, "%s", p.err);
        return -1;
    }
    return 0;
}

/* ---- outputs ------------------------------------------------------------- */

static int write_csv(const struct ctx *c, char *err, size_t errlen)
{
    const struct sweep_opts *o = c->o;
    struct outfile of;
    int rc = outfile_open_in(&of, c->dir, "sweep.csv", err, errlen);
    if (rc)
        return -1;
    FILE *f = of.f;
    for (int a = 0; a < o->naxes; a++) {
        csvfmt_field(f, o->axes[a].path);
        fputc(',', f);
    }
    for (int m = 0; m < METRIC_COUNT; m++)
        fprintf(f, "%s_mean,%s_ci95_lo,%s_ci95_hi,", metric_table[m].name, metric_table[m].name,
                metric_table[m].name);
    fputs("replications\n", f);
    int idx[64];
    for (int i = 0; i < c->sw->ncells; i++) {
        const struct sweep_cell *sc = &c->sw->cells[i];
        sweep_cell_index(o->axes, o->naxes, i, idx);
        for (int a = 0; a < o->naxes; a++) {
            csvfmt_field(f, o->axes[a].values[idx[a]]);
            fputc(',', f);
        }
        for (int m = 0; m < METRIC_COUNT; m++) {
            csvfmt_num(f, sc->sum[m].mean);
            fputc(',', f);
            csvfmt_num(f, sc->sum[m].ci_lo);
            fputc(',', f);
            csvfmt_num(f, sc->sum[m].ci_hi);
            fputc(',', f);
        }
        fprintf(f, "%d\n", sc->reps);
    }
    return outfile_commit(&of, err, errlen);
}

static int write_json(const struct ctx *c, char *err, size_t errlen)
{
    const struct sweep_opts *o = c->o;
    const struct sweep *sw = c->sw;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "scenario", sw->name);
    cJSON_AddStringToObject(root, "file", o->scenario);
    cJSON *sets = cJSON_AddArrayToObject(root, "set");
    for (int i = 0; i < o->nsets; i++)
        cJSON_AddItemToArray(sets, cJSON_CreateString(o->sets[i]));
    cJSON *vary = cJSON_AddArrayToObject(root, "vary");
    for (int a = 0; a < o->naxes; a++) {
        cJSON *ax = cJSON_CreateObject();
        cJSON_AddStringToObject(ax, "path", o->axes[a].path);
        cJSON_AddStringToObject(ax, "spec", o->axes[a].spec);
        cJSON *vals = cJSON_AddArrayToObject(ax, "values");
        for (int i = 0; i < o->axes[a].nvalues; i++)
            cJSON_AddItemToArray(vals, value_item(o->axes[a].values[i]));
        cJSON_AddItemToArray(vary, ax);
    }
    cJSON_AddNumberToObject(root, "seed", (double)sw->seed);
    cJSON_AddNumberToObject(root, "replications", o->reps > 0 ? o->reps : sw->base_reps);
    if (o->precision > 0) {
        int missed = 0;
        for (int i = 0; i < sw->ncells; i++)
            missed += !sw->cells[i].precision_reached;
        cJSON *pr = cJSON_AddObjectToObject(root, "precision");
        cJSON_AddNumberToObject(pr, "target", o->precision);
        cJSON_AddBoolToObject(pr, "reached", missed == 0);
        cJSON_AddNumberToObject(pr, "cells_not_reached", missed);
    }
    cJSON *cells = cJSON_AddArrayToObject(root, "cells");
    for (int i = 0; i < sw->ncells; i++) {
        const struct sweep_cell *sc = &sw->cells[i];
        cJSON *cj = cJSON_CreateObject();
        cJSON_AddItemToObject(cj, "values", cell_values_json(o, i));
        cJSON *ms = cJSON_AddObjectToObject(cj, "metrics");
        for (int m = 0; m < METRIC_COUNT; m++) {
            const struct stats_summary *st = &sc->sum[m];
            cJSON *mo = cJSON_AddObjectToObject(ms, metric_table[m].name);
            /* null for NaN: a CI one replication cannot give */
            cJSON_AddItemToObject(mo, "mean", csvfmt_json_number(st->mean));
            cJSON_AddItemToObject(mo, "sd", csvfmt_json_number(st->sd));
            cJSON_AddItemToObject(mo, "ci95_lo", csvfmt_json_number(st->ci_lo));
            cJSON_AddItemToObject(mo, "ci95_hi", csvfmt_json_number(st->ci_hi));
            cJSON_AddItemToObject(mo, "min", csvfmt_json_number(st->min));
            cJSON_AddItemToObject(mo, "max", csvfmt_json_number(st->max));
        }
        cJSON_AddNumberToObject(cj, "replications", sc->reps);
        if (o->precision > 0)
            cJSON_AddBoolToObject(cj, "precision_reached", sc->precision_reached);
        cJSON_AddItemToArray(cells, cj);
    }
    char *text = print_json(root);
    cJSON_Delete(root);
    char *path = file_join(c->dir, "sweep.json");
    int rc = write_text(path, text, err, errlen);
    free(path);
    free(text);
    return rc;
}

/* ---- the sweep ----------------------------------------------------------- */

int sweep_run(const struct sweep_opts *o, struct sweep *sw, char *err, size_t errlen)
{
    memset(sw, 0, sizeof *sw);
    if (o->naxes < 1 || o->naxes > 64)
        return xerr(err, errlen, "sweep: give 1 to 64 --vary axes"), SWEEP_BAD_INPUT;
    long long ncells = 1;
    for (int a = 0; a < o->naxes; a++) {
        for (int b = 0; b < a; b++)
            if (!strcmp(o->axes[a].path, o->axes[b].path))
                return xerr(err, errlen, "--vary %s is given twice", o->axes[a].path),
                       SWEEP_BAD_INPUT;
        ncells *= o->axes[a].nvalues;
        if (ncells > SWEEP_MAX_CELLS)
            return xerr(err, errlen, "sweep: more than %d cells in the grid", SWEEP_MAX_CELLS),
                   SWEEP_BAD_INPUT;
    }
    sw->ncells = (int)ncells;
    sw->cells = xcalloc((size_t)ncells, sizeof *sw->cells);

    struct ctx c = {.o = o, .sw = sw};
    char msg[SCN_ERRLEN];
    int rc = SWEEP_BAD_INPUT, lockfd = -1;
    int *todo = NULL;
    cJSON *manifest = NULL;
    c.text = read_file(o->scenario, &c.len, err, errlen);
    if (!c.text)
        return SWEEP_BAD_INPUT;

    /* the base and --set first, so a bad --set is reported once */
    scn_doc *d = scn_doc_parse(c.text, c.len, msg, sizeof msg);
    if (!d) {
        xerr(err, errlen, "%s: %s", o->scenario, msg);
        goto out;
    }
    for (int i = 0; i < o->nsets; i++)
        if (scn_doc_set(d, o->sets[i], msg, sizeof msg)) {
            scn_doc_free(d);
            xerr(err, errlen, "%s", msg);
            goto out;
        }
    scn_doc_free(d);

    /* every cell, before anything runs or any file is touched */
    for (int i = 0; i < sw->ncells; i++) {
        struct scenario s;
        if (build_cell(&c, i, &s, msg, sizeof msg)) {
            char label[512];
            cell_label(o, i, label, sizeof label);
            xerr(err, errlen, "%s: cell %d of %d (%s): %s", o->scenario, i + 1, sw->ncells, label,
                 msg);
            goto out;
        }
        /* o->jobs cells may be in memory at once, one replication each */
        if (mem_check(&s, o->jobs, NULL, msg, sizeof msg)) {
            char label[512];
            cell_label(o, i, label, sizeof label);
            xerr(err, errlen, "%s: cell %d of %d (%s): %s", o->scenario, i + 1, sw->ncells, label,
                 msg);
            scn_fini(&s);
            goto out;
        }
        if (i == 0) {
            sw->name = xstrdup(s.name);
            sw->base_reps = s.replications;
            sw->seed = o->seed >= 0 ? (uint64_t)o->seed : s.seed;
        }
        scn_fini(&s);
    }

    uint64_t text_h = text_hash(c.text, c.len);
    fingerprint(&c, text_h);
    manifest = manifest_json(&c, text_h);

    /* the directory and its journal */
    rc = SWEEP_FAILED;
    c.dir = xstrdup(o->out_dir);
    c.journal = file_join(c.dir, "journal");
    if (file_mkdirs(c.journal, err, errlen)) {
        rc = SWEEP_BAD_INPUT; /* a bad --out, found before anything runs */
        goto out;
    }
    if (lock_dir(c.journal, &lockfd, err, errlen)) {
        rc = SWEEP_BAD_INPUT;
        goto out;
    }
    if (o->resume) {
        if (journal_load(&c, manifest, err, errlen)) {
            rc = SWEEP_BAD_INPUT;
            goto out;
        }
    } else {
        if (journal_clear(c.journal, err, errlen))
            goto out;
        /* results of an earlier sweep would no longer match the journal */
        const char *old[] = {"sweep.csv", "sweep.json"};
        for (size_t i = 0; i < 2; i++) {
            char *p = file_join(c.dir, old[i]);
            unlink(p);
            free(p);
        }
    }
    {
        char *text = print_json(manifest);
        char *p = file_join(c.journal, "manifest.json");
        int w = write_text(p, text, err, errlen);
        free(p);
        free(text);
        if (w)
            goto out;
    }

    todo = xmalloc((size_t)sw->ncells * sizeof *todo);
    int ntodo = 0;
    for (int i = 0; i < sw->ncells; i++) {
        if (sw->cells[i].done)
            sw->loaded++;
        else
            todo[ntodo++] = i;
    }
    if (o->resume)
        fprintf(stderr, "provsim: sweep: resuming: %d of %d cells from the journal, %d to run\n",
                sw->loaded, sw->ncells, ntodo);

    if (run_cells(&c, todo, ntodo, err, errlen))
        goto out;
    if (sw->loaded + sw->ran < sw->ncells) {
        rc = SWEEP_INTERRUPTED;
        xerr(err, errlen, "interrupted: %d of %d cells saved in %s; rerun with --resume",
             sw->loaded + sw->ran, sw->ncells, c.journal);
        goto out;
    }
    if (write_csv(&c, err, errlen) || write_json(&c, err, errlen))
        goto out;
    rc = SWEEP_OK;
out:
    if (lockfd >= 0)
        close(lockfd);
    cJSON_Delete(manifest);
    free(todo);
    free(c.text);
    free(c.dir);
    free(c.journal);
    return rc;
}

void sweep_fini(struct sweep *sw)
{
    free(sw->cells);
    free(sw->name);
    memset(sw, 0, sizeof *sw);
}

/* ---- best cells ---------------------------------------------------------- */

void sweep_print_best(FILE *f, const struct sweep_opts *o, const struct sweep *sw)
{
    static const struct {
        enum metric m;
        const char *goal;
    } goals[] = {
        {METRIC_CLEAR_TIME, "fastest clear (lowest mean clear_time_s)"},
        {METRIC_OTHER_THROTTLED, "fewest collateral 429s (lowest mean other_clients_throttled)"},
        {METRIC_BACKGROUND_LAT_P95, "lowest background latency (lowest mean background_latency_p95_s)"},
    };
    fputs("\nBest cells (mean over replications, 95% CI; cells share random numbers, so "
          "differences are the scenario's):\n",
          f);
    for (size_t g = 0; g < sizeof goals / sizeof goals[0]; g++) {
        enum metric m = goals[g].m;
        int best = -1;
        for (int i = 0; i < sw->ncells; i++) {
            double v = sw->cells[i].sum[m].mean;
            if (isfinite(v) && (best < 0 || v < sw->cells[best].sum[m].mean))
                best = i;
        }
        fprintf(f, "  %s:\n", goals[g].goal);
        if (best < 0) {
            fputs("    no cell has a value\n", f);
            continue;
        }
        const struct stats_summary *b = &sw->cells[best].sum[m];
        int equal = 0, within = 0;
        for (int i = 0; i < sw->ncells; i++) {
            if (i == best)
                continue;
            double v = sw->cells[i].sum[m].mean;
            equal += v == b->mean;
            within += v == b->mean || (isfinite(b->ci_hi) && v <= b->ci_hi);
        }
        char label[1024], mean[32], lo[32], hi[32];
        if (equal == sw->ncells - 1 && sw->ncells > 1) {
            summary_format_value(mean, sizeof mean, m, b->mean);
            fprintf(f, "    every cell has the same mean (%s)\n", mean);
            continue;
        }
        cell_label(o, best, label, sizeof label);
        summary_format_value(mean, sizeof mean, m, b->mean);
        fprintf(f, "    %s\n    %s = %s", label, metric_table[m].name, mean);
        if (isfinite(b->ci_lo) && isfinite(b->ci_hi)) {
            summary_format_value(lo, sizeof lo, m, b->ci_lo);
            summary_format_value(hi, sizeof hi, m, b->ci_hi);
            fprintf(f, " (95%% CI %s - %s)", lo, hi);
        }
        if (m == METRIC_CLEAR_TIME && sw->cells[best].sum[METRIC_CLEARED].mean < 1.0)
            fputs(" [not every replication cleared within the horizon: censored]", f);
        fputc('\n', f);
        if (within == 0)
            fputs("    no other cell is within the CI of the best\n", f);
        else
            fprintf(f, "    %d other cell%s within the CI of the best (tied within noise)\n",
                    within, within == 1 ? " is" : "s are");
    }
}
