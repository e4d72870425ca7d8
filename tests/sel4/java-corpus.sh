#!/bin/sh
# Runs programs of the differential Java corpus (tests/java) in Java PDs on
# seL4 in QEMU and compares each one's console output with the JDK's stdout.
# Called by `make qemu-java-corpus` (mk/sel4.mk), which passes the variables
# below; see docs/sel4.md.
#
#   JAVA_CORPUS  programs to run (tests/java/<name>.java)
#   OUT          scratch directory;  CAPUCHIN  host capuchin binary
#   JAVA_L4_IMG  the class library image;  SYSTEM_NAME  PD name prefix
#   SEL4_BUILD_JVM_PD  command that builds the seL4 jvm_pd ELF embedding
#                      $CAPUCHIN_JVM_IMAGE and prints nothing else on stdout
#   SEL4_JVM_PD_ELF    where that build leaves the ELF
#   MICROKIT      the SDK's microkit tool, plus MICROKIT_BOARD, MICROKIT_CONFIG
#   JAVA_JIT      capuchin pack --jit: off, all or a threshold (default all,
#                 so the aarch64 back end compiles every method); each PD
#                 maps 4 MiB of code memory twice (rw, rx) for it
set -eu
rm -rf "$OUT" && mkdir -p "$OUT/classes" "$OUT/elf"

# One PD per program, highest priority first: each runs main in init to the
# end before the next is scheduled, so their outputs do not interleave.
# A wrapper prints a marker after main so the console can be cut per program.
sdf="$OUT/java-corpus.xml"
printf '<?xml version="1.0" encoding="UTF-8"?>\n<system>\n' > "$sdf"
jit=${JAVA_JIT:-all}
prio=200
for p in $JAVA_CORPUS; do
    cp "tests/java/$p.java" "$OUT/classes/"
    cat > "$OUT/classes/Run_$p.java" <<JAVA
public class Run_$p {
    public static void main(String[] args) throws Exception {
        $p.main(args);
        System.out.flush();
        System.out.println("@@end:$p@@");
    }
}
JAVA
    pd=$(echo "$p" | tr 'A-Z' 'a-z')
    printf '    <memory_region name="%s_jit" size="0x400000" />\n' "$pd" >> "$sdf"
    printf '    <protection_domain name="%s" priority="%d">\n        <program_image path="%s.elf" />\n' "$pd" "$prio" "$pd" >> "$sdf"
    printf '        <map mr="%s_jit" vaddr="0x10000000" perms="rw" setvar_vaddr="jit_code_rw" />\n' "$pd" >> "$sdf"
    printf '        <map mr="%s_jit" vaddr="0x10400000" perms="rx" setvar_vaddr="jit_code_rx" />\n' "$pd" >> "$sdf"
    printf '    </protection_domain>\n' >> "$sdf"
    prio=$((prio - 1))
done
printf '</system>\n' >> "$sdf"
(cd "$OUT/classes" && javac --release 17 -nowarn -d . ./*.java)

expect=""
for p in $JAVA_CORPUS; do
    pd=$(echo "$p" | tr 'A-Z' 'a-z')
    "$CAPUCHIN" pack -o "$OUT/$pd.img" --system "$sdf" --pd "$pd" --main "Run_$p" --jit "$jit" "$JAVA_L4_IMG" "$OUT/classes" >/dev/null
    CAPUCHIN_JVM_IMAGE="$OUT/$pd.img" CAPUCHIN_SYSTEM="$sdf" sh -c "$SEL4_BUILD_JVM_PD"
    cp "$SEL4_JVM_PD_ELF" "$OUT/elf/$pd.elf"
    expect="$expect --expect @@end:$p@@"
done
"$MICROKIT" "$sdf" --search-path "$OUT/elf" --board "$MICROKIT_BOARD" --config "$MICROKIT_CONFIG" \
    -o "$OUT/loader.img" -r "$OUT/report.txt"
# shellcheck disable=SC2086
"$CAPUCHIN" qemu --image "$OUT/loader.img" --board "$MICROKIT_BOARD" --timeout "${QEMU_TIMEOUT:-300}" \
    --log "$OUT/serial.txt" $expect >/dev/null || true

fail=0
for p in $JAVA_CORPUS; do
    java -cp "$OUT/classes" "$p" > "$OUT/$p.jdk" 2>/dev/null || true
    # The program's output: after the previous marker (or the monitor's banner), up to its own.
    awk -v p="$p" '
        /^MON\|INFO: Microkit Monitor started!/ { on = 1; next }
        /^@@end:/ { if ($0 == "@@end:" p "@@") { exit } else { on = 1; buf = ""; next } }
        on { buf = buf $0 "\n" }
        END { printf "%s", buf }' "$OUT/serial.txt" > "$OUT/$p.sel4"
    if grep -q "^@@end:$p@@" "$OUT/serial.txt" && cmp -s "$OUT/$p.jdk" "$OUT/$p.sel4"; then
        echo "java corpus on seL4: $p: identical to the JDK ($(wc -l < "$OUT/$p.jdk") lines)"
    else
        echo "java corpus on seL4: $p: DIFFERS from the JDK (diff $OUT/$p.jdk $OUT/$p.sel4)"
        diff "$OUT/$p.jdk" "$OUT/$p.sel4" | head -10 || true
        fail=1
    fi
done
exit $fail
