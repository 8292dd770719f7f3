#!/usr/bin/env bash
# bench/status.sh - the pilgrim's status page under load: requests per
# second, p50 and p99 of `GET /status?kode=...` against nginx's own
# `return 204` for a GET, in the same run, on 127.0.0.1.
#
# A season of COUNT complaints with their follow-ups (bench/gen_wal.c
# --followups, loaded by `posko ingest`) is the database.  wrk asks for a
# different code each request, from LOOKUPS codes of that season (one in
# ten of them removed from the database, which SQLite looks up too), and
# checks every answer is 200.  Each lookup runs in nginx's thread pool
# on a per-thread read-only SQLite connection (ngx_http_posko_status.c);
# the question is how much of nginx's speed that leaves, and what it
# does to the latency of everyone else on the event loop.
#
# Environment: BENCH_STATUS_COUNT (default 100000), BENCH_SECONDS (10),
# BENCH_ROUNDS (2), BENCH_CONNECTIONS (64), BENCH_THREADS (2),
# BENCH_POOL_THREADS (nginx's thread pool, default 32 as nginx's own),
# POSKO_NGINX, POSKO_MODULE, POSKO_BIN, BENCH_OUT.  Ratios are reported,
# never asserted.  Prints a markdown table and writes build/bench-status.md.
set -euo pipefail

BENCH_NAME=bench-status
. "$(dirname "$0")/lib.sh"
COUNT=${BENCH_STATUS_COUNT:-100000}
LOOKUPS=10000
SECS=${BENCH_SECONDS:-10}
ROUNDS=${BENCH_ROUNDS:-2}
CONNS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
OUT_MD=$OUT/bench-status.md

need_posko module
need_packages wrk sqlite3
build_gen_wal
bench_tmp bench-status
mkdir -p "$DIR/wal" "$DIR/logs" "$DIR/tmp"

echo "bench-status: a season of $COUNT complaints" >&2
"$GEN" --followups "$COUNT" "$DIR/wal"
"$POSKO" ingest --wal "$DIR/wal" --db "$DIR/posko.db" >/dev/null \
    || die "ingest failed"
rm -rf "$DIR/wal"
mkdir -p "$DIR/wal"

# the codes wrk asks for, spread over the season; one in ten is taken out
# of the database, so that it reads as a code received but not loaded yet
STEP=$((COUNT / LOOKUPS > 0 ? COUNT / LOOKUPS : 1))
{
    echo "codes = {"
    sqlite3 "$DIR/posko.db" "SELECT '\"' || kode || '\",' FROM complaints
        WHERE id % $STEP = 0 LIMIT $LOOKUPS"
    echo "}"
} >"$DIR/codes.lua"
sqlite3 "$DIR/posko.db" "DELETE FROM complaints WHERE id % ($STEP * 10) = 0"

PORT=$(free_port)
{
    nginx_conf_top "thread_pool default threads=${BENCH_POOL_THREADS:-32};"
    cat <<CONF
    posko_wal $DIR/wal;
    posko_db $DIR/posko.db;
    server {
        listen 127.0.0.1:$PORT;
        location = /baseline { return 204; }
        location = /status { posko_status; }
    }
}
CONF
} >"$DIR/nginx.conf"
nginx_start "$PORT"

{
    cat <<'LUA'
-- one GET per request, each for the next code; counts answers by status
dofile(os.getenv("CODES"))
local i = 0
function start(args)
    i = math.random(#codes)
end
function request()
    if wrk.path == "/baseline" then return wrk.format("GET", "/baseline") end
    i = i % #codes + 1
    return wrk.format("GET", "/status?kode=" .. codes[i])
end
LUA
    wrk_counter_lua
} >"$DIR/get.lua"

declare -A RPS P50 P99
FAILED=0
for round in $(seq 1 "$ROUNDS"); do
    for target in baseline status; do
        out="$DIR/wrk-$target-$round"
        want=$([ "$target" = baseline ] && echo 204 || echo 200)
        CODES="$DIR/codes.lua" wrk -t"$THREADS" -c"$CONNS" -d"${SECS}s" \
            --latency -s "$DIR/get.lua" "http://127.0.0.1:$PORT/$target" \
            >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed on /$target"; }
        wrk_statuses "$target" "$out" "$want" >/dev/null || FAILED=1
        rps=$(printf '%.0f' "$(wrk_field "$out" rps)")
        if [ -z "${RPS[$target]:-}" ] || [ "$rps" -gt "${RPS[$target]}" ]; then
            RPS[$target]=$rps
            P50[$target]=$(wrk_field "$out" p50)
            P99[$target]=$(wrk_field "$out" p99)
        fi
    done
done
error_log_summary "$DIR/logs/error.log"

{
    echo "posko status-page bench, $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores, $COUNT complaints, wrk -t$THREADS -c$CONNS -d${SECS}s, best of $ROUNDS rounds; load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "| target | requests/s | p50 (ms) | p99 (ms) |"
    echo "| --- | ---: | ---: | ---: |"
    echo "| \`return 204\` (GET) | ${RPS[baseline]} | ${P50[baseline]} | ${P99[baseline]} |"
    echo "| \`posko_status\` (GET ?kode=, HTML) | ${RPS[status]} | ${P50[status]} | ${P99[status]} |"
    echo
    echo "status / return 204 = $(ratio "${RPS[status]}" "${RPS[baseline]}")"
} | tee "$OUT_MD"
exit "$FAILED"
