#!/usr/bin/env bash
# bench/report.sh - how long `posko report` takes, and how much memory,
# for seasons of 10 thousand, 100 thousand and a million complaints, and
# whether its time grows no faster than the data.
#
# Each season is made the way production makes it: bench/gen_wal.c
# --followups writes the complaints and the officers' follow-ups as real
# WAL segments over 40 days, and `posko ingest` loads them.  Then, on the
# season's last day:
#
#   scan     sqlite3 reading every column the report reads, once: the
#            floor no report can go under (the baseline of this run)
#   figures  `posko report --text`: every figure, no drawing
#   report   `posko report`: the PDF, five PNG charts, latest.pdf
#
# Each is run RUNS times (default 3); the fastest run is the one the
# shared machine disturbed least, and the median is printed beside it.  Time is
# wall-clock, memory the peak resident set (GNU time).  Ratios are
# reported, never asserted; the exit status is non-zero only when a step
# fails.
#
# Environment: BENCH_REPORT_COUNTS (default "10000 100000 1000000"),
# BENCH_REPORT_RUNS, POSKO_BIN, BENCH_OUT.  Prints a markdown table and
# writes it to build/bench-report.md.
set -euo pipefail

BENCH_NAME=bench-report
. "$(dirname "$0")/lib.sh"
COUNTS=${BENCH_REPORT_COUNTS:-10000 100000 1000000}
RUNS=${BENCH_REPORT_RUNS:-3}
OUT_MD=$OUT/bench-report.md
DAY=2026-07-07 # the generated seasons' last day, in Asia/Riyadh

need_posko
need_packages sqlite3 poppler-utils time
build_gen_wal
bench_tmp bench-report

# what report_scan.c reads, read once by sqlite3 itself
SCAN="SELECT count(*), sum(length(kode) + length(jenis) + length(kategori)
       + length(lokasi) + length(embarkasi) + ifnull(length(pelapor), 0)
       + ifnull(length(unit), 0) + length(received_at)
       + ifnull(length(verified_at), 0) + ifnull(length(solved_at), 0)
       + ifnull(length(closed_at), 0) + ifnull(length(due_verify), 0)
       + ifnull(length(due_solve), 0) + ifnull(faktual, 0)
       + ifnull(rating, 0)) FROM complaints"

ROWS=()
for count in $COUNTS; do
    echo "bench-report: a season of $count complaints" >&2
    mkdir -p "$DIR/wal-$count" "$DIR/out-$count"
    "$GEN" --followups "$count" "$DIR/wal-$count"
    "$POSKO" ingest --wal "$DIR/wal-$count" --db "$DIR/$count.db" \
        >"$DIR/ingest.out" || die "ingest of $count failed"
    loaded=$(sqlite3 "$DIR/$count.db" "SELECT count(*) FROM complaints")
    [ "$loaded" = "$count" ] || die "ingest loaded $loaded of $count"
    events=$(sqlite3 "$DIR/$count.db" "SELECT count(*) FROM events")

    fastest "$RUNS" sqlite3 "$DIR/$count.db" "$SCAN"
    scan=$SECS
    fastest "$RUNS" "$POSKO" report --db "$DIR/$count.db" --date "$DAY" --text
    figures=$SECS
    fastest "$RUNS" "$POSKO" report --db "$DIR/$count.db" --date "$DAY" \
        --out "$DIR/out-$count"
    report=$SECS report_median=$MEDIAN report_kb=$MAXKB
    pages=$(pdfinfo "$DIR/out-$count/posko-$DAY.pdf" | awk '/^Pages:/ { print $2 }')
    [ "$pages" = 6 ] || die "the report of $count has $pages pages"
    bytes=$(du -cb "$DIR/out-$count"/posko-"$DAY"* | tail -1 | cut -f1)

    ROWS+=("$count|$events|$scan|$figures|$report|$report_median|$((report_kb / 1024))|$(ratio "$report" "$scan")|$((bytes / 1024))")
    eval "REPORT_$count=$report"
    rm -rf "$DIR/wal-$count" "$DIR/$count.db"*
done

{
    echo "posko report bench, $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores, $(uname -r), cairo $(pkg-config --modversion cairo 2>/dev/null || echo '?'), pango $(pkg-config --modversion pango 2>/dev/null || echo '?'); fastest of $RUNS runs unless named median; load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "| complaints | follow-ups | scan (s) | figures (s) | report (s) | report, median (s) | report peak memory (MiB) | report / scan | output (KiB) |"
    echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for row in "${ROWS[@]}"; do
        echo "| ${row//|/ | } |"
    done
    echo
    set -- $COUNTS
    while [ $# -ge 2 ]; do
        a=$1 b=$2
        ta=$(eval echo "\$REPORT_$a") tb=$(eval echo "\$REPORT_$b")
        echo "report time, $b against $a complaints = $(ratio "$tb" "$ta") for $(ratio "$b" "$a") times the data"
        shift
    done
    last=$(echo "$COUNTS" | awk '{ print $NF }')
    tl=$(eval echo "\$REPORT_$last")
    if [ "$last" = 1000000 ]; then
        echo "a million complaints in $tl s (target: under 2 s): $(awk -v t="$tl" 'BEGIN { print (t < 2 ? "MET" : "NOT MET") }')"
    fi
} | tee "$OUT_MD"
