# plan-pareto.gp -- provsim plan: every candidate's mean objective (y)
# against its mean constrained metric (x), each with its 95% CI as error
# bars: eliminated or undecided candidates in blue (eliminated as worse,
# feasible or not yet decided), infeasible ones (or
# left out: not cleared within the horizon) in grey, the chosen plan a red
# star; the Pareto front of the means as a staircase; the constraint's bound a
# dashed vertical line. Without constraints (front 0) x is the candidate's
# number.
#
# Variables: datafile (CSV blocks separated by two blank lines: 0 in play
# or eliminated, 1 infeasible or left out, 2 chosen, each row x,xlo,xhi,
# y,ylo,yhi; 3 the front, x,y sorted by x), title1, name, xlab, ylab,
# bound, hasbound, front.
set title title1 . (strlen(name) ? "\n" . name : '')
set xlabel xlab
set ylabel ylab
set key outside right top vertical reverse Left width 2
set offsets graph 0.05, graph 0.05, graph 0.08, graph 0.05
if (hasbound) {
    set arrow 1 from bound, graph 0 to bound, graph 1 nohead dt 2 lw 1.5 lc rgb '#e15759'
    set label 1 'bound' at bound, graph 0.97 left offset 0.5, 0 font ',10' textcolor rgb '#e15759'
}
if (!front) { set xtics 1 }
plot datafile index 1 using 1:4:2:3:5:6 with xyerrorbars pt 7 ps 1.0 lw 1 \
         lc rgb '#bbbbbb' title 'infeasible', \
     datafile index 0 using 1:4:2:3:5:6 with xyerrorbars pt 7 ps 1.0 lw 1.2 \
         lc rgb palette[1] title 'eliminated', \
     datafile index 3 using 1:2 with steps lw 2 dt 1 lc rgb palette[3] \
         title (front ? 'Pareto front (means)' : ''), \
     datafile index 2 using 1:4:2:3:5:6 with xyerrorbars pt 3 ps 3 lw 2.5 \
         lc rgb palette[2] title 'chosen'
