#!/bin/sh
# deps.sh - installs the Debian packages posko needs to build, run and
# test, when they are missing.  Quiet and quick when everything is there.
#
#   scripts/deps.sh          build and run
#   scripts/deps.sh test     also what the tests use
set -eu

PKGS="nginx nginx-dev libpcre2-dev libssl-dev zlib1g-dev libisal-dev
      libsqlite3-dev sqlite3 libinih-dev libcairo2-dev libpango1.0-dev libpng-dev fonts-dejavu-core
      poppler-utils tzdata make gcc pkg-config perl"
if [ "${1:-}" = test ]; then
    PKGS="$PKGS libcmocka-dev clang libclang-rt-dev pngcheck qpdf poppler-utils imagemagick valgrind curl strace
          chromium chromium-driver wrk time"
fi

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
            grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

echo "posko: installing Debian packages:$missing"
if [ "$(id -u)" != 0 ]; then
    SUDO=sudo
else
    SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# nginx's package tries to start the system nginx; posko never needs it,
# so keep package scripts from starting services during the install.
policy=/usr/sbin/policy-rc.d
if [ ! -e $policy ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee $policy >/dev/null
    $SUDO chmod +x $policy
    trap '$SUDO rm -f $policy' EXIT
fi
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
