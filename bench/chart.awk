# chart.awk - BUILD/bench/chart.svg from BUILD/bench/summary.txt (bench.sh
# writes both; POSIX awk, no other tool).
#
# summary.txt: one line per peer and fixture (bench.sh peer_table):
#   LABEL PEER ok BOOTS INIT MIN MAX UPTIME PACKED CPIO FORMAT
#   LABEL PEER na WHY...
# The chart: one group per fixture (LABEL; the lab rows are left out), one
# bar per peer, two panels: the initramfs phase (init seconds, the median,
# a whisker from min to max) above, the image's packed size below, both on
# log scales; the floor's bar hatched and its median drawn as a dashed line
# across its group in both panels; a peer without a number: "n/a".

function log10(x) { return log(x) / log(10) }
function esc(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s); return s }
# y of V in a log panel from 10^LO (at BOTTOM) to 10^HI (at TOP)
function ly(v, lo, hi, top, bottom) {
	if (v <= 0) return bottom
	v = log10(v)
	if (v < lo) v = lo
	return bottom - (v - lo) / (hi - lo) * (bottom - top)
}
# the grid and tick labels of a log panel: 1 and 3 of each decade (s),
# powers of 4 from 1 KiB (bytes)
function axis(lo, hi, top, bottom, unit,    i, v, y, lab) {
	for (i = 0; ; i++) {
		v = unit == "s" ? (i % 2 ? 3 : 1) * 10 ^ (lo + int(i / 2)) : 1024 * 4 ^ i
		if (v > 10 ^ hi) break
		if (v < 10 ^ lo) continue
		y = ly(v, lo, hi, top, bottom)
		printf "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", left, y, width - right, y
		if (unit == "s") lab = sprintf("%g s", v)
		else lab = v >= 1048576 ? sprintf("%g MiB", v / 1048576) : sprintf("%g KiB", v / 1024)
		printf "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" class=\"tick\">%s</text>\n", left - 4, y + 4, lab
	}
}

