#!/bin/sh
# install.sh install|uninstall|setup|list - puts posko on a Debian server,
# or takes it off again; `make install` and `make uninstall` call it, and
# the Debian package (scripts/deb.sh) runs its `setup` after unpacking.
#
#   DESTDIR  a staging root (packaging, tests); empty for the real system
#   PREFIX   where the program, its pages and docs go (default /usr/local;
#            a Debian package uses /usr)
#   POSKO    the posko binary to install (built with its default reference
#            data at /etc/posko/referensi.ini)
#   MODULE   the nginx module
#
# What goes where, in Debian's manner:
#
#   PREFIX/bin/posko                         the batch command
#   /usr/lib/nginx/modules/ngx_http_posko_module.so
#   /usr/share/nginx/modules-available/mod-http-posko.conf
#   /etc/nginx/modules-enabled/50-mod-http-posko.conf -> the above
#   /etc/nginx/sites-available/posko         the example site (not enabled)
#   /etc/posko/referensi.ini                 reference data, kept if present
#   /lib/systemd/system/posko-*.{service,timer}
#   PREFIX/share/posko/web/                  the form and thank-you page
#   PREFIX/share/man/man1/posko.1, man8/ngx_http_posko_module.8
#   PREFIX/share/doc/posko/                  README, docs/, cron example
#
# On the real system (no DESTDIR) it also makes the system user posko,
# puts nginx's user www-data in its group, and the data folders
# /var/lib/posko/{wal,dasbor,laporan} with tight permissions.  Uninstall
# removes every file install put there and leaves the data folders, the
# user and an /etc/posko that holds more than the reference data.
set -eu

ACTION=${1:-install}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DESTDIR=${DESTDIR:-}
PREFIX=${PREFIX:-/usr/local}
POSKO=${POSKO:-$ROOT/build/install/posko}
MODULE=${MODULE:-$ROOT/build/ngx_http_posko_module.so}
D=$DESTDIR

BIN=$PREFIX/bin/posko
MODDIR=/usr/lib/nginx/modules
SHARE=$PREFIX/share/posko
DOC=$PREFIX/share/doc/posko
MAN=$PREFIX/share/man
UNITS="posko-ingest.service posko-ingest.timer posko-report.service
       posko-report.timer posko-prune.service posko-prune.timer"
DOCS="README.md docs/followup.md docs/intake.md docs/operations.md
      docs/report.md docs/status.md docs/dashboard.md docs/open311.md
      docs/wal-format.md docs/benchmarks.md"

# every file install writes, one a line (for uninstall and `list`)
files() {
    echo "$BIN"
    echo "$MODDIR/ngx_http_posko_module.so"
    echo /usr/share/nginx/modules-available/mod-http-posko.conf
    echo /etc/nginx/modules-enabled/50-mod-http-posko.conf
    echo /etc/nginx/sites-available/posko
    echo /etc/posko/referensi.ini
    for u in $UNITS; do echo "/lib/systemd/system/$u"; done
    for f in "$ROOT"/web/*; do echo "$SHARE/web/$(basename "$f")"; done
    echo "$SHARE/install.sh"
    echo "$MAN/man1/posko.1"
    echo "$MAN/man8/ngx_http_posko_module.8"
    for f in $DOCS; do echo "$DOC/$(basename "$f")"; done
    echo "$DOC/cron.example"
}

# the deploy files name /usr/bin/posko and /usr/share/posko: this PREFIX's
paths() {
    sed -e "s|/usr/bin/posko|$BIN|g" -e "s|/usr/share/posko|$SHARE|g" "$1"
}

install_files() {
    [ -x "$POSKO" ] || { echo "install: no $POSKO (run make install)" >&2; exit 1; }
    [ -f "$MODULE" ] || { echo "install: no $MODULE (run make)" >&2; exit 1; }

    install -d "$D$PREFIX/bin" "$D$MODDIR" "$D/usr/share/nginx/modules-available" \
        "$D/etc/nginx/modules-enabled" "$D/etc/nginx/sites-available" \
        "$D/lib/systemd/system" "$D$SHARE/web" "$D$MAN/man1" "$D$MAN/man8" \
        "$D$DOC"
    install -d -m 0750 "$D/etc/posko"

    install -m 0755 "$POSKO" "$D$BIN"
    install -m 0644 "$MODULE" "$D$MODDIR/ngx_http_posko_module.so"
    install -m 0644 "$ROOT/deploy/nginx/mod-http-posko.conf" \
        "$D/usr/share/nginx/modules-available/mod-http-posko.conf"
    ln -sf /usr/share/nginx/modules-available/mod-http-posko.conf \
        "$D/etc/nginx/modules-enabled/50-mod-http-posko.conf"
    paths "$ROOT/deploy/nginx/posko.conf" >"$D/etc/nginx/sites-available/posko"
    chmod 0644 "$D/etc/nginx/sites-available/posko"
    # the operator's own edits win over a new install
    if [ ! -e "$D/etc/posko/referensi.ini" ]; then
        install -m 0640 "$ROOT/data/referensi.ini" "$D/etc/posko/referensi.ini"
    fi
    for u in $UNITS; do
        paths "$ROOT/deploy/systemd/$u" >"$D/lib/systemd/system/$u"
        chmod 0644 "$D/lib/systemd/system/$u"
    done
    for f in "$ROOT"/web/*; do
        install -m 0644 "$f" "$D$SHARE/web/$(basename "$f")"
    done
    install -m 0755 "$ROOT/scripts/install.sh" "$D$SHARE/install.sh"
    install -m 0644 "$ROOT/docs/man/posko.1" "$D$MAN/man1/posko.1"
    install -m 0644 "$ROOT/docs/man/ngx_http_posko_module.8" \
        "$D$MAN/man8/ngx_http_posko_module.8"
    for f in $DOCS; do
        install -m 0644 "$ROOT/$f" "$D$DOC/$(basename "$f")"
    done
    paths "$ROOT/deploy/cron/posko" >"$D$DOC/cron.example"

    [ -z "$D" ] || return 0
    setup
}

# The real system: the user, the data folders, nginx's access to them.
# Also the Debian package's postinst (installed as PREFIX/share/posko/
# install.sh).
setup() {
    if ! getent passwd posko >/dev/null; then
        adduser --system --group --home /var/lib/posko --no-create-home \
            --gecos "posko batch jobs" posko >/dev/null
    fi
    if getent passwd www-data >/dev/null; then
        adduser www-data posko >/dev/null 2>&1 || true
    fi
    chgrp posko /etc/posko /etc/posko/referensi.ini
    # /var/lib/posko: the database and reports, group posko so that
    # nginx reads the database and the secret; the WAL written by nginx
    install -d -o posko -g posko -m 2770 /var/lib/posko
    install -d -o www-data -g posko -m 2750 /var/lib/posko/wal
    install -d -o posko -g posko -m 2750 /var/lib/posko/dasbor \
        /var/lib/posko/laporan
    if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
        systemctl daemon-reload || true
    fi
}

uninstall_files() {
    files | while read -r f; do
        rm -f "$D$f"
    done
    for d in "$SHARE/web" "$SHARE" "$DOC" /etc/posko; do
        rmdir "$D$d" 2>/dev/null || true
    done
    if [ -z "$D" ] && command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
        systemctl daemon-reload || true
    fi
}

case $ACTION in
install) install_files ;;
uninstall) uninstall_files ;;
setup) setup ;;
list) files ;;
*) echo "usage: install.sh install|uninstall|setup|list" >&2; exit 2 ;;
esac
