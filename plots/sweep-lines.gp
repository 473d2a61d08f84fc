# sweep-lines.gp -- a sweep's rollout clear time against the first varied
# path, one line per value of the second (at most a few, chosen evenly;
# the title says so), with the 95% confidence interval as error bars.
# Lines that coincide are the finding that the second path hardly matters:
# each line has its own point and dash type so coinciding ones stay visible.
#
# Variables: datafile (CSV blocks, one per line, separated by two blank
# lines: x,mean,ci95_lo,ci95_hi), nlines, lines[nlines] (legend),
# keytitle, title1, name (scenario), xlab, ylab, nx, xl[nx] (the first
# path's values as written), xcat (1: categorical, at 0..nx-1; 0: numeric,
# at xv[nx]), xlog (1: log scale, for values spanning a factor of 10 or more),
# note (a remark to print in the plot, or '').
set title title1 . (strlen(name) ? "\n" . name : '')
set xlabel xlab
set ylabel ylab
set yrange [0:*]
set xtics ()
if (xcat) {
    do for [i=1:nx] { set xtics add (xl[i] i-1) }
    set xrange [-0.5:nx-0.5]
} else {
    # tics at the swept values themselves, when they fit
    if (nx <= 15) { do for [i=1:nx] { set xtics add (xl[i] xv[i]) } } else { set xtics autofreq }
    if (xlog) { set logscale x }
    set autoscale xfix
}
if (nx > 12) { set xtics rotate by 45 right }
set offsets graph (xcat ? 0 : 0.03), graph (xcat ? 0 : 0.03), graph 0.08, 0
if (nlines > 1) {
    set key outside right top vertical title keytitle left reverse Left width 2
} else {
    set key inside top right
}
if (strlen(note)) {
    set label 2 note at graph 0.5, graph 0.97 center font ',11' textcolor rgb '#444444'
}
array pts[8] = [7, 5, 9, 11, 13, 15, 4, 6]
dtn(i) = (i-1) % 5 + 1
plot for [i=1:nlines] datafile index (i-1) using 1:2:3:4 with yerrorlines lw 2 \
     pt pts[(i-1) % 8 + 1] ps 1.1 dt dtn(i) lc rgb palette[(i-1) % 10 + 1] title lines[i]
