# compare-rates.gp -- the 429s per minute each compared scenario receives
# (top) and, when other clients share the API, the 429s they receive
# (bottom): the collateral damage, one colour per scenario.
#
# Variables: as compare-backlog.gp, and other (1: draw the bottom panel).
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
set multiplot title '429s per minute by scenario' font ',15'
set key inside top right vertical
set offsets 0, 0, graph 0.05 + 0.09 * n, 0
x(t, i) = (t + xoffs[i]) / xscale
# colour and dash type per scenario: the curves stay apart in print too
dtn(i) = (i-1) % 5 + 1
set tmargin at screen 0.88
set ylabel '429s per minute'
set label 1 'this client' at graph 0.01, graph 0.93 left font ',11' textcolor rgb '#555555'
if (other) {
    set bmargin at screen 0.50
    set format x ''
    unset xlabel
} else {
    set bmargin at screen 0.12
    set format x fmtx
    set xlabel xtitle
}
plot for [i=1:n] files[i] skip 1 using (x($1, i)):9 with fsteps lw 2 \
     lc rgb palette[(i-1) % 10 + 1] dt dtn(i) title names[i]
if (other) {
    set tmargin at screen 0.44
    set bmargin at screen 0.12
    set format x fmtx
    set xlabel xtitle
    set ylabel '429s per minute'
    set label 1 "other clients of the API (collateral damage)" at graph 0.01, graph 0.9 left
    set offsets 0, 0, graph 0.15, 0
    plot for [i=1:n] files[i] skip 1 using (x($1, i)):10 with fsteps lw 2 \
         lc rgb palette[(i-1) % 10 + 1] dt dtn(i) notitle
}
unset multiplot
