#!/usr/bin/env bash
# bench/peers.sh - the posko intake against the stacks people use today for
# the same job, and against nginx's own `return 204`, in one run on
# 127.0.0.1.
#
# One private nginx (Debian's /usr/sbin/nginx, 2 workers) loads the posko
# module and Debian's Lua module (libnginx-mod-http-lua), and serves on one
# port:
#
#   /baseline      return 204;                        nginx doing nothing
#   /kirim         posko_intake; posko_wal_sync on    durable group commit
#   /kirim-nosync  posko_intake; posko_wal_sync off   write() only, no sync
#   /lua-flush     bench/peers/intake.lua             file:write + file:flush
#   /lua-fsync     bench/peers/intake.lua             write + fdatasync (FFI)
#   /lua-thread    bench/peers/intake.lua             the same in nginx's thread pool
#   /php-full      bench/peers/intake.php on PHP-FPM  SQLite WAL, synchronous=FULL
#   /php-normal    bench/peers/intake.php on PHP-FPM  SQLite WAL, synchronous=NORMAL
#
# PHP-FPM (Debian's php8.2-fpm, a static pool of BENCH_PHP_CHILDREN) runs
# from a configuration in the temporary folder; the system's php-fpm
# service is not used. wrk POSTs the same urlencoded complaint as
# bench/run.sh to each target, for each connection count, in interleaved
# rounds, after a sync of the file system; the best round per target and
# count is reported, with the servers' CPU time per request. Afterwards
# the records each stack stored (WAL submissions by `posko wal check`,
# lines of the Lua files, rows of the SQLite tables) are counted against
# the 201 answers wrk read, and the PHP table's columns against posko's.
#
# Environment:
#   BENCH_SECONDS       seconds per measured run              (default 10)
#   BENCH_ROUNDS        rounds over the targets               (default 2)
#   BENCH_WARMUP        seconds of warm-up before each run    (default 2)
#   BENCH_CONNECTIONS   wrk -c, one or more                   (default "64 256")
#   BENCH_THREADS       wrk -t                                (default 2)
#   BENCH_PHP_CHILDREN  PHP-FPM's static pool                 (default 8)
#   BENCH_PEERS_INSTALL yes: install the peers' Debian packages when they
#                       are missing; no: leave out the peers whose packages
#                       are not installed, saying so   (default yes)
#   POSKO_NGINX, POSKO_MODULE, POSKO_BIN  as in t/lib/PoskoTest.pm
#   PHP_FPM             the php-fpm binary          (default /usr/sbin/php-fpm8.2)
#   BENCH_OUT           where the table goes        (default build/)
#
# Ratios are reported, never asserted: the exit status is non-zero only
# when something failed (an unexpected status, a socket error or timeout,
# a server not starting, stored records not matching the 201 answers,
# bench/peers/complaints.sql no longer matching posko's columns).
#
# Prints a markdown table and writes it to build/bench-peers.md.
set -euo pipefail

BENCH_NAME=bench-peers
. "$(dirname "$0")/lib.sh"
PHP_FPM=${PHP_FPM:-/usr/sbin/php-fpm8.2}
LUA_MODULES=/usr/lib/nginx/modules
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
ROUNDS=${BENCH_ROUNDS:-2}
WARMUP=${BENCH_WARMUP:-2}
read -r -a CONN_LIST <<<"${BENCH_CONNECTIONS:-64 256}"
THREADS=${BENCH_THREADS:-2}
PHP_CHILDREN=${BENCH_PHP_CHILDREN:-8}
INSTALL=${BENCH_PEERS_INSTALL:-yes}
WRK_TIMEOUT=10s
OUT_MD=$OUT/bench-peers.md

# -- tools ----------------------------------------------------------------

# Debian's packages; php8.2-fpm's own service is left as the package
# leaves it (policy-rc.d decides whether it starts), this script never
# uses it
LUA_PACKAGES=(libnginx-mod-http-lua)
PHP_PACKAGES=(php8.2-fpm php8.2-sqlite3)
need_packages wrk sqlite3 curl
need_posko module
if [ "$INSTALL" = yes ]; then
    need_packages "${LUA_PACKAGES[@]}" "${PHP_PACKAGES[@]}"
