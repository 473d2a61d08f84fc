# rates.gp -- a run's request rates over wall-clock time: attempts and 429s
# per minute of this client (top) and, when other clients share the API,
# the 429s they receive per minute: the collateral damage (bottom).
#
# Variables: datafile (series CSV: ...,attempts_per_min,throttled_per_min,
# other_clients_throttled_per_min), name (scenario), xoff, xmin, xmax (as in
# backlog.gp), xtic0, xticstep (as in backlog.gp), other (1: draw the other
# clients' panel). Each value counts the step that ends at its sample, so
# it is drawn as a step over that interval (fsteps).
set xdata time
set format x "%a %H:%M"
set xrange [xmin:xmax]
set xtics xtic0, xticstep, xmax
set yrange [0:*]
# the panels share the x axis: fixed margins keep them aligned
set lmargin at screen 0.09
set rmargin at screen 0.955
set multiplot title 'Requests and 429s per minute' . (strlen(name) ? "\n" . name : '') font ',15'
set key inside top right horizontal
# headroom above the data for the one-line legend
set offsets 0, 0, graph 0.2, 0
x(t) = t + xoff
set ylabel 'requests per minute'
set tmargin at screen 0.86
if (other) {
    set bmargin at screen 0.42
    set format x ''
    unset xlabel
} else {
    set bmargin at screen 0.12
    set xlabel 'wall-clock time (scenario local time)'
}
plot datafile skip 1 using (x($1)):8 with fsteps lw 2 lc rgb '#4e79a7' title 'attempts (this client)', \
     '' skip 1 using (x($1)):9 with fsteps lw 2 lc rgb '#e15759' title '429s (this client)'
if (other) {
    set tmargin at screen 0.36
    set bmargin at screen 0.12
    set format x "%a %H:%M"
    set xlabel 'wall-clock time (scenario local time)'
    set ylabel '429s per minute'
    plot datafile skip 1 using (x($1)):10 with fsteps lw 2 lc rgb '#b07aa1' \
         title "other clients' 429s (collateral)"
}
unset multiplot
