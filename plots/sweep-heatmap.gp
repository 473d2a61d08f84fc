# sweep-heatmap.gp -- one metric of a sweep over a grid: the second varied
# path across, the first up; darker is larger (worse, for the metrics drawn:
# clear time and other clients' 429s). provsim writes each cell's label:
# its value, with a leading '≥' when the rollout did not clear in every
# replication (a clear time censored at the horizon), or '-' for a cell
# missing from the table (left blank).
#
# Variables: datafile (CSV: xi,yi,value,label,white), nx, ny, xl[nx],
# yl[ny] (tic labels), title1, name (scenario), xlab, ylab, cblab,
# labels (1: print each cell's value).
set title title1 . (strlen(name) ? "\n" . name : '')
set xlabel xlab
set ylabel ylab
set cblabel cblab
set xrange [-0.5:nx-0.5]
set yrange [-0.5:ny-0.5]
set xtics () scale 0
set ytics () scale 0
do for [i=1:nx] { set xtics add (xl[i] i-1) }
do for [i=1:ny] { set ytics add (yl[i] i-1) }
if (nx > 12) { set xtics rotate by 45 right }
unset grid
set border 0
set cbrange [0:*]
set cbtics nomirror
set palette defined (0 '#fff5eb', 0.3 '#fdd0a2', 0.6 '#fd8d3c', 0.85 '#d94801', 1 '#7f2704')
if (labels) {
    plot datafile using 1:2:3 with image pixels, \
         '' using 1:2:4:($5 > 0.5 ? 0xffffff : 0x222222) with labels tc rgb variable font (nx <= 12 ? ',12' : ',10')
} else {
    plot datafile using 1:2:3 with image pixels
}