fi
LUA=0 PHP=0
if [ -z "$(packages_missing "${LUA_PACKAGES[@]}")" ] \
    && [ -f "$LUA_MODULES/ngx_http_lua_module.so" ]; then
    LUA=1
elif [ "$INSTALL" = yes ]; then
    die "no Lua module in $LUA_MODULES"
else
    echo "bench-peers: SKIPPED the Lua peers (/lua-flush, /lua-fsync," \
         "/lua-thread): ${LUA_PACKAGES[*]} is not installed"
fi
if [ -z "$(packages_missing "${PHP_PACKAGES[@]}")" ] && [ -x "$PHP_FPM" ]; then
    PHP=1
elif [ "$INSTALL" = yes ]; then
    die "no php-fpm at $PHP_FPM"
else
    echo "bench-peers: SKIPPED the PHP-FPM peers (/php-full, /php-normal):" \
         "${PHP_PACKAGES[*]} or $PHP_FPM not installed"
fi

TARGETS=(baseline kirim kirim-nosync)
[ "$LUA" = 1 ] && TARGETS+=(lua-flush lua-fsync lua-thread)
[ "$PHP" = 1 ] && TARGETS+=(php-full php-normal)
has() {  # has TARGET: whether this run drives it
    local t
    for t in "${TARGETS[@]}"; do [ "$t" = "$1" ] && return 0; done
    return 1
}

# -- a private nginx and PHP-FPM ------------------------------------------

bench_tmp bench-peers
mkdir -p "$DIR/logs" "$DIR/tmp" "$DIR/wal-sync" "$DIR/wal-nosync" "$DIR/lua"

PORT=$(free_port)

FPM_USER=""
FPM_ROOT=()
if [ "$(id -u)" = 0 ]; then
    FPM_USER=$'user = root\ngroup = root'
    FPM_ROOT=(-R)
fi

# the PHP peer's two databases, the schema of bench/peers/complaints.sql
for sync in full normal; do
    sqlite3 "$DIR/php-$sync.db" <"$ROOT/bench/peers/complaints.sql" >/dev/null \
        || die "cannot create $DIR/php-$sync.db"
done

cat >"$DIR/php-fpm.conf" <<CONF
[global]
pid = $DIR/php-fpm.pid
error_log = $DIR/logs/php-fpm.log
daemonize = yes

[peer]
$FPM_USER
listen = $DIR/php-fpm.sock
pm = static
pm.max_children = $PHP_CHILDREN
php_admin_flag[log_errors] = on
php_admin_flag[display_errors] = off
php_admin_value[error_log] = $DIR/logs/php-error.log
CONF

LUA_LOAD="" LUA_HTTP="" LUA_LOCATIONS="" PHP_LOCATIONS=""
if [ "$LUA" = 1 ]; then
    LUA_LOAD="load_module $LUA_MODULES/ndk_http_module.so;
