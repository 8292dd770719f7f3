# bench/lib.sh - what the benchmark scripts share.  Sourced, never run:
# shellcheck shell=bash
#
#   BENCH_NAME=bench-ingest
#   . "$(dirname "$0")/lib.sh"
#
# It sets ROOT (the checkout), NGINX, MODULE and POSKO (POSKO_NGINX,
# POSKO_MODULE, POSKO_BIN as in t/lib/PoskoTest.pm), OUT (where the
# results go: BENCH_OUT, default build/) and BODY (the complaint every
# POST benchmark sends), and gives the tools below.  bench_tmp makes the
# run's temporary folder DIR; on exit every server started by
# nginx_start (or registered with bench_server) is stopped and DIR
# removed.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NGINX=${POSKO_NGINX:-/usr/sbin/nginx}
MODULE=${POSKO_MODULE:-$ROOT/build/ngx_http_posko_module.so}
POSKO=${POSKO_BIN:-$ROOT/build/posko}
OUT=${BENCH_OUT:-$ROOT/build}
GEN=$ROOT/build/gen_wal

die() { echo "$BENCH_NAME: $*" >&2; exit 1; }

# -- tools ------------------------------------------------------------------

# packages_missing PKG...: prints those of the Debian packages that are
# not installed
packages_missing() {
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null \
            | grep -q 'install ok installed' || echo "$pkg"
    done
}

# need_packages PKG...: installs the Debian packages that are missing (as
# root; otherwise says what to run)
need_packages() {
    local missing
    read -r -a missing <<<"$(packages_missing "$@" | tr '\n' ' ')"
    [ "${#missing[@]}" = 0 ] && return 0
    echo "$BENCH_NAME: installing ${missing[*]} (Debian packages)"
    [ "$(id -u)" = 0 ] || die "missing; run: apt-get install -y ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
        || { apt-get update -qq >/dev/null && apt-get install -y -qq "${missing[@]}" >/dev/null; } \
        || die "cannot install ${missing[*]}"
}

# need_posko [module]: build/posko (and the module) must be built
need_posko() {
    [ -x "$POSKO" ] || die "no posko at $POSKO (run make)"
    if [ "${1:-}" = module ]; then
        [ -x "$NGINX" ] || die "no nginx at $NGINX"
        [ -f "$MODULE" ] || die "no module at $MODULE (run make)"
    fi
}

# build/gen_wal, by the Makefile's one rule for it
build_gen_wal() {
    make --no-print-directory -s -C "$ROOT" build/gen_wal \
        || die "cannot build build/gen_wal"
}

# complaints_columns DB: the complaints table's columns, comma-separated,
# in the table's order (what gen_wal --columns takes)
complaints_columns() {
    sqlite3 "$1" "SELECT group_concat(name, ',') FROM pragma_table_info('complaints')"
}

# -- the temporary folder and the servers in it -----------------------------

BENCH_PIDFILES=()

bench_tmp() {  # bench_tmp NAME: makes DIR
    mkdir -p "$OUT"
    DIR=$(mktemp -d "${TMPDIR:-/tmp}/posko-$1-XXXXXX")
    trap bench_cleanup EXIT
    trap 'exit 130' INT TERM
}

bench_cleanup() {
    local f
    for f in "${BENCH_PIDFILES[@]}"; do
        stop_pidfile "$f" || true
    done
    rm -rf "$DIR"
}

# bench_server PIDFILE: stopped on exit unless stopped before
bench_server() { BENCH_PIDFILES+=("$1"); }

# stop_pidfile FILE: QUIT, wait up to 10 s, then TERM (and fail)
stop_pidfile() {
    local pid
    [ -s "$1" ] || return 0
    pid=$(cat "$1")
    kill -QUIT "$pid" 2>/dev/null || return 0
    for _ in $(seq 1 200); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.05
    done
    kill -TERM "$pid" 2>/dev/null || true
    return 1
}

free_port() {
    perl -MIO::Socket::INET -e '
        my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => 0,
            Proto => "tcp", Listen => 1, ReuseAddr => 1) or die "no port: $!";
        print $s->sockport;'
}

# the nginx.conf line that lets the workers (running as root) write
user_line() { [ "$(id -u)" = 0 ] && echo "user root root;" || true; }

# nginx_conf_top [LINE...]: DIR/nginx.conf up to the inside of http { }:
# the posko module, then the main-context LINEs (more modules, thread
# pools), two workers, the pid file and the error log in DIR/logs, no
# access log, the temporary files in DIR/tmp
nginx_conf_top() {
    cat <<CONF
load_module $MODULE;
$(printf '%s\n' "$@")
$(user_line)
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

CONF
}

# the three locations bench/run.sh measures and bench/peers.sh measures
# its peers against: nginx doing nothing, the durable intake (the WAL of
# posko_wal in http { }) and the intake without sync (DIR/wal-nosync)
posko_locations() {
    cat <<CONF
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
CONF
}

