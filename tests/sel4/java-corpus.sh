#!/bin/sh
# Runs programs of the differential Java corpus (tests/java) in Java PDs on
# seL4 in QEMU and compares each one's console output with the JDK's.
# Called by `make qemu-java-corpus` (mk/sel4.mk), which passes the variables
# below; see docs/sel4.md.
#
#   JAVA_CORPUS  programs to run (tests/java/<name>.java), or `all`
#   JAVA_CORPUS_BATCH  programs per booted system (default 8: each JVM PD
#                 takes about 28 MiB, and the loader must fit below the image)
#   JAVA_CORPUS_HEAP_MB  each PD's Java heap quota in MiB (default 8, what
#                 the corpus needs; its native heap gets 12 MiB more for the
#                 VM's class tables, as in the JVM PD's default of 4 + 12).
#                 The depth limit is `capuchin java`'s, 10000 frames.
#   OUT          scratch directory;  CAPUCHIN  host capuchin binary
#   JAVA_L4_IMG  the class library image
#   SEL4_BUILD_JVM_PD  command that builds the seL4 jvm_pd ELF embedding
#                      $CAPUCHIN_JVM_IMAGE and prints nothing else on stdout
#   SEL4_JVM_PD_ELF    where that build leaves the ELF
#   MICROKIT      the SDK's microkit tool, plus MICROKIT_BOARD, MICROKIT_CONFIG
#   JAVA_JIT      capuchin pack --jit: off, all or a threshold (default all,
#                 so the aarch64 back end compiles every method); each PD
#                 maps 4 MiB of code memory twice (rw, rx) for it
#
# The console carries stdout and stderr alike, so the reference is the JDK's
# two streams merged (both flush at each line there). A program the JDK ends
# with a non-zero status (System.exit, an uncaught exception) ends its PD
# with a fault on seL4, as a PD cannot exit: its output up to the PD's panic
# must equal the JDK's, and the panic must say `System.exit(N)` for the
# JDK's status N, or `main failed` for status 1.
set -eu
rm -rf "$OUT" && mkdir -p "$OUT/classes" "$OUT/elf"
if [ "$JAVA_CORPUS" = all ]; then
    JAVA_CORPUS=$(cd tests/java && ls ./*.java | sed 's|^\./||; s|\.java$||')
fi
batch=${JAVA_CORPUS_BATCH:-8}
heap_mb=${JAVA_CORPUS_HEAP_MB:-8}
jit=${JAVA_JIT:-all}

# Program P's output in a console log on stdin: from its start marker up to
# its end marker, or up to STOP (its PD's panic), either of which may follow
# output without a newline; a monitor line or another program's start also
# ends it.
program_output() {
    awk -v p="$1" -v stop="$2" '
        $0 == "@@start:" p "@@" { on = 1; next }
        !on { next }
        /^MON\|/ || /^@@start:/ { exit }
        {
            e = index($0, "@@end:" p "@@")
            i = index($0, stop)
            if (e > 0 && (i == 0 || e < i)) i = e
            if (i > 0) { buf = buf substr($0, 1, i - 1); exit }
            buf = buf $0 "\n"
        }
        END { printf "%s", buf }'
}

# A wrapper per program marks where its output starts and ends.
for p in $JAVA_CORPUS; do
    cp "tests/java/$p.java" "$OUT/classes/"
    cat > "$OUT/classes/Run_$p.java" <<JAVA
public class Run_$p {
    public static void main(String[] args) throws Exception {
        System.out.println("@@start:$p@@");
        $p.main(args);
        System.out.flush();
        System.out.println("@@end:$p@@");
    }
}
JAVA
done
(cd "$OUT/classes" && javac --release 17 -nowarn -d . ./*.java)
for p in $JAVA_CORPUS; do
    status=0
    java -cp "$OUT/classes" "Run_$p" > "$OUT/$p.jdk.raw" 2>&1 || status=$?
    echo "$status" > "$OUT/$p.status"
    # The end of the file may cut a line (System.exit after a print).
    { cat "$OUT/$p.jdk.raw"; printf '@@eof@@'; } | program_output "$p" '@@eof@@' > "$OUT/$p.jdk"
done

pd_of() { echo "$1" | tr 'A-Z' 'a-z'; }

# One system per batch (the programs in $names), highest priority first: each
# PD runs main in init to the end (or its fault) before the next is
# scheduled, so outputs do not interleave.
run_batch() {
    dir="$OUT/batch$n"
    mkdir -p "$dir"
    sdf="$dir/java-corpus.xml"
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<system>\n' > "$sdf"
    prio=200
    for p in $names; do
        pd=$(pd_of "$p")
        printf '    <memory_region name="%s_jit" size="0x400000" />\n' "$pd" >> "$sdf"
        printf '    <protection_domain name="%s" priority="%d">\n        <program_image path="%s.elf" />\n' "$pd" "$prio" "$pd" >> "$sdf"
        printf '        <map mr="%s_jit" vaddr="0x10000000" perms="rw" setvar_vaddr="jit_code_rw" />\n' "$pd" >> "$sdf"
        printf '        <map mr="%s_jit" vaddr="0x10400000" perms="rx" setvar_vaddr="jit_code_rx" />\n' "$pd" >> "$sdf"
        printf '    </protection_domain>\n' >> "$sdf"
        prio=$((prio - 1))
    done
    printf '</system>\n' >> "$sdf"
    set --  # the QEMU run's --expect and --allow-fault
    for p in $names; do
        pd=$(pd_of "$p")
        "$CAPUCHIN" pack -o "$OUT/$pd.img" --system "$sdf" --pd "$pd" --main "Run_$p" --jit "$jit" \
            --heap "${heap_mb}m" --max-depth 10000 "$JAVA_L4_IMG" "$OUT/classes" >/dev/null
        CAPUCHIN_JVM_IMAGE="$OUT/$pd.img" CAPUCHIN_SYSTEM="$sdf" CAPUCHIN_JVM_PD_HEAP=$(((heap_mb + 12) << 20)) \
            sh -c "$SEL4_BUILD_JVM_PD"
        cp "$SEL4_JVM_PD_ELF" "$OUT/elf/$pd.elf"
        # A program the JDK ends with a non-zero status faults its PD.
        if [ "$(cat "$OUT/$p.status")" = 0 ]; then
            set -- "$@" --expect "@@end:$p@@"
        else
            set -- "$@" --expect "faulting PD: $pd" --allow-fault "$pd"
        fi
    done
    "$MICROKIT" "$sdf" --search-path "$OUT/elf" --board "$MICROKIT_BOARD" --config "$MICROKIT_CONFIG" \
        -o "$dir/loader.img" -r "$dir/report.txt"
    "$CAPUCHIN" qemu --image "$dir/loader.img" --board "$MICROKIT_BOARD" --timeout "${QEMU_TIMEOUT:-300}" \
        --log "$dir/serial.txt" "$@" >/dev/null || true
    for p in $names; do
        pd=$(pd_of "$p")
        program_output "$p" "$pd: panicked at " < "$dir/serial.txt" > "$OUT/$p.sel4"
        status=$(cat "$OUT/$p.status")
        if [ "$status" = 0 ]; then
            grep -q "@@end:$p@@" "$dir/serial.txt" && ended=yes || ended="no end marker"
        elif [ "$status" = 1 ]; then
            # An uncaught exception, or System.exit(1).
            grep -q -e "$pd: main failed" -e "$pd: System.exit(1) called" "$dir/serial.txt" && ended=yes ||
                ended="no 'main failed' or System.exit(1) panic"
        else
            grep -q "$pd: System.exit($status) called" "$dir/serial.txt" && ended=yes || ended="no System.exit($status) panic"
        fi
        if [ "$ended" = yes ] && cmp -s "$OUT/$p.jdk" "$OUT/$p.sel4"; then
            echo "java corpus on seL4: $p: identical to the JDK ($(wc -l < "$OUT/$p.jdk") lines, status $status)"
            passed=$((passed + 1))
        else
            echo "java corpus on seL4: $p: DIFFERS from the JDK ($ended; diff $OUT/$p.jdk $OUT/$p.sel4)"
            diff "$OUT/$p.jdk" "$OUT/$p.sel4" | head -10 || true
            failed="$failed $p"
        fi
    done
}

passed=0
failed=""
n=0
# shellcheck disable=SC2086
set -- $JAVA_CORPUS
while [ $# -gt 0 ]; do
    n=$((n + 1))
    names=""
    i=0
    while [ $# -gt 0 ] && [ $i -lt "$batch" ]; do
        names="$names $1"
        shift
        i=$((i + 1))
    done
    rest="$*"
    run_batch
    # shellcheck disable=SC2086
    set -- $rest
done
echo "java corpus on seL4: $passed identical to the JDK${failed:+; differ:$failed}"
[ -z "$failed" ]
