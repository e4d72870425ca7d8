#!/bin/sh
# Seed corpora for the fuzz targets (docs/jvm.md, "Fuzzing"): the class
# files of the differential corpus (tests/java, compiled with
# `javac --release 17 -g`) and of our class library (target/release/java-l4,
# built by `make java-l4`). Writes corpus/classfile and corpus/verify
# (ignored by git); both targets start from the same seeds.
#
#   pd-jvm/fuzz/make-seeds.sh [MAX_BYTES]    # default: seeds up to 16384 bytes
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
max=${1:-16384}
command -v javac >/dev/null || { echo "make-seeds: javac not found (JDK 17 needed)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# -g: LocalVariableTable too, which javac leaves out by default.
javac --release 17 -g -nowarn -d "$tmp/corpus" "$repo"/tests/java/*.java
lib="$repo/target/release/java-l4/java.base"
if [ -d "$lib" ]; then
    mkdir -p "$tmp/lib" && cp -r "$lib"/. "$tmp/lib/"
else
    echo "make-seeds: $lib missing (run \`make java-l4\`); using tests/java only" >&2
fi
for target in classfile verify; do
    out="$here/corpus/$target"
    mkdir -p "$out"
    find "$tmp" -name '*.class' -size -"$((max + 1))"c | while read -r f; do
        # Name seeds by content, as libFuzzer does, so reruns do not duplicate.
        cp "$f" "$out/$(sha1sum "$f" | cut -c1-40)"
    done
    echo "$out: $(ls "$out" | wc -l) files"
done
