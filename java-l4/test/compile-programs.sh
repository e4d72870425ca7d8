#!/usr/bin/env bash
# Builds the library and compiles every program in test/programs against it
# (javac --system=none --module-path ...), the way users compile for Capuchin: an API
# check of the library. Fails when a program does not compile against our library.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/capuchin-programs.XXXXXX")"
trap 'rm -rf "$work"' EXIT
javac --system=none -d "$work/lib/java.base" $(find "$here/../src/java.base" -name '*.java')
pass=0
fail=0
for p in "$here"/programs/*.java; do
    name="$(basename "$p" .java)"
    mkdir -p "$work/ours/$name"
    if javac --system=none --module-path "$work/lib" -d "$work/ours/$name" "$p" 2> "$work/err"; then
        echo "$name: compiles against java-l4"
        pass=$((pass + 1))
    else
        cat "$work/err"
        echo "$name: does NOT compile against java-l4"
        fail=$((fail + 1))
    fi
done
echo "programs: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
