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
# POSKO_NGINX, POSKO_MODULE, POSKO_BIN.  Ratios are reported, never
# asserted.  Prints a markdown table and writes build/bench-status.md.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
NGINX=${POSKO_NGINX:-/usr/sbin/nginx}
MODULE=${POSKO_MODULE:-$ROOT/build/ngx_http_posko_module.so}
POSKO=${POSKO_BIN:-$ROOT/build/posko}
COUNT=${BENCH_STATUS_COUNT:-100000}
LOOKUPS=10000
SECS=${BENCH_SECONDS:-10}
ROUNDS=${BENCH_ROUNDS:-2}
CONNS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
OUT_MD=$ROOT/build/bench-status.md
GEN=$ROOT/build/gen_wal

die() { echo "bench-status: $*" >&2; exit 1; }

command -v wrk >/dev/null || die "wrk is missing (make bench installs it)"
command -v sqlite3 >/dev/null || die "sqlite3 is missing"
[ -x "$POSKO" ] && [ -f "$MODULE" ] || die "run make first"

cc -O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -I"$ROOT/include" \
    -o "$GEN" "$ROOT/bench/gen_wal.c" "$ROOT/include/posko_wal.c" \
    "$ROOT/include/posko_kode.c" "$ROOT/include/posko_form.c" \
    "$ROOT/include/posko_followup.c" -lisal

DIR=$(mktemp -d "${TMPDIR:-/tmp}/posko-bench-status-XXXXXX")
cleanup() {
    [ -s "$DIR/nginx.pid" ] && kill -QUIT "$(cat "$DIR/nginx.pid")" 2>/dev/null
    sleep 0.3
    rm -rf "$DIR"
}
trap cleanup EXIT
mkdir -p "$DIR/wal" "$DIR/logs" "$DIR/tmp"

echo "bench-status: a season of $COUNT complaints" >&2
"$GEN" --followups "$COUNT" "$DIR/wal" "$DIR/rows.csv"
"$POSKO" ingest --wal "$DIR/wal" --db "$DIR/posko.db" >/dev/null \
    || die "ingest failed"
rm -rf "$DIR/wal" "$DIR/rows.csv"
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

PORT=$(perl -MIO::Socket::INET -e '
    my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => 0,
        Proto => "tcp", Listen => 1, ReuseAddr => 1) or die "no port: $!";
    print $s->sockport;')
USER_LINE=""
[ "$(id -u)" = 0 ] && USER_LINE="user root root;"

cat >"$DIR/nginx.conf" <<CONF
load_module $MODULE;
thread_pool default threads=${BENCH_POOL_THREADS:-32};
$USER_LINE
worker_processes 2;
pid $DIR/nginx.pid;
error_log $DIR/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $DIR/tmp/body;
    proxy_temp_path $DIR/tmp/proxy;
    fastcgi_temp_path $DIR/tmp/fastcgi;
    uwsgi_temp_path $DIR/tmp/uwsgi;
    scgi_temp_path $DIR/tmp/scgi;
    posko_wal $DIR/wal;
    posko_db $DIR/posko.db;
    server {
        listen 127.0.0.1:$PORT;
        location = /baseline { return 204; }
        location = /status { posko_status; }
    }
}
CONF
"$NGINX" -p "$DIR" -c "$DIR/nginx.conf" || die "nginx did not start"
sleep 0.3

cat >"$DIR/get.lua" <<'LUA'
-- one GET per request, each for the next code; counts answers by status
dofile(os.getenv("CODES"))
local i = 0
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
    counts = {}
    i = math.random(#codes)
end
function request()
    if wrk.path == "/baseline" then return wrk.format("GET", "/baseline") end
    i = i % #codes + 1
    return wrk.format("GET", "/status?kode=" .. codes[i])
end
function response(status) counts[status] = (counts[status] or 0) + 1 end
function done(summary)
    for _, t in ipairs(threads) do
        for k, v in pairs(t:get("counts")) do
            io.write(string.format("STATUS %d %d\n", k, v))
        end
    end
    io.write(string.format("ERRORS %d\n", summary.errors.connect
        + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA

to_ms() {
    awk -v v="$1" 'BEGIN { n = v + 0
        if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n;
        else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}

declare -A RPS P50 P99
FAILED=0
for round in $(seq 1 "$ROUNDS"); do
    for target in baseline status; do
        out="$DIR/wrk-$target-$round"
        want=$([ "$target" = baseline ] && echo 204 || echo 200)
        CODES="$DIR/codes.lua" wrk -t"$THREADS" -c"$CONNS" -d"${SECS}s" \
            --latency -s "$DIR/get.lua" "http://127.0.0.1:$PORT/$target" \
            >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed on /$target"; }
        if grep '^STATUS ' "$out" | grep -qv "^STATUS $want " ||
           ! grep -q '^ERRORS 0$' "$out"; then
            echo "bench-status: FAIL: /$target answered:" >&2
            grep -E '^(STATUS|ERRORS)' "$out" >&2
            FAILED=1
        fi
        rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")
        if [ -z "${RPS[$target]:-}" ] || [ "$rps" -gt "${RPS[$target]}" ]; then
            RPS[$target]=$rps
            P50[$target]=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")
            P99[$target]=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
        fi
    done
done

{
    echo "posko status-page bench, $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores, $COUNT complaints, wrk -t$THREADS -c$CONNS -d${SECS}s, best of $ROUNDS rounds; load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "| target | requests/s | p50 (ms) | p99 (ms) |"
    echo "| --- | ---: | ---: | ---: |"
    echo "| \`return 204\` (GET) | ${RPS[baseline]} | ${P50[baseline]} | ${P99[baseline]} |"
    echo "| \`posko_status\` (GET ?kode=, HTML) | ${RPS[status]} | ${P50[status]} | ${P99[status]} |"
    echo
    echo "status / return 204 = $(awk -v a="${RPS[status]}" -v b="${RPS[baseline]}" 'BEGIN { printf "%.2f", a / b }')"
} | tee "$OUT_MD"
exit "$FAILED"
