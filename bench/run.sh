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
#
# Ratios are reported, never asserted: the exit status is non-zero only
# when something failed (an unexpected status, a socket error, nginx not
# starting, WAL records not matching the accepted submissions).
#
# Prints a markdown table and writes it to build/bench-latest.md.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
NGINX=${POSKO_NGINX:-/usr/sbin/nginx}
MODULE=${POSKO_MODULE:-$ROOT/build/ngx_http_posko_module.so}
POSKO=${POSKO_BIN:-$ROOT/build/posko}
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
ROUNDS=${BENCH_ROUNDS:-2}
WARMUP=${BENCH_WARMUP:-2}
CONNS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
TARGET_RATIO=0.6
OUT_MD=$ROOT/build/bench-latest.md

die() { echo "bench: $*" >&2; exit 1; }

# -- tools ----------------------------------------------------------------

if ! command -v wrk >/dev/null 2>&1; then
    echo "bench: installing wrk (Debian package)"
    [ "$(id -u)" = 0 ] || die "wrk is missing; run: apt-get install -y wrk"
    apt-get install -y wrk >/dev/null 2>&1 \
        || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; } \
        || die "cannot install wrk"
fi
[ -x "$NGINX" ] || die "no nginx at $NGINX"
[ -f "$MODULE" ] || die "no module at $MODULE (run make)"
[ -x "$POSKO" ] || die "no posko at $POSKO (run make)"

# -- a private nginx ------------------------------------------------------

DIR=$(mktemp -d "${TMPDIR:-/tmp}/posko-bench-XXXXXX")
NGINX_STARTED=0

cleanup() {
    if [ "$NGINX_STARTED" = 1 ] && [ -s "$DIR/nginx.pid" ]; then
        local pid
        pid=$(cat "$DIR/nginx.pid")
        kill -QUIT "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.05
        done
        kill -TERM "$pid" 2>/dev/null || true
    fi
    rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

stop_nginx() {
    local pid
    pid=$(cat "$DIR/nginx.pid")
    kill -QUIT "$pid"
    for _ in $(seq 1 200); do
        kill -0 "$pid" 2>/dev/null || { NGINX_STARTED=0; return 0; }
        sleep 0.05
    done
    die "nginx (pid $pid) did not stop"
}

mkdir -p "$DIR/logs" "$DIR/tmp" "$DIR/wal-sync" "$DIR/wal-nosync"

PORT=$(perl -MIO::Socket::INET -e '
    my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => 0,
        Proto => "tcp", Listen => 1, ReuseAddr => 1) or die "no port: $!";
    print $s->sockport;')

USER_LINE=""
[ "$(id -u)" = 0 ] && USER_LINE="user root root;"

cat >"$DIR/nginx.conf" <<CONF
load_module $MODULE;
$USER_LINE
worker_processes 2;
pid $DIR/nginx.pid;
error_log $DIR/logs/error.log warn;

events {
    worker_connections 1024;
}

http {
    access_log off;
    server_tokens off;
    client_body_buffer_size 16k;

    client_body_temp_path $DIR/tmp/body;
    proxy_temp_path $DIR/tmp/proxy;
    fastcgi_temp_path $DIR/tmp/fastcgi;
    uwsgi_temp_path $DIR/tmp/uwsgi;
    scgi_temp_path $DIR/tmp/scgi;

    posko_wal $DIR/wal-sync;

    server {
        listen 127.0.0.1:$PORT;

        location = /baseline {
            return 204;
        }

        location = /kirim {
            posko_intake;
        }

        location = /kirim-nosync {
            posko_wal $DIR/wal-nosync;
            posko_wal_sync off;
            posko_intake;
        }
    }
}
CONF

"$NGINX" -t -q -p "$DIR" -c "$DIR/nginx.conf" || die "nginx -t failed"
"$NGINX" -p "$DIR" -c "$DIR/nginx.conf" || die "nginx did not start"
NGINX_STARTED=1
for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
    sleep 0.05
done

# -- the wrk script -------------------------------------------------------

URAIAN="Kamar+hotel+kami+di+sektor+4+Madinah+belum+mendapat+air+panas+sejak+tiga+hari%2C+AC+di+lantai+7+sering+mati+pada+siang+hari%2C+dan+petugas+sektor+sulit+dihubungi.+Jemaah+lansia+di+kloter+kami+kesulitan+mandi+dan+beristirahat.+Mohon+segera+ditindaklanjuti+oleh+petugas+akomodasi+sebelum+jadwal+ziarah+ke+Masjid+Quba+hari+Kamis."
BODY="jenis=aduan&kategori=akomodasi&lokasi=madinah&embarkasi=SOC&uraian=$URAIAN"

cat >"$DIR/post.lua" <<LUA
-- POSTs one complaint per request and counts the answers by status
wrk.method = "POST"
wrk.body = "$BODY"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"

local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    counts = {}
end

function response(status, headers, body)
    counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
    local total = {}
    for _, t in ipairs(threads) do
        local c = t:get("counts")
        for k, v in pairs(c) do
            total[k] = (total[k] or 0) + v
        end
    end
    for k, v in pairs(total) do
        io.write(string.format("STATUS %d %d\n", k, v))
    end
    local e = summary.errors
    io.write(string.format(
        "ERRORS connect=%d read=%d write=%d timeout=%d status=%d\n",
        e.connect, e.read, e.write, e.timeout, e.status))
end
LUA

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

# to milliseconds: 812.00us, 1.23ms, 2.01s
to_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0
        if (v ~ /us$/) n /= 1000
        else if (v ~ /ms$/) n = n
        else if (v ~ /m$/) n *= 60000
        else if (v ~ /s$/) n *= 1000
        printf "%.3f", n }'
}