BEGIN {
	known = "evbox evbox-base floor itools-dep itools-most itools-netboot dracut-gen dracut-host tiny"
	nk = split(known, kp, " ")
	split("#1f77b4 #9ecae1 #7f7f7f #ff7f0e #fdae6b #d62728 #2ca02c #98df8a #9467bd", kc, " ")
	for (i = 1; i <= nk; i++) { color[kp[i]] = kc[i]; rank[kp[i]] = i }
}
$1 ~ /lab/ { next }
$3 == "ok" || $3 == "na" {
	l = $1; p = $2
	if (!(l in seen)) { seen[l] = 1; grp[++ng] = l }
	if (!((l, p) in has)) { has[l, p] = 1; np[l]++ }
	if (!(p in rank)) { rank[p] = ++nk; kp[nk] = p; color[p] = "#bcbd22" }
	used[p] = 1
	if ($3 == "ok") {
		ok[l, p] = 1; med[l, p] = $5; lo[l, p] = $6; hi[l, p] = $7; size[l, p] = $9
		if ($7 > tmax) tmax = $7
		if (tmin == "" || $6 < tmin) tmin = $6
		if ($9 ~ /^[0-9]+$/) { if ($9 > smax) smax = $9; if (smin == "" || $9 < smin) smin = $9 }
	}
}
END {
	if (ng == 0) exit 1
	bw = 14; gap = 26; left = 70; right = 20
	x = left + 10
	for (g = 1; g <= ng; g++) { gx[g] = x; x += np[grp[g]] * bw + gap }
	width = x + right - gap + 10
	if (width < 720) width = 720
	# the panels: time 10^tlo .. 10^thi s, size 10^slo .. 10^shi bytes
	tlo = int(log10(tmin > 0 ? tmin : 0.1)); if (10 ^ tlo > tmin) tlo--
	thi = int(log10(tmax)); if (10 ^ thi < tmax) thi++
	slo = int(log10(smin > 0 ? smin : 1024)); if (10 ^ slo > smin) slo--
	shi = int(log10(smax > 0 ? smax : 1048576)); if (10 ^ shi < smax) shi++
	legend_h = 22 * int((nk + 4) / 5)
	t1 = 60 + legend_h; b1 = t1 + 280
	t2 = b1 + 60; b2 = t2 + 200
	height = b2 + 70

	printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n", width, height, width, height
	print "<style>.tick{font-size:10px;fill:#444}.na{font-size:9px;fill:#888}.grp{font-size:11px;font-weight:bold}.title{font-size:13px;font-weight:bold}</style>"
	print "<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#ccc\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#555\" stroke-width=\"3\"/></pattern></defs>"
	printf "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", width, height
	printf "<text x=\"%d\" y=\"22\" class=\"title\">evbox bench: each fixture, each peer (QEMU TCG)</text>\n", left

	# the legend: the peers that have a row somewhere, in the known order
	lx = left; lyy = 44; c = 0
	for (i = 1; i <= nk; i++) {
		p = kp[i]
		if (!(p in used)) continue
		fill = p == "floor" ? "url(#hatch)" : color[p]
		printf "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\" stroke=\"#333\" stroke-width=\"0.5\"/>\n", lx, lyy - 10, fill
		printf "<text x=\"%d\" y=\"%d\">%s</text>\n", lx + 16, lyy, esc(p)
		lx += 130; c++
		if (c % 5 == 0) { lx = left; lyy += 22 }
	}
	if ("floor" in used) {
		printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\" stroke-dasharray=\"5,3\" stroke-width=\"1.5\"/>\n", lx, lyy - 4, lx + 24, lyy - 4
		printf "<text x=\"%d\" y=\"%d\">the floor (its median)</text>\n", lx + 30, lyy
	}

	printf "<text x=\"%d\" y=\"%d\" class=\"title\">initramfs phase, s: Run /init -&gt; real root (median; whisker min-max; log)</text>\n", left, t1 - 12
	axis(tlo, thi, t1, b1, "s")
	printf "<text x=\"%d\" y=\"%d\" class=\"title\">image size: the packed (compressed) file (log)</text>\n", left, t2 - 12
	axis(slo, shi, t2, b2, "b")

	for (g = 1; g <= ng; g++) {
		l = grp[g]; x = gx[g]; w = np[l] * bw
		if (g > 1) printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#bbb\"/>\n", x - gap / 2, t1, x - gap / 2, b2
		printf "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" class=\"grp\">%s</text>\n", x + w / 2, b2 + 18, esc(l)
		printf "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" class=\"grp\">%s</text>\n", x + w / 2, b1 + 18, esc(l)
		s = 0
		for (i = 1; i <= nk; i++) {
			p = kp[i]
			if (!((l, p) in has)) continue
			bx = x + s * bw; s++
			fill = p == "floor" ? "url(#hatch)" : color[p]
			if (!((l, p) in ok)) {
				printf "<text x=\"%.1f\" y=\"%d\" class=\"na\" transform=\"rotate(-90 %.1f %d)\">%s n/a</text>\n", bx + bw / 2 + 3, b1 - 4, bx + bw / 2 + 3, b1 - 4, esc(p)
				printf "<text x=\"%.1f\" y=\"%d\" class=\"na\" transform=\"rotate(-90 %.1f %d)\">n/a</text>\n", bx + bw / 2 + 3, b2 - 4, bx + bw / 2 + 3, b2 - 4
				continue
			}
			y = ly(med[l, p], tlo, thi, t1, b1)
			printf "<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\" stroke=\"#333\" stroke-width=\"0.5\"><title>%s %s: init %.3f s (%.2f-%.2f)</title></rect>\n", bx + 1, y, bw - 2, b1 - y, fill, esc(p), esc(l), med[l, p], lo[l, p], hi[l, p]
			y1 = ly(lo[l, p], tlo, thi, t1, b1); y2 = ly(hi[l, p], tlo, thi, t1, b1)
			printf "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n", bx + bw / 2, y1, bx + bw / 2, y2
			printf "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n", bx + 3, y1, bx + bw - 3, y1
			printf "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n", bx + 3, y2, bx + bw - 3, y2
			printf "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"start\" transform=\"rotate(-90 %.1f %.1f)\">%.2f</text>\n", bx + bw / 2 + 3, y2 - 3, bx + bw / 2 + 3, y2 - 3, med[l, p]
			if (size[l, p] ~ /^[0-9]+$/) {
				y = ly(size[l, p], slo, shi, t2, b2)
				printf "<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\" stroke=\"#333\" stroke-width=\"0.5\"><title>%s %s: %d bytes packed</title></rect>\n", bx + 1, y, bw - 2, b2 - y, fill, esc(p), esc(l), size[l, p]
			}
		}
		if ((l, "floor") in ok) {
			y = ly(med[l, "floor"], tlo, thi, t1, b1)
			printf "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"black\" stroke-dasharray=\"5,3\" stroke-width=\"1.5\"/>\n", x - 4, y, x + w + 4, y
			if (size[l, "floor"] ~ /^[0-9]+$/) {
				y = ly(size[l, "floor"], slo, shi, t2, b2)
				printf "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"black\" stroke-dasharray=\"5,3\" stroke-width=\"1.5\"/>\n", x - 4, y, x + w + 4, y
			}
		}
	}
	printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", left, b1, width - right, b1
	printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", left, b2, width - right, b2
	printf "<text x=\"%d\" y=\"%d\" class=\"tick\">init: minus the passphrase wait where one is typed; degraded: a member missing;</text>\n", left, height - 28
	printf "<text x=\"%d\" y=\"%d\" class=\"tick\">net-*: a client of the test bed's server VM; the numbers: results.md</text>\n", left, height - 14
	print "</svg>"
}
