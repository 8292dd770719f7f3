#!/bin/sh
# nginx-conf.sh ROOT DATA PORT - prints the nginx configuration that
# `make run` uses: Debian's nginx with the posko module, everything it
# writes kept under DATA, listening on 127.0.0.1:PORT.
set -eu
ROOT=$1 DATA=$2 PORT=$3
USER_LINE=""
if [ "$(id -u)" = 0 ]; then
    # a private development instance: workers run as the invoking user
    USER_LINE="user root root;"
fi
cat <<CONF
load_module $ROOT/build/ngx_http_posko_module.so;
$USER_LINE
worker_processes 2;
pid $DATA/nginx.pid;
error_log $DATA/logs/error.log info;

events {
    worker_connections 1024;
}

http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $DATA/logs/access.log;
    server_tokens off;

    client_body_temp_path $DATA/tmp/body;
    proxy_temp_path $DATA/tmp/proxy;
    fastcgi_temp_path $DATA/tmp/fastcgi;
    uwsgi_temp_path $DATA/tmp/uwsgi;
    scgi_temp_path $DATA/tmp/scgi;

    # each phone may send a few reports a second, with bursts
    limit_req_zone \$binary_remote_addr zone=posko_kirim:10m rate=5r/s;
    # status lookups: a pilgrim checks a few codes, a robot guesses many
    limit_req_zone \$binary_remote_addr zone=posko_status:10m rate=2r/s;
    limit_req_status 429;

    posko_wal $DATA/wal;
    # the database the status page reads (posko ingest writes it)
    posko_db $DATA/posko.db;
    # the key of the dashboard's follow-up form tokens; posko dashboard
    # makes it beside the database
    posko_secret $DATA/posko.secret;

    server {
        listen 127.0.0.1:$PORT;
        root $ROOT/web;
        charset utf-8;

        location = /kirim {
            limit_req zone=posko_kirim burst=20 nodelay;
            posko_intake;
            # a refused form comes back with what was typed and the reasons
            posko_form_page $ROOT/web/index.html;
        }

        # shows the tracking code from the query string; anything that is
        # not shaped like a code goes back to the form
        location = /terima-kasih.html {
            if (\$arg_kode !~ "^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\$") {
                return 303 /;
            }
            ssi on;
            add_header Cache-Control "no-store";
        }

        # the pilgrim's status page: /status?kode=XXXX-XXXX-XXXX
        location = /status {
            limit_req zone=posko_status burst=10 nodelay;
            posko_status;
        }

        # the Open311 GeoReport v2 API for 311 apps (docs/open311.md):
        # /open311/v2/services.json, requests.json, requests/KODE.json
        location /open311/v2/ {
            posko_open311;
        }

        # officers' follow-ups: the officer is the user auth_basic signed
        # in (make run writes DATA/htpasswd with one development officer)
        location = /tindak-lanjut {
            auth_basic "Tim Pemantauan posko";
            auth_basic_user_file $DATA/htpasswd;
            posko_followup;
        }

        # the dashboard pages' follow-up forms post here, inside the
        # pages' protection space: the browser sends the credentials
        location = /dasbor/tindak-lanjut {
            auth_basic "Tim Pemantauan posko";
            auth_basic_user_file $DATA/htpasswd;
            posko_followup;
        }

        # the team's dashboard, written by posko dashboard after each
        # ingest; the same officers as the follow-ups
        location /dasbor/ {
            auth_basic "Tim Pemantauan posko";
            auth_basic_user_file $DATA/htpasswd;
            alias $DATA/dasbor/;
            index index.html;
            location ~ /\. { deny all; }
        }

        # the daily reports; behind authentication on a real server
        location /laporan/ {
            alias $DATA/reports/;
            autoindex on;
        }
    }
}
CONF
