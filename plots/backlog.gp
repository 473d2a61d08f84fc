# backlog.gp -- a run's backlog over wall-clock time: queued, waiting for a
# retry and in flight (stacked: their top edge is the whole backlog), and
# the failed tasks an admin sees in the provisioning console.
#
# Variables: datafile (series CSV: t_s,clock,queued,waiting_retry,
# in_flight,failed_tasks,...), name (scenario), xoff (seconds since 1970,
# naive local time, of t_s = 0), xmin, xmax (the window shown, same scale),
# xtic0, xticstep (ticks from xtic0 every xticstep seconds).
# The counts are samples of a state that holds until the next sample, so
# they are drawn as steps, not slopes.
set xdata time
set format x "%a %H:%M"
set xrange [xmin:xmax]
set xtics xtic0, xticstep, xmax
# room right of the axis for half of a tick label at xmax ("Tue 10:50")
set rmargin at screen 0.955
set yrange [0:*]
set title 'Backlog and failed tasks' . (strlen(name) ? "\n" . name : '')
set xlabel 'wall-clock time (scenario local time)'
set ylabel 'jobs'
set key inside top right horizontal
# headroom above the data for the one-line legend
set offsets 0, 0, graph 0.12, 0
x(t) = t + xoff
plot datafile skip 1 using (x($1)):($3+$4+$5) with fillsteps lc rgb '#a0cbe8' title 'queued', \
     '' skip 1 using (x($1)):($4+$5) with fillsteps lc rgb '#ffbe7d' title 'waiting for retry', \
     '' skip 1 using (x($1)):5 with fillsteps lc rgb '#59a14f' title 'in flight', \
     '' skip 1 using (x($1)):6 with steps lw 2.5 lc rgb '#e15759' title 'failed tasks'
