#!/usr/bin/env bash
# Instructions per JIT compilation, counted by callgrind (repeatable on a
# shared machine, unlike `capuchin bench jit`'s microseconds): the run
# behind bench jit's compile-cost table, `capuchin java --jit all
# --jit-opt OPT JvmBench sieve 0`, with a callgrind dump after every
# compilation. Prints the median and mean over the methods under 100
# bytecodes. (A compilation that starts another inside it, through a
# class initializer, splits their counts; the median hardly moves.)
#
#   tools/compile-instructions.sh CAPUCHIN_BIN [OPT]     (OPT: auto, speed, fast; default auto)
set -euo pipefail
capuchin=${1:?usage: $0 CAPUCHIN_BIN [auto|speed|fast]}
opt=${2:-auto}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
javac -d "$work/classes" examples/bench-jvm/JvmBench.java
compile='<jit::Jit as pd_jvm::runtime::compiler::Compiler>::compile'
valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" --toggle-collect="$compile" --dump-after="$compile" \
    "$capuchin" java --jit all --jit-opt "$opt" --jit-log -cp "$work/classes" JvmBench sieve 0 \
    2>"$work/log" >/dev/null
# One dump per compilation, in the order the log lists them.
for f in $(ls "$work"/cg.out.* | sort -t. -k3 -n); do
    grep -m1 '^summary:\|^totals:' "$f" | awk '{print $2}'
done >"$work/counts"
grep 'capuchin java: jit ' "$work/log" | sed 's/.*: \([0-9]*\) bytecodes.*/\1/; s/.*declined.*/999999/' >"$work/bytecodes"
paste "$work/bytecodes" "$work/counts" | awk '$1 < 100 && $2 != "" {print $2}' | sort -n |
    awk '{a[NR] = $1; s += $1} END {printf "--jit-opt '"$opt"': %d methods under 100 bytecodes: median %d instructions, mean %d\n", NR, a[int(NR / 2) + 1], s / NR}'
