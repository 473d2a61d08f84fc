# compare-backlog.gp -- the backlog of each compared scenario (queued +
# waiting for a retry + in flight, top) and its failed tasks (bottom), one
# colour per scenario.
#
# Variables: n, files[n] (series CSVs), names[n] (legend), clock (1: x is
# wall-clock time, the scenarios share one timeline; 0: x is the time since
# each scenario's backlog began, so their curves lie over each other),
# xoffs[n], xscale (x = (t_s + xoffs[i]) / xscale), xmin, xmax, xtitle,
# xtic0, xticstep (wall-clock ticks, with clock = 1). Counts are drawn as
# steps: a sample holds until the next.
if (clock) {
    set xdata time
    fmtx = "%a %H:%M"
    set xtics xtic0, xticstep, xmax
} else {
    fmtx = '%g'
}
set xrange [xmin:xmax]
set yrange [0:*]
set lmargin at screen 0.09
set rmargin at screen 0.955
set multiplot title 'Backlog and failed tasks by scenario' font ',15'
set key inside top right vertical
set offsets 0, 0, graph 0.05 + 0.09 * n, 0
x(t, i) = (t + xoffs[i]) / xscale
# colour and dash type per scenario: the curves stay apart in print too
dtn(i) = (i-1) % 5 + 1
set tmargin at screen 0.88
set bmargin at screen 0.50
set ylabel 'backlog (jobs)'
unset xlabel
set format x ''
plot for [i=1:n] files[i] skip 1 using (x($1, i)):($3+$4+$5) with steps lw 2 \
     lc rgb palette[(i-1) % 10 + 1] dt dtn(i) title names[i]
set tmargin at screen 0.44
set bmargin at screen 0.12
set format x fmtx
set xlabel xtitle
set ylabel 'failed tasks'
set offsets 0, 0, graph 0.05, 0
plot for [i=1:n] files[i] skip 1 using (x($1, i)):6 with steps lw 2 \
     lc rgb palette[(i-1) % 10 + 1] dt dtn(i) notitle
unset multiplot
