# compare-rates.gp -- the 429s per minute each compared scenario receives
# (top) and, when other clients share the API, the 429s they receive
# (bottom): the collateral damage, one colour per scenario.
#
# Variables: as compare-backlog.gp, and other (1: draw the bottom panel).
if (clock) {
    set xdata time
    xtitle = 'wall-clock time (scenario local time)'
    fmtx = "%a %H:%M"
} else {
    xtitle = "hours since each scenario's start"
    fmtx = '%gh'
}
set xrange [xmin:xmax]
set yrange [0:*]
set lmargin at screen 0.09
set rmargin at screen 0.97
set multiplot title '429s per minute by scenario' font ',15'
set key inside top right vertical
set offsets 0, 0, graph 0.05 + 0.09 * n, 0
x(t) = (t + xoff) / xscale
set tmargin at screen 0.88
set ylabel "429s per minute (this client)"
if (other) {
    set bmargin at screen 0.50
    set format x ''
    unset xlabel
} else {
    set bmargin at screen 0.12
    set format x fmtx
    set xlabel xtitle
}
plot for [i=1:n] files[i] skip 1 using (x($1)):9 with lines lw 2 \
     lc rgb palette[(i-1) % 10 + 1] title names[i]
if (other) {
    set tmargin at screen 0.44
    set bmargin at screen 0.12
    set format x fmtx
    set xlabel xtitle
    set ylabel "other clients' 429s per minute"
    set offsets 0, 0, graph 0.05, 0
    plot for [i=1:n] files[i] skip 1 using (x($1)):10 with lines lw 2 \
         lc rgb palette[(i-1) % 10 + 1] notitle
}
unset multiplot
