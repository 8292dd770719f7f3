#!/bin/bash
# run.sh - `make run`: starts Debian's nginx with the posko module on
# 127.0.0.1:8080 (PORT to change it) with all data under ./run, and runs
# `posko ingest`, `posko dashboard` and `posko report` every minute,
# standing in for the timers.  Ctrl-C stops everything it started.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${POSKO_DATA:-$ROOT/run}
PORT=${PORT:-8080}
POSKO=$ROOT/build/posko

umask 027
mkdir -p "$DATA"/{wal,logs,reports,tmp,dasbor}
# one development officer for follow-ups (nginx's {PLAIN} scheme); a real
# server uses hashed passwords (htpasswd -B) or auth_request
[ -s "$DATA/htpasswd" ] || echo "petugas:{PLAIN}posko-dev" >"$DATA/htpasswd"
"$ROOT/scripts/nginx-conf.sh" "$ROOT" "$DATA" "$PORT" >"$DATA/nginx.conf"

if [ -s "$DATA/nginx.pid" ] && kill -0 "$(cat "$DATA/nginx.pid")" 2>/dev/null; then
    echo "posko: stopping the nginx left from an earlier run"
    kill -QUIT "$(cat "$DATA/nginx.pid")" || true
    sleep 1
fi

/usr/sbin/nginx -t -q -p "$DATA" -c "$DATA/nginx.conf"
/usr/sbin/nginx -p "$DATA" -c "$DATA/nginx.conf" -g "daemon off;" &
NGINX=$!

stop() {
    trap - INT TERM EXIT
    echo
    echo "posko: stopping"
    kill -QUIT "$NGINX" 2>/dev/null || true
    wait "$NGINX" 2>/dev/null || true
    exit 0
}
trap stop INT TERM EXIT

sleep 0.5
kill -0 "$NGINX" 2>/dev/null || { echo "posko: nginx did not start; see $DATA/logs/error.log"; exit 1; }

cat <<MSG

posko is running.
  form (pilgrims):   http://127.0.0.1:$PORT/
  status (pilgrims): http://127.0.0.1:$PORT/status?kode=XXXX-XXXX-XXXX
  dashboard (team):  http://127.0.0.1:$PORT/dasbor/   as petugas / posko-dev
                     (follow-ups are recorded from each complaint's page)
  reports:           http://127.0.0.1:$PORT/laporan/   (files in $DATA/reports)
  Open311 API:       http://127.0.0.1:$PORT/open311/v2/services.json
  write-ahead log:   $DATA/wal
  database:          $DATA/posko.db
  nginx logs:        $DATA/logs
Every minute: posko ingest, posko dashboard, then posko report for today
(Asia/Riyadh).
Press Ctrl-C to stop.

MSG

while kill -0 "$NGINX" 2>/dev/null; do
    today=$(TZ=Asia/Riyadh date +%F)
    "$POSKO" ingest --wal "$DATA/wal" --db "$DATA/posko.db" || true
    "$POSKO" dashboard --db "$DATA/posko.db" --out "$DATA/dasbor" \
        --every 1 || true
    "$POSKO" report --db "$DATA/posko.db" --date "$today" \
        --out "$DATA/reports" || true
    for _ in $(seq 60); do
        kill -0 "$NGINX" 2>/dev/null || break
        sleep 1
    done
done