load_module $LUA_MODULES/ngx_http_lua_module.so;"
    LUA_HTTP="lua_package_path \"$ROOT/bench/peers/?.lua;;\";
    # a Lua state per queued thread task: at least one per connection, or
    # run_worker_thread fails with \"no available Lua vm\" (default 100)
    lua_worker_thread_vm_pool_size 1024;
    init_worker_by_lua_block { require(\"intake\").init(\"$DIR/lua\") }"
    for how in flush fsync thread; do
        LUA_LOCATIONS+="
        location = /lua-$how {
            client_body_buffer_size 64k;
            content_by_lua_block { require(\"intake\").handle(\"$how\") }
        }
"
    done
fi
if [ "$PHP" = 1 ]; then
    for sync in full normal; do
        PHP_SYNC=${sync^^}
        PHP_LOCATIONS+="
        location = /php-$sync {
            include /etc/nginx/fastcgi_params;
            fastcgi_param SCRIPT_FILENAME $ROOT/bench/peers/intake.php;
            fastcgi_param POSKO_PEER_DB $DIR/php-$sync.db;
            fastcgi_param POSKO_PEER_SYNC $PHP_SYNC;
            fastcgi_pass unix:$DIR/php-fpm.sock;
        }
"
    done
fi

{
    nginx_conf_top "$LUA_LOAD" "thread_pool luasync threads=32;"
    cat <<CONF
    posko_wal $DIR/wal-sync;

    $LUA_HTTP

    server {
        listen 127.0.0.1:$PORT;

$(posko_locations)

$LUA_LOCATIONS$PHP_LOCATIONS    }
}
CONF
} >"$DIR/nginx.conf"

if [ "$PHP" = 1 ]; then
    "$PHP_FPM" -t "${FPM_ROOT[@]}" -y "$DIR/php-fpm.conf" >"$DIR/logs/php-fpm-t.log" 2>&1 \
        || { cat "$DIR/logs/php-fpm-t.log" >&2; die "php-fpm -t failed"; }
    "$PHP_FPM" "${FPM_ROOT[@]}" -y "$DIR/php-fpm.conf" || die "php-fpm did not start"
    bench_server "$DIR/php-fpm.pid"
fi
nginx_start "$PORT"
if [ "$PHP" = 1 ]; then
    for _ in $(seq 1 100); do
        [ -S "$DIR/php-fpm.sock" ] && break
        sleep 0.05
    done
    [ -S "$DIR/php-fpm.sock" ] || die "php-fpm made no socket"
fi

# -- the wrk script -------------------------------------------------------

post_lua "$DIR/post.lua"

# each stack answers one request by hand before the runs: a refusal shows
# here, not as thousands of wrong statuses
PROBED=()
for path in kirim lua-flush lua-fsync lua-thread php-full; do
    has "$path" || continue
    PROBED+=("$path")
    status=$(curl -s -o "$DIR/probe.txt" -w '%{http_code}' \
        -H 'Accept: application/json' --data "$BODY" "http://127.0.0.1:$PORT/$path") || status=000
    if [ "$status" != 201 ]; then
        cat "$DIR/probe.txt" "$DIR/logs/error.log" "$DIR/logs/php-error.log" 2>/dev/null | tail -20 >&2
        die "/$path answered $status to the probe"
    fi
done

# -- running --------------------------------------------------------------

declare -A WHAT=(
    [baseline]='`return 204`'
    [kirim]='posko, durable (group `fdatasync`)'
    [kirim-nosync]='posko, `posko_wal_sync off`'
    [lua-flush]='Lua, append + `flush()`, no fsync'
    [lua-fsync]='Lua, append + `fdatasync()` (FFI), blocking'
    [lua-thread]='Lua, append + `fdatasync()` in a thread pool'
    [php-full]='PHP-FPM + SQLite WAL, `synchronous=FULL`'
    [php-normal]='PHP-FPM + SQLite WAL, `synchronous=NORMAL`'
)
declare -A ACCEPTED=() MARGIN=()
for name in "${TARGETS[@]}"; do ACCEPTED[$name]=0 MARGIN[$name]=0; done
FAILED=0

# CPU ticks (user + system, all threads) of the nginx workers and of
# php-fpm's master and children
server_ticks() {
    local pids total=0 pid n
    pids=$(pgrep -P "$(cat "$DIR/nginx.pid")")
    if [ "$PHP" = 1 ]; then
        pids="$pids $(cat "$DIR/php-fpm.pid") $(pgrep -P "$(cat "$DIR/php-fpm.pid")")"
    fi
    for pid in $pids; do
        n=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)
        total=$((total + ${n:-0}))
    done
    echo "$total"
}

# idle and iowait ticks, and all ticks, of the whole machine
machine_ticks() {
    awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i;
                   print $5 + $6, t }' /proc/stat
}

# check_statuses NAME OUTFILE: counts the expected answers, fails on others
check_statuses() {
    local want=201 n
    [ "$1" = baseline ] && want=204
    n=$(wrk_statuses "$1" "$2" "$want") || FAILED=1
    ACCEPTED[$1]=$(( ${ACCEPTED[$1]} + n ))
}

run_wrk() {  # run_wrk NAME CONNECTIONS SECONDS OUTFILE
    wrk -t"$THREADS" -c"$2" -d"$3"s --timeout "$WRK_TIMEOUT" --latency \
        -s "$DIR/post.lua" "http://127.0.0.1:$PORT/$1" >"$4" 2>&1 \
        || { echo "bench-peers: FAIL: wrk on /$1 exited non-zero" >&2; cat "$4" >&2; FAILED=1; }
    check_statuses "$1" "$4"
    # wrk stops with up to -c requests in flight: answered (and stored)
    # after wrk stopped reading
    MARGIN[$1]=$(( ${MARGIN[$1]} + $2 ))
}

declare -A RPS P50 P99 CPU IDLE
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
CLK_TCK=$(getconf CLK_TCK)

# the disk under the files: milliseconds per 4 KiB append with O_DSYNC,
# what one fdatasync costs at the least
SYNC_MS=$(sync_probe_ms)
echo "bench-peers: the disk takes ${SYNC_MS:-?} ms per 4 KiB O_DSYNC append"

POOL=""
[ "$PHP" = 1 ] && POOL=" PHP-FPM static pool of $PHP_CHILDREN;"
echo "bench-peers: nginx on 127.0.0.1:$PORT,$POOL $(nproc) cores, load $LOAD_BEFORE"
echo "bench-peers: wrk -t$THREADS -c{${CONN_LIST[*]}} -d${SECONDS_PER_RUN}s --latency," \
     "$ROUNDS rounds, ${WARMUP}s warm-up each, body ${#BODY} bytes," \
     "$(( ${#TARGETS[@]} * ${#CONN_LIST[@]} * ROUNDS * (SECONDS_PER_RUN + WARMUP) )) s of load"

for round in $(seq 1 "$ROUNDS"); do
    for conns in "${CONN_LIST[@]}"; do
        # odd rounds forward, even rounds backward, so drift hits all alike
        order=("${TARGETS[@]}")
        if [ $((round % 2)) = 0 ]; then
            order=()
            for ((i = ${#TARGETS[@]} - 1; i >= 0; i--)); do order+=("${TARGETS[$i]}"); done
        fi
        for name in "${order[@]}"; do
            # the previous target's unsynced writes go to disk now, not
            # during this target's fdatasyncs
            sync -f "$DIR"
            run_wrk "$name" "$conns" "$WARMUP" "$DIR/warm-$name-$conns-$round.txt"
            out="$DIR/run-$name-$conns-$round.txt"
            cpu0=$(server_ticks)
            read -r idle0 all0 < <(machine_ticks)
            run_wrk "$name" "$conns" "$SECONDS_PER_RUN" "$out"
            read -r idle1 all1 < <(machine_ticks)
            cpu1=$(server_ticks)

            rps=$(wrk_field "$out" rps)
            p50=$(wrk_field "$out" p50)
            p99=$(wrk_field "$out" p99)
            reqs=$(wrk_field "$out" requests)
            [ -n "$rps" ] && [ "${reqs:-0}" -gt 0 ] \
                || { echo "bench-peers: FAIL: no result for /$name" >&2; FAILED=1; continue; }
            # server CPU per request, and how idle the machine was
            cpu=$(awk -v t=$((cpu1 - cpu0)) -v hz="$CLK_TCK" -v r="$reqs" \
                'BEGIN { printf "%.1f", t / hz * 1e6 / r }')
            idle=$(awk -v i=$((idle1 - idle0)) -v a=$((all1 - all0)) \
                'BEGIN { printf "%.0f", (a > 0 ? 100 * i / a : 0) }')
            printf 'bench-peers: round %d -c%-4s %-13s %10s req/s  p50 %9s ms  p99 %9s ms  %7s us CPU/req  %3s%% idle\n' \
                "$round" "$conns" "/$name" "$rps" "$p50" "$p99" "$cpu" "$idle"

            key=$name,$conns
            if [ -z "${RPS[$key]:-}" ] || awk -v a="$rps" -v b="${RPS[$key]}" 'BEGIN {exit !(a > b)}'; then
                RPS[$key]=$rps P50[$key]=$p50 P99[$key]=$p99 CPU[$key]=$cpu IDLE[$key]=$idle
            fi
        done
    done
done

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

error_log_summary "$DIR/logs/error.log"
if [ -s "$DIR/logs/php-error.log" ]; then
    echo "bench-peers: PHP's error log:" >&2
    sed -E 's/^\[[^]]*\] //' "$DIR/logs/php-error.log" | sort | uniq -c | sort -rn | head -5 >&2
fi

nginx_stop
if [ "$PHP" = 1 ]; then
    stop_pidfile "$DIR/php-fpm.pid" || die "php-fpm did not stop"
fi

# -- the stored records against the answers -------------------------------

declare -A STORED VERDICT EXTRA HOW BYTES
BYTES[kirim]=$(du -sb "$DIR/wal-sync" | cut -f1)
BYTES[kirim-nosync]=$(du -sb "$DIR/wal-nosync" | cut -f1)
for name in kirim kirim-nosync; do
    wal=$DIR/wal-sync
    [ "$name" = kirim-nosync ] && wal=$DIR/wal-nosync
    # every record's checksum is checked; bench/run.sh loads them too
    "$POSKO" wal check "$wal" >"$DIR/$name-check.txt" || true
    grep -q '^wal check: ' "$DIR/$name-check.txt" || die "posko wal check failed on $wal"
    STORED[$name]=$(awk '/ submissions, / { n += $3 } END { print n + 0 }' "$DIR/$name-check.txt")
    bad=$(awk '/^wal check: / { print $7 + $12 }' "$DIR/$name-check.txt")
    HOW[$name]="submissions in the WAL by \`posko wal check\`, $bad damaged"
done
for name in lua-flush lua-fsync lua-thread; do
    has "$name" || continue
    BYTES[$name]=$(cat "$DIR/lua/$name"-*.tsv | wc -c)
    STORED[$name]=$(cat "$DIR/lua/$name"-*.tsv | wc -l)
    # every line holds kode, received_at and the 11 fields
    bad=$(cat "$DIR/lua/$name"-*.tsv | awk -F'\t' 'NF != 13' | wc -l)
    HOW[$name]="lines in the workers' files, $bad malformed"
done
for name in php-full php-normal; do
    has "$name" || continue
    db=$DIR/php-${name#php-}.db
    # the database and its write-ahead log, as the run left them
    BYTES[$name]=$(cat "$db"* | wc -c)
    STORED[$name]=$(sqlite3 "$db" 'SELECT count(*) FROM complaints')
    bad=$(sqlite3 "$db" 'PRAGMA integrity_check' | grep -vc '^ok$' || true)
    HOW[$name]="rows in \`complaints\`, integrity_check: $([ "$bad" = 0 ] && echo ok || echo FAILED)"
done
# the probes made one record each, before wrk counted anything
for name in "${PROBED[@]}"; do
    STORED[$name]=$(( ${STORED[$name]} - 1 ))
done
for name in "${TARGETS[@]}"; do
    [ "$name" = baseline ] && continue
    extra=$(( ${STORED[$name]} - ${ACCEPTED[$name]} ))
    if [ "$extra" -ge 0 ] && [ "$extra" -le "${MARGIN[$name]}" ] \
        && ! echo "${HOW[$name]}" | grep -q -E '[1-9][0-9]* (damaged|malformed)|FAILED'; then
        VERDICT[$name]=OK
    else
        VERDICT[$name]=MISMATCH
        FAILED=1
    fi
    EXTRA[$name]=$extra
    echo "bench-peers: /$name: ${ACCEPTED[$name]} 201s read by wrk, ${STORED[$name]}" \
         "stored (${HOW[$name]}; $extra in flight when wrk stopped, at most" \
         "${MARGIN[$name]}): ${VERDICT[$name]}"
done

# the PHP peer's table has posko's columns: checked against a database
# that posko made (from an empty WAL)
mkdir -p "$DIR/wal-empty"
"$POSKO" ingest --wal "$DIR/wal-empty" --db "$DIR/posko.db" >/dev/null \
    || die "posko ingest cannot make a database"
posko_cols=$(complaints_columns "$DIR/posko.db")
peer_cols=$(complaints_columns "$DIR/php-full.db")
if [ "$posko_cols" != "$peer_cols" ]; then
    echo "bench-peers: FAIL: bench/peers/complaints.sql has other columns than posko's complaints table:" >&2
    echo "    posko: $posko_cols" >&2
    echo "    peer:  $peer_cols" >&2
    FAILED=1
fi

# -- the table ------------------------------------------------------------

target() {  # target LABEL VALUE GOAL
    local verdict=BELOW
    awk -v r="$2" -v t="$3" 'BEGIN {exit !(r >= t)}' && verdict=PASS
    echo "$1 = $2 (target $3): $verdict"
}

{
    echo "posko peers bench, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores," \
         "$(uname -r), nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///')," \
         "lua-nginx-module $([ "$LUA" = 1 ] && dpkg-query -W -f='${Version}' libnginx-mod-http-lua || echo 'not installed')," \
         "PHP $([ "$PHP" = 1 ] && "$PHP_FPM" -v | awk 'NR == 1 {print $2}' || echo 'not installed')," \
         "SQLite $(sqlite3 --version | cut -d' ' -f1)"
    echo
    echo "wrk -t$THREADS -c{${CONN_LIST[*]}} -d${SECONDS_PER_RUN}s --latency, POST of" \
         "${#BODY} bytes, best of $ROUNDS interleaved rounds;$POOL" \
         "load average $LOAD_BEFORE before, $LOAD_AFTER after;" \
         "a lone dd: ${SYNC_MS:-?} ms per 4 KiB O_DSYNC append"
    echo
    echo "| -c | target | req/s | p50 (ms) | p99 (ms) | ÷ \`return 204\` | posko durable ÷ this | server CPU (µs/req) | idle |"
    echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for conns in "${CONN_LIST[@]}"; do
        base=${RPS[baseline,$conns]:-0}
        durable=${RPS[kirim,$conns]:-0}
        for name in "${TARGETS[@]}"; do
            key=$name,$conns
            printf '| %s | %s | %.0f | %.2f | %.2f | %s | %s | %s | %s%% |\n' "$conns" \
                "${WHAT[$name]}" "${RPS[$key]:-0}" "${P50[$key]:-0}" "${P99[$key]:-0}" \
                "$(ratio "${RPS[$key]:-0}" "$base")" "$(ratio "$durable" "${RPS[$key]:-0}")" \
                "${CPU[$key]:-?}" "${IDLE[$key]:-?}"
        done
    done
    echo
    for conns in "${CONN_LIST[@]}"; do
        durable=${RPS[kirim,$conns]:-0}
        line="- $conns connections: $(target "posko durable / \`return 204\`" "$(ratio "$durable" "${RPS[baseline,$conns]:-0}")" 0.6)"
        if [ "$LUA" = 1 ]; then
            line+="; $(target "posko durable / Lua flush" "$(ratio "$durable" "${RPS[lua-flush,$conns]:-0}")" 2)"
        fi
        if [ "$PHP" = 1 ]; then
            line+="; $(target "posko durable / PHP-FPM FULL" "$(ratio "$durable" "${RPS[php-full,$conns]:-0}")" 40)"
        fi
        if [ "$LUA" = 1 ]; then
            line+="; posko durable / Lua fdatasync = $(ratio "$durable" "${RPS[lua-fsync,$conns]:-0}"),"
            line+=" in a thread pool $(ratio "$durable" "${RPS[lua-thread,$conns]:-0}")"
        fi
        echo "$line"
    done
    echo
    echo "Server CPU: the nginx workers' and PHP-FPM's user and system time during the" \
         "measured run, per request (wrk's own time not included); idle: the machine's" \
         "idle and iowait share in that run."
    echo
    echo "| target | 201s read by wrk | records stored | in flight at wrk's stop | how counted | bytes on disk | check |"
    echo "| --- | ---: | ---: | ---: | --- | ---: | --- |"
    for name in "${TARGETS[@]}"; do
        [ "$name" = baseline ] && continue
        echo "| \`/$name\` | ${ACCEPTED[$name]} | ${STORED[$name]:-?} |" \
             "${EXTRA[$name]:-?} | ${HOW[$name]} | ${BYTES[$name]:-?} | ${VERDICT[$name]:-?} |"
    done
} | tee "$OUT_MD"

echo
echo "bench-peers: written to ${OUT_MD#"$ROOT"/} after ${SECONDS}s"
if [ "$FAILED" != 0 ]; then
    die "FAILED (see the messages above)"
fi
