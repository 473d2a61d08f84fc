# backtest.gp -- one curve of a backtest (backtest --plot, provsim plot,
# provsim report): the simulated mean and 90% band over replications (the
# 5% and 95% points of each minute) against what the log shows, minute by
# minute from the logged rollout's start.
#
# Variables: datafile (a temporary file sim/out/plot_backtest.c writes
# from backtest.json, in backtest.csv's layout: minute,t_s, then per curve
# observed, mean, p5, p95), col (the curve's observed column, 1-based;
# mean, p5 and p95 follow), has_obs (0: the log cannot show this curve),
# xoff (seconds since 1970, naive local time, of minute 0), name
# (scenario), title, ylabel. Each value counts one minute, so it is drawn
# as a step over it and the band as one box per minute.
set xdata time
set format x "%H:%M"
set title title . (strlen(name) ? "\n" . name : '')
set xlabel 'wall-clock time (scenario local time), minutes from the rollout'
set ylabel ylabel
set yrange [0:*]
set key inside top right
set offsets 0, 0, graph 0.12, 0
x(t) = t + xoff
if (has_obs) {
    plot datafile skip 1 using (x($2) + 30):((column(col+2) + column(col+3)) / 2):(30): \
             ((column(col+3) - column(col+2)) / 2) with boxxyerror lc rgb '#c6dbef' \
             title 'simulated 90% band', \
         '' skip 1 using (x($2)):(column(col+1)) with steps lw 2 lc rgb '#4e79a7' \
             title 'simulated mean', \
         '' skip 1 using (x($2)):(column(col)) with steps lw 2.5 lc rgb '#e15759' \
             title 'observed (log)'
} else {
    plot datafile skip 1 using (x($2) + 30):((column(col+2) + column(col+3)) / 2):(30): \
             ((column(col+3) - column(col+2)) / 2) with boxxyerror lc rgb '#c6dbef' \
             title 'simulated 90% band', \
         '' skip 1 using (x($2)):(column(col+1)) with steps lw 2 lc rgb '#4e79a7' \
             title 'simulated mean (not in the log)'
}
