/* interrupt.c -- see interrupt.h. The handler may only make
 * async-signal-safe calls: unlink (in outfile_remove_unfinished), write
 * and _exit; so it formats its message by hand. */
#include "cli/interrupt.h"

#include "base/outfile.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

static void say(const char *s)
{
    ssize_t rc = write(STDERR_FILENO, s, strlen(s));
    (void)rc; /* nothing to do if stderr is gone */
}

static void say_int(int v)
{
    char buf[16], *p = buf + sizeof buf - 1;
    *p = '\0';
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0 && p > buf);
    say(p);
}

static void on_signal(int sig)
{
    int removed = outfile_remove_unfinished();
    say(sig == SIGINT ? "\nprovsim: interrupted (SIGINT)" : "\nprovsim: terminated (SIGTERM)");
    say(": removed ");
    say_int(removed);
    say(removed == 1 ? " unfinished file" : " unfinished files");
    int kept = outfile_kept_count();
    if (kept == 0) {
        say("; no output was complete, none kept\n");
    } else {
        say("; kept the complete ones:");
        for (int i = 0; outfile_kept(i); i++) {
            say(" ");
            say(outfile_kept(i));
        }
        if (kept > OUTFILE_KEPT_MAX) {
            say(" and ");
            say_int(kept - OUTFILE_KEPT_MAX);
            say(" more");
        }
        say("\n");
    }
    _exit(128 + sig);
}

void cli_interrupt_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}
