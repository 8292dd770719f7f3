#!/usr/bin/env bash
# scripts/check-shape.sh - the shape docs/architecture.md promises, checked
# on the tree and on the built module:
#
#   - no file of ngx_module/ over 900 lines, no function there over 100;
#   - no two files of the module that call each other (from the symbols of
#     the module's objects: a file's undefined functions that another file
#     defines);
#   - every path that docs/architecture.md names exists.
#
# Usage: scripts/check-shape.sh [NGINX_OBJS_DIR]   (make test passes it)
# Prints one line per broken promise and a "N passed, N failed" line.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OBJS=${1:-$ROOT/build/nginx/objs/addon/ngx_module}
passed=0
failed=0

ok() { passed=$((passed + 1)); }
not_ok() { failed=$((failed + 1)); echo "not ok: $*"; }

# -- sizes -------------------------------------------------------------------

for f in "$ROOT"/ngx_module/*.[ch]; do
    n=$(wc -l < "$f")
    if [ "$n" -le 900 ]; then ok; else not_ok "${f#$ROOT/}: $n lines (at most 900)"; fi
done

# a function starts with its name at the start of a line and ends at the
# first "}" alone at the start of a line (nginx style)
long=$(awk '/^[a-z_0-9]+\(/ { name = $1; start = FNR }
            /^}/ && name { n = FNR - start + 1;
                           if (n > 100) print FILENAME ": " name " " n " lines";
                           name = "" }' "$ROOT"/ngx_module/*.c)
if [ -z "$long" ]; then ok; else
    while read -r line; do not_ok "${line#$ROOT/} (at most 100)"; done <<< "$long"
fi

# -- calls between files -----------------------------------------------------

objs=("$OBJS"/*.o)
if [ ! -e "${objs[0]}" ]; then
    not_ok "no module objects in $OBJS (run make first)"
else
    defs=$(mktemp)
    edges=$(mktemp)
    trap 'rm -f "$defs" "$edges"' EXIT

    for o in "${objs[@]}"; do
        nm --defined-only "$o" | awk -v f="$(basename "$o" .o)" '$2 == "T" { print $3, f }'
    done | sort > "$defs"

    for o in "${objs[@]}"; do
        f=$(basename "$o" .o)
        nm -u "$o" | awk '{ print $2 }' | sort | join - "$defs" |
            awk -v f="$f" '$2 != f { print f, $2 }'
    done | sort -u > "$edges"

    mutual=0
    while read -r a b; do
        if grep -qx "$b $a" "$edges" && [[ "$a" < "$b" ]]; then
            not_ok "$a.c and $b.c call each other"
            mutual=1
        fi
    done < "$edges"
    [ "$mutual" = 0 ] && ok
fi

# -- the architecture's paths ------------------------------------------------

doc=$ROOT/docs/architecture.md
if [ ! -f "$doc" ]; then
    not_ok "docs/architecture.md is missing"
else
    # `path` in backquotes that starts with a top-level folder of the tree
    missing=0
    for p in $(grep -o '`[^` ]*`' "$doc" | tr -d '`' |
               grep -E '^(config|Makefile|README\.md|LICENSE|ngx_module|batch|include|tests|t|bench|docs|deploy|web|scripts|data|\.ci)(/|$)' |
               sed 's/[*{].*//; s/[.,:;)]$//' | sort -u); do
        if [ ! -e "$ROOT/$p" ]; then
            not_ok "docs/architecture.md names $p, which does not exist"
            missing=1
        fi
    done
    [ "$missing" = 0 ] && ok
fi

echo "shape: $passed passed, $failed failed"
[ "$failed" = 0 ]