# nginx_start PORT: nginx with DIR/nginx.conf (pid file DIR/nginx.pid),
# when it listens on PORT
nginx_start() {
    "$NGINX" -t -q -p "$DIR" -c "$DIR/nginx.conf" || die "nginx -t failed"
    "$NGINX" -p "$DIR" -c "$DIR/nginx.conf" || die "nginx did not start"
    bench_server "$DIR/nginx.pid"
    for _ in $(seq 1 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.05
    done
    die "nginx does not listen on 127.0.0.1:$1"
}

nginx_stop() { stop_pidfile "$DIR/nginx.pid" || die "nginx did not stop"; }

# the warnings and errors in an nginx error log, counted, on stderr
error_log_summary() {
    local n
    n=$(grep -c -E '\[(warn|error|crit|alert|emerg)\]' "$1" || true)
    [ "$n" = 0 ] && return 0
    echo "$BENCH_NAME: nginx's error log has $n warnings or errors:" >&2
    sed -E 's/^[0-9\/: ]+//; s/ [0-9]+#[0-9]+://; s/\*[0-9]+ //' "$1" \
        | cut -c1-160 | sort | uniq -c | sort -rn | head -5 >&2
}

# -- wrk --------------------------------------------------------------------

# the same urlencoded complaint, 393 bytes, for every POST benchmark
URAIAN="Kamar+hotel+kami+di+sektor+4+Madinah+belum+mendapat+air+panas+sejak+tiga+hari%2C+AC+di+lantai+7+sering+mati+pada+siang+hari%2C+dan+petugas+sektor+sulit+dihubungi.+Jemaah+lansia+di+kloter+kami+kesulitan+mandi+dan+beristirahat.+Mohon+segera+ditindaklanjuti+oleh+petugas+akomodasi+sebelum+jadwal+ziarah+ke+Masjid+Quba+hari+Kamis."
BODY="jenis=aduan&kategori=akomodasi&lokasi=madinah&embarkasi=SOC&uraian=$URAIAN"

# The Lua that counts wrk's answers by status and prints them, and the
# socket errors, when wrk is done:
#   STATUS 201 1234
#   ERRORS connect=0 read=0 write=0 timeout=0 status=0
# A script that needs more in each thread's init defines start(args).
wrk_counter_lua() {
    cat <<'LUA'
local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    counts = {}
    if start then start(args) end
end

function response(status, headers, body)
    counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
    local total = {}
    for _, t in ipairs(threads) do
        for k, v in pairs(t:get("counts")) do
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
}

# post_lua FILE: a wrk script that POSTs BODY, one complaint a request
post_lua() {
    {
        echo "-- POSTs one complaint per request and counts the answers by status"
        echo "wrk.method = \"POST\""
        echo "wrk.body = \"$BODY\""
        echo "wrk.headers[\"Content-Type\"] = \"application/x-www-form-urlencoded\""
        echo "wrk.headers[\"Accept\"] = \"application/json\""
        echo
        wrk_counter_lua
    } >"$1"
}

# wrk_statuses NAME OUTFILE WANT: prints how many WANT answers wrk read;
# fails, saying why on stderr, on any other status or a socket error
wrk_statuses() {
    local name=$1 out=$2 want=$3 code n bad=0 ok=0
    while read -r _ code n; do
        if [ "$code" = "$want" ]; then
            ok=$((ok + n))
        else
            echo "$BENCH_NAME: FAIL: /$name answered $code $n times" >&2
            bad=1
        fi
    done < <(grep '^STATUS ' "$out")
    if ! grep -q '^ERRORS connect=0 read=0 write=0 timeout=0 status=0$' "$out"; then
        echo "$BENCH_NAME: FAIL: /$name socket or status errors:" \
             "$(grep '^ERRORS ' "$out" | sed 's/^ERRORS //')" >&2
        bad=1
    fi
    [ "$bad" = 1 ] && sed 's/^/    /' "$out" >&2
    echo "$ok"
    return "$bad"
}

# wrk_field OUTFILE WHAT: Requests/sec, p50 or p99 (in ms) or requests
wrk_field() {
    case $2 in
    rps) awk '/^Requests\/sec:/ { print $2 }' "$1" ;;
    requests) awk '/requests in/ { print $1 }' "$1" ;;
    p50) to_ms "$(awk '$1 == "50%" { print $2 }' "$1")" ;;
    p99) to_ms "$(awk '$1 == "99%" { print $2 }' "$1")" ;;
    esac
}

# to milliseconds: 812.00us, 1.23ms, 2.01s, 1.02m
to_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0
        if (v ~ /us$/) n /= 1000
        else if (v ~ /ms$/) n = n
        else if (v ~ /m$/) n *= 60000
        else if (v ~ /s$/) n *= 1000
        printf "%.3f", n }'
}

# -- measuring --------------------------------------------------------------

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# milliseconds per 4 KiB append with O_DSYNC on the disk under DIR: what
# one fdatasync costs at the least
sync_probe_ms() {
    dd if=/dev/zero of="$DIR/sync-probe" bs=4k count=200 oflag=dsync 2>&1 \
        | awk '/copied/ { for (i = 1; i <= NF; i++) if ($i == "s,") t = $(i - 1);
                          printf "%.2f", t * 1000 / 200 }'
    rm -f "$DIR/sync-probe"
}

# fastest RUNS COMMAND...: runs it RUNS times under GNU time; sets SECS
# (the fastest), MEDIAN and MAXKB (the largest peak resident set)
fastest() {
    local runs=$1 s kb
    shift
    : >"$DIR/times"
    MAXKB=0
    for _ in $(seq "$runs"); do
        /usr/bin/time -f '%e %M' -o "$DIR/time" "$@" >"$DIR/cmd.out" \
            2>"$DIR/cmd.err" || { cat "$DIR/cmd.err" >&2; die "failed: $*"; }
        read -r s kb <"$DIR/time"
        echo "$s" >>"$DIR/times"
        [ "$kb" -gt "$MAXKB" ] && MAXKB=$kb
    done
    SECS=$(sort -g "$DIR/times" | head -1)
    MEDIAN=$(sort -g "$DIR/times" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
}
