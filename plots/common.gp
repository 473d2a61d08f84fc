# common.gp -- style shared by every provsim chart; provsim runs it before
# each chart's own script (after choosing the terminal and the output).
#
# provsim writes every string that reaches gnuplot (scenario names, varied
# values, file names) as single-quoted text, with each apostrophe as the
# separate string "'" joined by '.', and control characters replaced:
# gnuplot expands neither backquotes nor macros inside single quotes, and
# the terminal is noenhanced, so a name is only ever text. Scripts use
# strings only as titles and labels: never as a format, a command (system,
# load, eval, pipes) or a file name.
set encoding utf8
set border 3 lw 1.2 lc rgb '#444444'
set tics nomirror out scale 0.6 textcolor rgb '#222222'
set grid xtics ytics lw 1 lc rgb '#dddddd' dt 1
set key noautotitle samplen 2.5 spacing 1.2 width 1
set title font ',15'
set datafile separator comma
set datafile missing 'NaN'
set style fill solid 1.0 noborder
# one colour per series (Tableau 10): scenarios, lines and curves
array palette[10] = ['#4e79a7', '#e15759', '#59a14f', '#f28e2b', '#76b7b2', \
                     '#b07aa1', '#edc948', '#ff9da7', '#9c755f', '#bab0ac']
