# sweep-lines.gp -- a sweep's rollout clear time against the first varied
# path, one line per value of the second (at most a few, chosen evenly;
# the title says so), with the 95% confidence interval as error bars.
#
# Variables: datafile (CSV blocks, one per line, separated by two blank
# lines: x,mean,ci95_lo,ci95_hi), nlines, lines[nlines] (legend),
# keytitle, title1, name (scenario), xlab, ylab, xcat (1: x is categorical: the
# values are xl[1..nx] at 0..nx-1), nx, xl[nx].
set title title1 . (strlen(name) ? "\n" . name : '')
set xlabel xlab
set ylabel ylab
set yrange [0:*]
if (xcat) {
    set xtics ()
    do for [i=1:nx] { set xtics add (xl[i] i-1) }
    set xrange [-0.5:nx-0.5]
    if (nx > 12) { set xtics rotate by 45 right }
}
set offsets graph (xcat ? 0 : 0.03), graph (xcat ? 0 : 0.03), graph 0.08, 0
if (nlines > 1) {
    set key outside right top vertical title keytitle left
} else {
    set key inside top right
}
plot for [i=1:nlines] datafile index (i-1) using 1:2:3:4 with yerrorlines lw 2 pt 7 ps 0.9 \
     lc rgb palette[(i-1) % 10 + 1] title lines[i]