# check_statuses NAME OUTFILE: counts the expected answers, fails on others
check_statuses() {
    local name=$1 out=$2 want=${EXPECT[$1]} code n bad=0
    while read -r _ code n; do
        if [ "$code" = "$want" ]; then
            if [ "$want" = 201 ]; then
                ACCEPTED[$name]=$(( ${ACCEPTED[$name]} + n ))
            fi
        else
            echo "bench: FAIL: /$name answered $code $n times" >&2
            bad=1
        fi
    done < <(grep '^STATUS ' "$out")
    local errs
    errs=$(grep '^ERRORS ' "$out" | sed 's/^ERRORS //')
    if ! grep -q '^ERRORS connect=0 read=0 write=0 timeout=0 status=0$' "$out"; then
        echo "bench: FAIL: /$name socket or status errors: $errs" >&2
        bad=1
    fi
    if [ "$bad" = 1 ]; then
        FAILED=1
        sed 's/^/    /' "$out" >&2
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
SYNC_MS=$(dd if=/dev/zero of="$DIR/tmp/sync-probe" bs=4k count=200 oflag=dsync 2>&1 \
    | awk '/copied/ { for (i = 1; i <= NF; i++) if ($i == "s,") t = $(i - 1);
                      printf "%.2f", t * 1000 / 200 }')
rm -f "$DIR/tmp/sync-probe"
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

        rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
        p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")
        p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")
        reqs=$(awk '/requests in/ {print $1}' "$out")
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

WARNINGS=$(grep -c -E '\[(warn|error|crit|alert|emerg)\]' "$DIR/logs/error.log" || true)
if [ "$WARNINGS" != 0 ]; then
    echo "bench: nginx's error log has $WARNINGS warnings or errors:" >&2
    sed -E 's/^[0-9\/: ]+//; s/ [0-9]+#[0-9]+://; s/\*[0-9]+ //' \
        "$DIR/logs/error.log" | cut -c1-160 | sort | uniq -c | sort -rn \
        | head -5 >&2
fi

stop_nginx

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

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

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
