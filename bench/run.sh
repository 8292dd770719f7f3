#!/usr/bin/env bash
# bench/run.sh - requests per second and latency of the posko intake,
# measured against nginx's own `return 204` in the same run, on 127.0.0.1.
#
# One private nginx (Debian's /usr/sbin/nginx, 2 workers) with the posko
# module serves three locations on one port:
#
#   /baseline       return 204;                      nginx doing nothing
#   /kirim          posko_intake; posko_wal_sync on  durable group commit
#   /kirim-nosync   posko_intake; posko_wal_sync off write() only, no sync
#
# wrk POSTs the same urlencoded complaint (about 400 bytes) to each, in
# interleaved rounds; the best round per target is reported. Afterwards
# the WAL folders are loaded with `posko ingest` and the records counted
# against the 201 answers wrk saw.
#
# Environment:
#   BENCH_SECONDS      seconds per measured run            (default 10)
#   BENCH_ROUNDS       rounds over the three targets       (default 2)
#   BENCH_WARMUP       seconds of warm-up before each run  (default 2)
#   BENCH_CONNECTIONS  wrk -c                              (default 64)
#   BENCH_THREADS      wrk -t                              (default 2)
#   POSKO_NGINX, POSKO_MODULE, POSKO_BIN  as in t/lib/PoskoTest.pm
#   BENCH_OUT          where the table goes                (default build/)
#
# Ratios are reported, never asserted: the exit status is non-zero only
# when something failed (an unexpected status, a socket error, nginx not
# starting, WAL records not matching the accepted submissions).
#
# Prints a markdown table and writes it to build/bench-latest.md.
set -euo pipefail

BENCH_NAME=bench
. "$(dirname "$0")/lib.sh"
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
ROUNDS=${BENCH_ROUNDS:-2}
WARMUP=${BENCH_WARMUP:-2}
CONNS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
TARGET_RATIO=0.6
OUT_MD=$OUT/bench-latest.md

need_packages wrk
need_posko module

# -- a private nginx ------------------------------------------------------

bench_tmp bench
mkdir -p "$DIR/logs" "$DIR/tmp" "$DIR/wal-sync" "$DIR/wal-nosync"

PORT=$(free_port)

{
    nginx_conf_top
    cat <<CONF
    posko_wal $DIR/wal-sync;

    server {
        listen 127.0.0.1:$PORT;

$(posko_locations)
    }
}
CONF
} >"$DIR/nginx.conf"

nginx_start "$PORT"

# -- the wrk script -------------------------------------------------------

post_lua "$DIR/post.lua"

# -- running --------------------------------------------------------------

declare -A EXPECT=([baseline]=204 [kirim]=201 [kirim-nosync]=201)
declare -A ACCEPTED=([kirim]=0 [kirim-nosync]=0)
TARGETS=(baseline kirim kirim-nosync)
FAILED=0

# sum of write() calls (sockets and files) made by the nginx workers,
# threads included: used to estimate the WAL batches per run
worker_syscw() {
    local total=0 pid n
    for pid in $(pgrep -P "$(cat "$DIR/nginx.pid")"); do
        n=$(awk '/^syscw:/ {print $2}' "/proc/$pid/io" 2>/dev/null || echo 0)
        total=$((total + ${n:-0}))
    done
    echo "$total"
}

# check_statuses NAME OUTFILE: counts the expected answers, fails on others
check_statuses() {
    local n
    n=$(wrk_statuses "$1" "$2" "${EXPECT[$1]}") || FAILED=1
    if [ "${EXPECT[$1]}" = 201 ]; then
        ACCEPTED[$1]=$(( ${ACCEPTED[$1]} + n ))
    fi
}

run_wrk() {  # run_wrk NAME SECONDS OUTFILE
    wrk -t"$THREADS" -c"$CONNS" -d"$2"s --latency -s "$DIR/post.lua" \
        "http://127.0.0.1:$PORT/$1" >"$3" 2>&1 \
        || { echo "bench: FAIL: wrk on /$1 exited non-zero" >&2; cat "$3" >&2; FAILED=1; }
    check_statuses "$1" "$3"
}

declare -A RPS P50 P99 BATCH
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# the disk under the WAL: milliseconds per 4 KiB append with O_DSYNC,
# which is what one fdatasync of a group commit costs at the least
SYNC_MS=$(sync_probe_ms)
echo "bench: the disk takes ${SYNC_MS:-?} ms per 4 KiB O_DSYNC append"

echo "bench: nginx on 127.0.0.1:$PORT, $(nproc) cores, load $LOAD_BEFORE"
echo "bench: wrk -t$THREADS -c$CONNS -d${SECONDS_PER_RUN}s --latency," \
     "$ROUNDS rounds, ${WARMUP}s warm-up each, body ${#BODY} bytes"

