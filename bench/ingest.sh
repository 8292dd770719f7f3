#!/usr/bin/env bash
# bench/ingest.sh - how fast `posko ingest` loads a season, against
# sqlite3's own `.import` of the same rows as CSV into the same schema,
# measured in the same run, and how much memory ingest takes as the log
# grows.
#
# bench/gen_wal.c writes COUNT generated complaints as real WAL segments
# (format 2, sealed, 64 MiB each) and the same rows as CSV, in the column
# order of the complaints table as a database made by posko has it.  Then,
# each into a fresh database made by posko (schema, indexes, WAL journal,
# synchronous FULL, as in production):
#
#   posko ingest     the WAL, COUNT/4 and COUNT complaints
#   sqlite3 .import  the CSV of COUNT complaints
#
# Time is wall-clock, memory the peak resident set (GNU time).  Ratios are
# reported, never asserted; the exit status is non-zero only when a load
# fails or the row counts differ.
#
# Environment: BENCH_INGEST_COUNT (default 1000000), POSKO_BIN, BENCH_OUT.
# Prints a markdown table and writes it to build/bench-ingest.md.
set -euo pipefail

BENCH_NAME=bench-ingest
. "$(dirname "$0")/lib.sh"
COUNT=${BENCH_INGEST_COUNT:-1000000}
SMALL=$((COUNT / 4))  # past one full 64 MiB segment, as COUNT is
OUT_MD=$OUT/bench-ingest.md

need_posko
need_packages sqlite3 time
build_gen_wal

bench_tmp bench-ingest
mkdir -p "$DIR/wal" "$DIR/wal-small" "$DIR/empty"

# a database with posko's schema and nothing in it, for each load; the
# CSV has its columns
"$POSKO" ingest --wal "$DIR/empty" --db "$DIR/template.db" >/dev/null
sqlite3 "$DIR/template.db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
COLUMNS=$(complaints_columns "$DIR/template.db")

echo "bench-ingest: generating $COUNT and $SMALL complaints"
"$GEN" --csv "$DIR/rows.csv" --columns "$COLUMNS" "$COUNT" "$DIR/wal"
"$GEN" "$SMALL" "$DIR/wal-small"
WAL_BYTES=$(du -sb "$DIR/wal" | cut -f1)
CSV_BYTES=$(stat -c %s "$DIR/rows.csv")

fresh() { cp "$DIR/template.db" "$1"; }

rows() { sqlite3 "$1" "SELECT count(*) FROM complaints"; }

fresh "$DIR/small.db"
fastest 1 "$POSKO" ingest --wal "$DIR/wal-small" --db "$DIR/small.db"
S_SECS=$SECS S_KB=$MAXKB
[ "$(rows "$DIR/small.db")" = "$SMALL" ] || die "ingest loaded $(rows "$DIR/small.db") of $SMALL"

fresh "$DIR/big.db"
fastest 1 "$POSKO" ingest --wal "$DIR/wal" --db "$DIR/big.db"
B_SECS=$SECS B_KB=$MAXKB
[ "$(rows "$DIR/big.db")" = "$COUNT" ] || die "ingest loaded $(rows "$DIR/big.db") of $COUNT"

fresh "$DIR/import.db"
fastest 1 sqlite3 "$DIR/import.db" "PRAGMA journal_mode = WAL;" \
    "PRAGMA synchronous = FULL;" ".import --csv $DIR/rows.csv complaints"
I_SECS=$SECS I_KB=$MAXKB
[ "$(rows "$DIR/import.db")" = "$COUNT" ] || die ".import loaded $(rows "$DIR/import.db") of $COUNT"

RATIO=$(ratio "$B_SECS" "$I_SECS")
MEM=$(ratio "$B_KB" "$S_KB")
RATE=$(awk -v n="$COUNT" -v s="$B_SECS" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
VERDICT=$(awk -v r="$RATIO" 'BEGIN { print (r <= 1.0 ? "MET" : "NOT MET") }')

{
    echo "posko ingest bench, $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores, $(uname -r), $(sqlite3 --version | cut -d' ' -f1)"
    echo
    echo "$COUNT complaints: WAL $((WAL_BYTES / 1048576)) MiB in $(ls "$DIR/wal" | wc -l) segments, CSV $((CSV_BYTES / 1048576)) MiB; load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "| load | rows | seconds | peak memory (MiB) |"
    echo "| --- | ---: | ---: | ---: |"
    echo "| \`posko ingest\` | $SMALL | $S_SECS | $((S_KB / 1024)) |"
    echo "| \`posko ingest\` | $COUNT | $B_SECS | $((B_KB / 1024)) |"
    echo "| \`sqlite3 .import\` (CSV) | $COUNT | $I_SECS | $((I_KB / 1024)) |"
    echo
    echo "ingest / .import time = $RATIO (target: 1.0 or less): $VERDICT; $RATE complaints a second"
    echo "ingest peak memory, $COUNT against $SMALL complaints = $MEM (flat is 1.0)"
} | tee "$OUT_MD"
