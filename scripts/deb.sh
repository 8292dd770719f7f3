#!/bin/sh
# deb.sh - `make deb`: build/posko_VERSION_ARCH.deb with dpkg-deb, from an
# install staged by scripts/install.sh (PREFIX=/usr).
#
# Depends: the nginx ABI the module was built for (Debian's nginx provides
# nginx-abi-X), the package of every shared library posko and the module
# load (found with dpkg -S, as dpkg-shlibdeps would), fonts-dejavu-core
# for the reports, adduser for the user.  The postinst runs install.sh's
# `setup` (the user posko, nginx's user in its group, /var/lib/posko);
# the data in /var/lib/posko stays on remove and on purge: they are the
# ministry's complaints.  The timers are not enabled: the operator does
# that once the site is configured (README, Deploying).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
POSKO=${POSKO:-$ROOT/build/install/posko}
MODULE=${MODULE:-$ROOT/build/ngx_http_posko_module.so}
OUT=$ROOT/build/deb
STAGE=$OUT/root
ARCH=$(dpkg --print-architecture)
# 0.1.0 and the number of commits, so that every build orders after the last
COMMITS=$(git -C "$ROOT" rev-list --count HEAD 2>/dev/null || echo 0)
VERSION=${VERSION:-0.1.0+git$COMMITS}

rm -rf "$OUT"
DESTDIR=$STAGE PREFIX=/usr POSKO=$POSKO MODULE=$MODULE \
    sh "$ROOT/scripts/install.sh" install
mkdir -p "$STAGE/DEBIAN"

abi=$(dpkg-query -W -f='${Provides}' nginx 2>/dev/null |
      tr ',' '\n' | sed -n 's/^ *\(nginx-abi-[^ ]*\).*/\1/p')
[ -n "$abi" ] || { echo "deb: Debian's nginx is not installed" >&2; exit 1; }
# the libraries each binary names itself (NEEDED), not what they pull in
libs=$(for f in "$STAGE/usr/bin/posko" \
                "$STAGE/usr/lib/nginx/modules/ngx_http_posko_module.so"; do
           needed=$(objdump -p "$f" | awk '$1 == "NEEDED" { print $2 }')
           ldd "$f" | awk -v needed="$needed" '
               BEGIN { n = split(needed, w, "\n"); for (i = 1; i <= n; i++) want[w[i]] = 1 }
               $2 == "=>" && $3 ~ /^\// && ($1 in want) { print $3 }'
       done | sort -u | while read -r lib; do
           dpkg -S "$(readlink -f "$lib")" 2>/dev/null ||
               dpkg -S "$lib" 2>/dev/null || true
       done | cut -d: -f1 | sort -u | tr '\n' ' ')
deps="$abi, adduser, fonts-dejavu-core"
for p in $libs; do
    deps="$deps, $p"
done

cat >"$STAGE/DEBIAN/control" <<CONTROL
Package: posko
Version: $VERSION
Architecture: $ARCH
Maintainer: posko developers <posko@localhost>
Section: httpd
Priority: optional
Depends: $deps
Recommends: default-mta | mail-transport-agent
Description: online complaint post for Hajj pilgrims
 An nginx module that takes pilgrims' complaints into a write-ahead log,
 answering only once each is on disk, the pilgrim's status page and an
 Open311 GeoReport v2 API; and the posko command that loads the log into
 SQLite, writes the monitoring team's dashboard and leadership's daily
 PDF evaluation report.
CONTROL

printf '%s\n' /etc/posko/referensi.ini /etc/nginx/sites-available/posko \
    >"$STAGE/DEBIAN/conffiles"

cat >"$STAGE/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
    /usr/share/posko/install.sh setup
fi
POSTINST
chmod 0755 "$STAGE/DEBIAN/postinst"

dpkg-deb --build --root-owner-group "$STAGE" \
    "$OUT/posko_${VERSION}_$ARCH.deb" >/dev/null
echo "deb: $OUT/posko_${VERSION}_$ARCH.deb"
