#!/usr/bin/env bash
# Compares `capuchin check` with the Microkit SDK's own `microkit` tool on
# every system description in the repo: both must accept or both reject.
# The real tool parses before it looks for program images, so its
# "unable to find program image" error means the description was accepted.
#
#   tools/sdf-compare.sh MICROKIT_SDK CAPUCHIN_BIN [FILE...]
set -uo pipefail
sdk=${1:?usage: $0 MICROKIT_SDK CAPUCHIN_BIN [FILE...]}
capuchin=${2:?usage: $0 MICROKIT_SDK CAPUCHIN_BIN [FILE...]}
shift 2
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(system.xml examples/*.xml tests/systems/*.xml tests/sdf/good/*.xml tests/sdf/bad/*.xml)
board=${MICROKIT_BOARD:-qemu_virt_aarch64}
config=${MICROKIT_CONFIG:-debug}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
known=$(grep -v '^#' tests/sdf/KNOWN_DIVERGENCES 2>/dev/null | awk '{print $1}')
agree=0 disagree=0 skipped=0
for f in "${files[@]}"; do
    if grep -qx "$f" <<<"$known"; then skipped=$((skipped + 1)); continue; fi
    msg=$("$sdk/bin/microkit" "$f" --board "$board" --config "$config" -o "$out/loader.img" -r "$out/report.txt" \
        --search-path "$out" 2>&1)
    if [ $? -eq 0 ] || grep -q "unable to find program image" <<<"$msg"; then real=accept; else real=reject; fi
    if "$capuchin" check "$f" >/dev/null 2>&1; then ours=accept; else ours=reject; fi
    if [ "$real" = "$ours" ]; then
        agree=$((agree + 1))
    else
        disagree=$((disagree + 1))
        echo "DISAGREE $f: microkit ${real}s, capuchin ${ours}s"
        echo "  microkit: $(head -c 300 <<<"$msg" | tr '\n' ' ')"
        echo "  capuchin: $("$capuchin" check "$f" 2>&1 | head -c 300)"
    fi
done
echo "sdf-compare: $agree agree, $disagree disagree, $skipped known divergences (tests/sdf/KNOWN_DIVERGENCES) (microkit $(basename "$sdk"), $board/$config)"
[ "$disagree" -eq 0 ]
