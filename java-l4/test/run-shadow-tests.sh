#!/usr/bin/env bash
# Shadow tests: compile selected classes of our library under "shadow." package names with
# the JDK's javac (--release 17) and compare them with the real JDK classes on HotSpot.
# Only javac, java and sed are used. Exits non-zero on any mismatch.
#
#   java-l4/test/run-shadow-tests.sh [Test ...]     (default: all tests in test/shadow)
#   SHADOW_SCALE=0.1 java-l4/test/run-shadow-tests.sh   (fewer random inputs)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
lib="$here/../src/java.base"
work="$(mktemp -d "${TMPDIR:-/tmp}/capuchin-shadow.XXXXXX")"
trap 'rm -rf "$work"' EXIT

version="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
if [ "$version" != "17" ]; then
    echo "error: the shadow tests compare with JDK 17 (found java.specification.version=$version)" >&2
    exit 2
fi

# Classes copied from the library: package java.X becomes shadow.java.X, capuchin.internal
# becomes shadow.capuchin.internal. Same-package classes then refer to each other, anything
# else (java.lang.String, ...) to the JDK's.
copy() { # copy <package dir> <class>...
    local pkg="$1"; shift
    mkdir -p "$work/src/shadow/$pkg"
    for c in "$@"; do
        sed -e "s/^package ${pkg//\//\\.};/package shadow.${pkg//\//.};/" \
            -e 's/\bcapuchin\.internal\./shadow.capuchin.internal./g' \
            -e 's/^import java\.util\.\*;$//' \
            "$lib/$pkg/$c.java" > "$work/src/shadow/$pkg/$c.java"
    done
}

copy capuchin/internal BigNat FloatText FloatParser \
    CharacterData CharacterDataTables Regex StringSplit ArraysSupport Charsets
# StrictMath's transcendental functions are VM natives: the copy compiles, but only its Java
# methods can run on HotSpot (StrictMathTest calls no natives)
copy java/lang StrictMath Math Integer Long NumberFormatException Throwable StackTraceElement
copy java/io PrintStream
sed -i 's/^package shadow\.java\.io;/package shadow.java.io;\nimport java.io.*;/' "$work/src/shadow/java/io/PrintStream.java"
# Throwable's natives become stubs: the test sets stack traces with setStackTrace
sed -i -e 's/public synchronized native Throwable fillInStackTrace();/public synchronized Throwable fillInStackTrace() { return this; }/' \
    -e 's/private native int getStackTraceDepth();/private int getStackTraceDepth() { return 0; }/' \
    -e 's/private native StackTraceElement getStackTraceElement(int index);/private StackTraceElement getStackTraceElement(int index) { return null; }/' \
    -e 's/\(not permitted"\), \(this\|exception\));/\1);/' -e 's/\(a null"\)), this);/\1));/' \
    "$work/src/shadow/java/lang/Throwable.java"
# Our java.util, whole, except the interfaces java.lang itself names (Iterable.iterator()
# returns java.util.Iterator, String.CASE_INSENSITIVE_ORDER is a java.util.Comparator,
# String.toUpperCase takes a java.util.Locale).
(cd "$lib/java/util" && ls *.java | sed "s/\\.java$//" | grep -v -x -e Iterator -e Comparator -e Locale) > "$work/util-classes"
copy java/util $(cat "$work/util-classes")
for f in "$work"/src/shadow/java/util/*.java; do
    # same-package classes win over this on-demand import, so only what we lack comes from the JDK
    sed -i 's/^package shadow\.java\.util;/package shadow.java.util;\nimport java.util.*;/' "$f"
done
# java.lang classes that use String's package-private sharing constructor get the public one
sed -i 's/new String(\([a-z]*\), true)/new String(\1)/g' "$work"/src/shadow/java/lang/*.java

mkdir -p "$work/classes"
if ! javac --release 17 -nowarn -encoding UTF-8 -d "$work/classes" \
    $(find "$work/src" "$here/shadow" -name '*.java') > "$work/javac.log" 2>&1; then
    grep -v '^Note:' "$work/javac.log" >&2
    echo "error: the shadow sources do not compile" >&2
    exit 1
fi

tests=("$@")
if [ ${#tests[@]} -eq 0 ]; then
    tests=($(cd "$here/shadow" && ls *Test.java | sed 's/\.java$//'))
fi
status=0
total_pass=0
total_fail=0
for t in "${tests[@]}"; do
    if out="$(java -Xss64m -XX:-OmitStackTraceInFastThrow -cp "$work/classes" "shadowtest.$t" 2>&1)"; then rc=0; else rc=$?; fi
    echo "$out"
    p=$(echo "$out" | sed -n 's/^.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' | awk '{s+=$1} END {print s+0}')
    f=$(echo "$out" | sed -n 's/^.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' | awk '{s+=$1} END {print s+0}')
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
    if [ "$rc" -ne 0 ]; then status=1; fi
done
echo "shadow: $total_pass passed, $total_fail failed"
if [ "$total_fail" -ne 0 ]; then status=1; fi
exit $status