for round in $(seq 1 "$ROUNDS"); do
    # odd rounds forward, even rounds backward, so drift hits all alike
    order=("${TARGETS[@]}")
    if [ $((round % 2)) = 0 ]; then
        order=(kirim-nosync kirim baseline)
    fi
    for name in "${order[@]}"; do
        run_wrk "$name" "$WARMUP" "$DIR/warm-$name-$round.txt"
        before=$(worker_syscw)
        out="$DIR/run-$name-$round.txt"
        run_wrk "$name" "$SECONDS_PER_RUN" "$out"
        after=$(worker_syscw)

        rps=$(wrk_field "$out" rps)
        p50=$(wrk_field "$out" p50)
        p99=$(wrk_field "$out" p99)
        reqs=$(wrk_field "$out" requests)
        [ -n "$rps" ] || { echo "bench: FAIL: no result for /$name" >&2; FAILED=1; continue; }
        # writes beyond one per answer: each WAL batch makes two, its
        # pwrite() to the segment and the flusher's eventfd wake-up
        batches=$(( ((after - before) - reqs) / 2 ))
        printf 'bench: round %d %-13s %10s req/s  p50 %8s ms  p99 %8s ms  (%s requests, %s WAL batches)\n' \
            "$round" "/$name" "$rps" "$p50" "$p99" "$reqs" "$batches"

        BATCH[$name,$round]="$reqs $batches"
        if [ -z "${RPS[$name]:-}" ] || awk -v a="$rps" -v b="${RPS[$name]}" 'BEGIN {exit !(a > b)}'; then
            RPS[$name]=$rps P50[$name]=$p50 P99[$name]=$p99
            BATCH[$name]="$reqs $batches"
        fi
    done
done

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

error_log_summary "$DIR/logs/error.log"

nginx_stop

# -- the WAL against the answers ------------------------------------------

declare -A LOADED VERDICT WALBYTES EXTRA
for name in kirim kirim-nosync; do
    wal=$DIR/wal-sync
    [ "$name" = kirim-nosync ] && wal=$DIR/wal-nosync
    line=$("$POSKO" ingest --wal "$wal" --db "$DIR/$name.db" | grep '^ingest:') \
        || die "posko ingest failed on $wal"
    LOADED[$name]=$(echo "$line" | awk '{print $2}')
    quarantined=$(echo "$line" | awk '{print $4}')
    bytes=$(du -sb "$wal" | cut -f1)
    # wrk stops with up to -c requests in flight: nginx accepted (and
    # logged) them, but wrk did not read the 201; so the WAL may hold up
    # to CONNS records more than wrk counted per wrk run, never fewer
    extra=$(( ${LOADED[$name]} - ${ACCEPTED[$name]} ))
    if [ "$quarantined" = 0 ] && [ "$extra" -ge 0 ] \
        && [ "$extra" -le $(( CONNS * ROUNDS * 2 )) ]; then
        verdict=OK
    else
        verdict=MISMATCH
        FAILED=1
    fi
    echo "bench: /$name: ${ACCEPTED[$name]} 201s read by wrk, WAL holds" \
         "${LOADED[$name]} records ($extra in flight when wrk stopped," \
         "$quarantined quarantined, $bytes bytes): $verdict"
    EXTRA[$name]=$extra
    VERDICT[$name]=$verdict
    WALBYTES[$name]=$bytes
done

# -- the table ------------------------------------------------------------

base=${RPS[baseline]:-0}
durable_ratio=$(ratio "${RPS[kirim]:-0}" "$base")
nosync_ratio=$(ratio "${RPS[kirim-nosync]:-0}" "$base")
if awk -v r="$durable_ratio" -v t="$TARGET_RATIO" 'BEGIN {exit !(r >= t)}'; then
    verdict=PASS
else
    verdict=BELOW
fi

per_batch() {  # requests per WAL batch of the best /kirim round
    read -r reqs batches <<<"${BATCH[kirim]:-0 0}"
    if [ "${batches:-0}" -gt 0 ]; then
        awk -v r="$reqs" -v b="$batches" -v s="$SECONDS_PER_RUN" 'BEGIN {
            printf "%.1f (%.0f fdatasync/s for both workers, %.2f ms of wall time each per worker)",
                r / b, b / s, 2000 * s / b }'
    else
        echo "n/a"
    fi
}

{
    echo "posko bench, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores," \
         "$(uname -r), nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///')"
    echo
    echo "wrk -t$THREADS -c$CONNS -d${SECONDS_PER_RUN}s --latency, POST of" \
         "${#BODY} bytes, best of $ROUNDS interleaved rounds;" \
         "load average $LOAD_BEFORE before, $LOAD_AFTER after"
    echo
    echo "| target | req/s | p50 (ms) | p99 (ms) | ratio to baseline |"
    echo "| --- | ---: | ---: | ---: | ---: |"
    for name in "${TARGETS[@]}"; do
        printf '| `/%s` | %.0f | %.2f | %.2f | %s |\n' "$name" \
            "${RPS[$name]:-0}" "${P50[$name]:-0}" "${P99[$name]:-0}" \
            "$(ratio "${RPS[$name]:-0}" "$base")"
    done
    echo
    echo "durable / baseline = $durable_ratio (target $TARGET_RATIO): $verdict;" \
         "no-sync / baseline = $nosync_ratio"
    echo
    echo "records per fdatasync (group commit batch) in the best /kirim run," \
         "estimated from the workers' write() calls: $(per_batch);" \
         "a lone dd on the same disk: ${SYNC_MS:-?} ms per 4 KiB O_DSYNC append"
    echo
    echo "| WAL | 201s read by wrk | records loaded by posko ingest | in flight at wrk's stop | bytes | check |"
    echo "| --- | ---: | ---: | ---: | ---: | --- |"
    for name in kirim kirim-nosync; do
        echo "| \`/$name\` | ${ACCEPTED[$name]} | ${LOADED[$name]:-?} |" \
             "${EXTRA[$name]:-?} | ${WALBYTES[$name]:-?} | ${VERDICT[$name]:-?} |"
    done
} | tee "$OUT_MD"

echo
echo "bench: written to ${OUT_MD#"$ROOT"/} after ${SECONDS}s"
if [ "$FAILED" != 0 ]; then
    die "FAILED (see the messages above)"
fi
