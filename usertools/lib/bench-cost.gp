# SPDX-License-Identifier: BSD-3-Clause
# Instructions per packet against burst size, from bench-cost.sh's rows
# (gnuplot -e "rows='FILE'; out='PNG'" bench-cost.gp).
set terminal pngcairo size 800,480 noenhanced
set output out
set datafile separator "\t"
set title "virtio-mmio PMD: instructions per packet (callgrind, device model excluded)"
set xlabel "burst size"
set ylabel "instructions / packet"
set logscale x 2
set xtics (1, 2, 4, 8, 16, 32, 64)
set xrange [0.8:40]
set yrange [0:*]
set grid
set key top right
sel(v, d) = (strcol(1) eq v && strcol(2) eq d) ? ($6 - $7) / $4 : NaN
# legacy dashed over modern: the two datapaths are the same code
plot rows using 3:(sel("modern", "rx")) with linespoints lw 3 pt 7 lc 1 title "modern rx", \
	rows using 3:(sel("modern", "tx")) with linespoints lw 3 pt 7 lc 2 title "modern tx", \
	rows using 3:(sel("legacy", "rx")) with linespoints lw 1 dt 2 pt 6 ps 2 lc 3 title "legacy rx", \
	rows using 3:(sel("legacy", "tx")) with linespoints lw 1 dt 2 pt 6 ps 2 lc 4 title "legacy tx", \
	rows using 3:(sel("modern-offload", "rx")) with linespoints lw 2 pt 5 lc 1 dt 3 title "modern rx, offload path", \
	rows using 3:(sel("modern-offload", "tx")) with linespoints lw 2 pt 5 lc 2 dt 3 title "modern tx, offload path", \
	rows using 3:(sel("packed", "rx")) with linespoints lw 2 pt 9 lc 5 title "packed rx", \
	rows using 3:(sel("packed", "tx")) with linespoints lw 2 pt 9 lc 6 title "packed tx", \
	rows using 3:(sel("packed-offload", "rx")) with linespoints lw 1 pt 8 lc 5 dt 3 title "packed rx, offload path", \
	rows using 3:(sel("packed-offload", "tx")) with linespoints lw 1 pt 8 lc 6 dt 3 title "packed tx, offload path"
