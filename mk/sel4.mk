# seL4 Microkit build of Capuchin (docs/sel4.md). Included by the Makefile.
#
#   make image      MICROKIT_SDK=<sdk> [MICROKIT_BOARD=qemu_virt_aarch64] [MICROKIT_CONFIG=debug|release|benchmark]
#                   -> build/sel4/<config>/loader.img from system.xml
#   make qemu       (same variables) boot it in QEMU; stops when the demo is done
#   make qemu-crash (same variables) tests/systems/crash.xml: a PD faults, the monitor reports it, the rest run on
#   make qemu-bench (same variables) examples/ipc-bench.xml under -icount shift=0: instructions per round trip
#                   (release/benchmark kernels print through a PL011 UART mapped into a copy of the SDF)
#   make qemu-bench-profile (same variables) the Java bench server's instructions per call, by function
#                   (QEMU single-steps examples/ipc-profile.xml; docs/sel4.md, "Profiling a call");
#                   PROFILE_SIDE=client: the Java bench client's (examples/ipc-profile-client.xml)
#   make qemu-java-corpus (same variables) tests/java programs in Java PDs; output must equal the JDK's
#   make qemu-net   (same variables) examples/net/vif-virtio.xml: virtio-net fed by the host over a loopback
#                   UDP socket, through the classifier and three VIF domains (two run Java VIFlets,
#                   embedded in vif.elf) and back; counts checked. SEL4_NET_CONFIG=examples/net/virtio-crash.conf:
#                   the driver crashes after 12,000 frames and netctl restarts it
#   make qemu-system SEL4_SYSTEM=<file.xml> [QEMU_EXPECT='--expect "pd: text" ...'] [QEMU_FLAGS=--icount]
#                   any other system description whose PDs are in sel4/pds
#
# The PDs are built from the same sources as the hosted ones
# (examples/demo-pds/src/bin) by the separate cargo workspace in sel4/, with
# rust-sel4's nightly toolchain, -Z build-std and rust-sel4's aarch64-sel4
# target spec (vendored in sel4/support/targets; BSD-2-Clause).

MICROKIT_SDK     ?=
MICROKIT_BOARD   ?= qemu_virt_aarch64
MICROKIT_CONFIG  ?= debug
SEL4_TOOLCHAIN   ?= nightly-2026-04-04
SEL4_TARGET_SPEC ?= $(CURDIR)/sel4/support/targets/aarch64-sel4.json
SEL4_CARGO       ?= cargo +$(SEL4_TOOLCHAIN)
# Extra cargo flags, e.g. --config <file> with a [patch] for a local rust-sel4 checkout (docs/sel4.md).
SEL4_CARGO_FLAGS ?=
SEL4_HOST_CARGO  ?= $(or $(CARGO),cargo)
SEL4_OUT         := $(CURDIR)/build/sel4/$(MICROKIT_CONFIG)
SEL4_TARGET_DIR  := $(SEL4_OUT)/target
SEL4_ELF_DIR     := $(SEL4_TARGET_DIR)/$(basename $(notdir $(SEL4_TARGET_SPEC)))/release
SEL4_CAPUCHIN    ?= $(abspath $(TARGET_DIR))/capuchin
QEMU_TIMEOUT     ?= 300
SEL4_SDK_BOARD   := $(MICROKIT_SDK)/board/$(MICROKIT_BOARD)

# Lines that end each QEMU run successfully.
SEL4_DEMO_EXPECT := --expect "calc_client: done" --expect "calc_client_r2j: done" --expect "calc_client_java: done" --expect "calc_client_j2j: done" --expect "ping: 1000 round trips done" \
                    --expect "supervisor: crasher is up after 2 restarts"
SEL4_CRASH_EXPECT := --expect "crash_client: faulty_server answers" --expect "ping: 1000 round trips done" \
                     --allow-fault faulty_server
SEL4_BENCH_EXPECT := $(foreach pd,bench_client_j2j bench_client_java bench_client_r2j bench_client,--expect '"pd":"$(pd)","kind":"ppc"') \
	--expect '"kind":"notify"'

.PHONY: image qemu qemu-crash qemu-bench qemu-bench-profile qemu-system sel4-sdk-check sel4-capuchin sel4-qemu-config-check

sel4-sdk-check:
	@if [ -z "$(MICROKIT_SDK)" ]; then \
		echo "error: MICROKIT_SDK is not set." >&2; \
		echo "  Pass the path of a seL4 Microkit 2.3.0 SDK built for board $(MICROKIT_BOARD), config $(MICROKIT_CONFIG):" >&2; \
		echo "    make image MICROKIT_SDK=/path/to/microkit-sdk-2.3.0 MICROKIT_BOARD=qemu_virt_aarch64 MICROKIT_CONFIG=debug" >&2; \
		echo "  Where to get an SDK (release tarball or build_sdk.py): docs/sel4.md" >&2; \
		exit 2; \
	fi
	@if [ ! -x "$(MICROKIT_SDK)/bin/microkit" ]; then \
		echo "error: $(MICROKIT_SDK) is not a Microkit SDK (no bin/microkit); see docs/sel4.md" >&2; exit 2; \
	fi
	@if [ ! -d "$(SEL4_SDK_BOARD)" ]; then \
		echo "error: the SDK in $(MICROKIT_SDK) has no board '$(MICROKIT_BOARD)'; it has: $$(ls $(MICROKIT_SDK)/board | tr '\n' ' ')" >&2; \
		echo "  Pass MICROKIT_BOARD=<one of those> or build an SDK with --boards $(MICROKIT_BOARD) (docs/sel4.md)" >&2; exit 2; \
	fi
	@if [ ! -d "$(SEL4_SDK_BOARD)/$(MICROKIT_CONFIG)/include" ]; then \
		echo "error: board $(MICROKIT_BOARD) of the SDK in $(MICROKIT_SDK) has no config '$(MICROKIT_CONFIG)'; it has: $$(ls $(SEL4_SDK_BOARD) | tr '\n' ' ')" >&2; \
		echo "  Pass MICROKIT_CONFIG=<one of those> or build an SDK with --configs $(MICROKIT_CONFIG) (docs/sel4.md)" >&2; exit 2; \
	fi
	@if ! grep -q '"ARCH_AARCH64": *true' "$(SEL4_SDK_BOARD)/$(MICROKIT_CONFIG)/include/kernel/gen_config.json" 2>/dev/null; then \
		echo "error: board $(MICROKIT_BOARD) is not AArch64; the seL4 build supports AArch64 boards only (docs/sel4.md)" >&2; exit 2; \
	fi
	@command -v rustup >/dev/null && { rustup toolchain list | grep -q '^$(SEL4_TOOLCHAIN)' || { \
		echo "error: Rust toolchain $(SEL4_TOOLCHAIN) is missing: rustup toolchain install $(SEL4_TOOLCHAIN) --profile minimal -c rust-src" >&2; exit 2; }; } || true

# sel4-pds-<name>: build every PD binary against the system description
# $(SEL4_SYSTEM_<name>) and make build/sel4/<config>/<name>/loader.img.
SEL4_SYSTEM_demo  := $(CURDIR)/system.xml
SEL4_SYSTEM_crash := $(CURDIR)/tests/systems/crash.xml
# qemu-bench-profile: which Java side is counted, in which system, whose
# BENCH line ends the run, and the function that runs once per call.
PROFILE_SIDE ?= server
ifeq ($(PROFILE_SIDE),client)
SEL4_PROFILE_SYSTEM := ipc-profile-client
SEL4_PROFILE_PD     := bench_client_java
SEL4_PROFILE_CLIENT := bench_client_java
SEL4_PROFILE_ANCHOR := <sel4_microkit_base::channel::Channel>::pp_call
else ifeq ($(PROFILE_SIDE),server)
SEL4_PROFILE_SYSTEM := ipc-profile
SEL4_PROFILE_PD     := bench_server_java
SEL4_PROFILE_CLIENT := bench_client_r2j
SEL4_PROFILE_ANCHOR := sel4_microkit_base::ipc::reply_recv
else
$(error PROFILE_SIDE=$(PROFILE_SIDE): expected server or client)
endif
# Only debug kernels have a console. For release/benchmark, qemu-bench boots a
# copy of ipc-bench.xml that maps QEMU virt's PL011 UART into each PD
# (setvar_vaddr="capuchin_uart"), which ipc-bindings-sel4 then prints to.
ifeq ($(MICROKIT_CONFIG),debug)
SEL4_SYSTEM_bench := $(CURDIR)/examples/ipc-bench.xml
SEL4_SYSTEM_profile := $(CURDIR)/examples/$(SEL4_PROFILE_SYSTEM).xml
else
SEL4_SYSTEM_bench := $(SEL4_OUT)/ipc-bench-uart.xml
SEL4_SYSTEM_profile := $(SEL4_OUT)/$(SEL4_PROFILE_SYSTEM)-uart.xml
endif
SEL4_SYSTEM_custom := $(if $(SEL4_SYSTEM),$(abspath $(SEL4_SYSTEM)))
# The network pipeline on virtio-net; seL4 has no files, so netctl's
# configuration is compiled in (pd-netdriver/build.rs).
SEL4_SYSTEM_net  := $(CURDIR)/examples/net/vif-virtio.xml
SEL4_NET_CONFIG  ?= $(CURDIR)/examples/net/virtio.conf
sel4-pds-net: export CAPUCHIN_NET_CONFIG_BUILTIN := $(abspath $(SEL4_NET_CONFIG))
# Java VIFlets on seL4: the vif binary embeds the class library and one
# VIFlet class image (pd-vif/embed_images.rs), the classes of
# SEL4_VIFLETS_SRC compiled against java-l4.jar and packed; a VIF whose
# configuration says `processor=java:CLASS` without `classes=` loads CLASS
# from it. Passed on the cargo command line only (not exported), so the
# hosted build `java-l4` runs does not embed them.
SEL4_VIFLETS_SRC ?= examples/vif
SEL4_VIFLETS_OUT := $(SEL4_OUT)/viflets
SEL4_VIFLETS_IMG := $(SEL4_OUT)/viflets.img
SEL4_ENV_net     := CAPUCHIN_VIF_LIBRARY="$(abspath $(JAVA_L4_IMG))" CAPUCHIN_VIF_CLASSES="$(SEL4_VIFLETS_IMG)"
sel4-pds-net: sel4-viflets
.PHONY: sel4-viflets
sel4-viflets: java-l4
	rm -rf "$(SEL4_VIFLETS_OUT)" && mkdir -p "$(SEL4_VIFLETS_OUT)"
	javac --release 17 -nowarn -cp $(JAVA_L4_JAR) -d "$(SEL4_VIFLETS_OUT)" $$(find $(SEL4_VIFLETS_SRC) -name '*.java')
	$(CAPUCHIN) pack -o "$(SEL4_VIFLETS_IMG)" "$(SEL4_VIFLETS_OUT)"
# The Java PDs of each system (their images come from `make java-pds`).
SEL4_JAVA_PDS_demo := $(JAVA_PDS)
sel4-pds-demo: java-pds
SEL4_JAVA_PDS_bench := bench_server_java bench_client_java bench_client_j2j
sel4-pds-bench: java-pds

sel4-pds-%: sel4-sdk-check
	@test -n "$(SEL4_SYSTEM_$*)" || { echo "error: no system description for '$*' (qemu-system needs SEL4_SYSTEM=<file.xml>)" >&2; exit 2; }
	cd sel4 && $(SEL4_ENV_$*) CAPUCHIN_SYSTEM="$(SEL4_SYSTEM_$*)" \
		SEL4_INCLUDE_DIRS="$(SEL4_SDK_BOARD)/$(MICROKIT_CONFIG)/include" \
		$(SEL4_CARGO) build --release --bins $(SEL4_CARGO_FLAGS) \
		-Z json-target-spec -Z build-std=core,alloc,compiler_builtins -Z build-std-features=compiler-builtins-mem \
		--target "$(SEL4_TARGET_SPEC)" --target-dir "$(SEL4_TARGET_DIR)"
	rm -rf "$(SEL4_OUT)/$*" && mkdir -p "$(SEL4_OUT)/$*"
	cp "$(SEL4_ELF_DIR)"/*.elf "$(SEL4_OUT)/$*/"
	@# Java PDs: the JVM PD once per PD, embedding the image `make java-pds` packed for it.
	@for pd in $(SEL4_JAVA_PDS_$*); do \
		img="$(abspath $(JAVA_PD_DIR))/$$pd.img"; \
		test -f "$$img" || { echo "error: no Java PD image $$img (make java-pds)" >&2; exit 1; }; \
		echo "Java PD $$pd: jvm_pd + $$img"; \
		( cd sel4 && CAPUCHIN_SYSTEM="$(SEL4_SYSTEM_$*)" CAPUCHIN_JVM_IMAGE="$$img" \
			SEL4_INCLUDE_DIRS="$(SEL4_SDK_BOARD)/$(MICROKIT_CONFIG)/include" \
			$(SEL4_CARGO) build --release --bin jvm_pd $(SEL4_CARGO_FLAGS) \
			-Z json-target-spec -Z build-std=core,alloc,compiler_builtins -Z build-std-features=compiler-builtins-mem \
			--target "$(SEL4_TARGET_SPEC)" --target-dir "$(SEL4_TARGET_DIR)" ) || exit 1; \
		cp "$(SEL4_ELF_DIR)/jvm_pd.elf" "$(SEL4_OUT)/$*/$$pd.elf" || exit 1; \
	done
	"$(MICROKIT_SDK)/bin/microkit" "$(SEL4_SYSTEM_$*)" --search-path "$(SEL4_OUT)/$*" \
		--board $(MICROKIT_BOARD) --config $(MICROKIT_CONFIG) \
		-o "$(SEL4_OUT)/$*/loader.img" -r "$(SEL4_OUT)/$*/report.txt"
	@echo "seL4 image: $(SEL4_OUT)/$*/loader.img"

$(SEL4_OUT)/%-uart.xml: examples/%.xml
	@if [ "$(MICROKIT_BOARD)" != qemu_virt_aarch64 ]; then \
		echo "error: the UART console for $(MICROKIT_CONFIG) kernels is only set up for qemu_virt_aarch64" >&2; exit 2; fi
	mkdir -p $(@D)
	sed -e 's|<system>|<system>\n    <memory_region name="capuchin_uart" size="0x1000" phys_addr="0x9000000" />|' \
	    -e 's|^\([[:space:]]*\)<program_image .*/>|&\n\1<map mr="capuchin_uart" vaddr="0x5000000" perms="rw" cached="false" setvar_vaddr="capuchin_uart" />|' \
	    $< > $@

sel4-pds-bench: $(SEL4_SYSTEM_bench)

image: sel4-pds-demo
	cp "$(SEL4_OUT)/demo/loader.img" "$(SEL4_OUT)/loader.img"
	@echo "Microkit image for system.xml: build/sel4/$(MICROKIT_CONFIG)/loader.img"

sel4-capuchin:
	$(SEL4_HOST_CARGO) build --release -p capuchin

sel4-qemu-config-check:
	@if [ "$(MICROKIT_CONFIG)" != debug ]; then \
		echo "note: only debug kernels print; a $(MICROKIT_CONFIG) image boots silently, so the run ends at the timeout" >&2; fi

qemu: image sel4-capuchin sel4-qemu-config-check
	$(SEL4_CAPUCHIN) qemu --image "$(SEL4_OUT)/loader.img" --board $(MICROKIT_BOARD) \
		--timeout $(QEMU_TIMEOUT) --log "$(SEL4_OUT)/demo/serial.txt" $(SEL4_DEMO_EXPECT)

qemu-crash: sel4-pds-crash sel4-capuchin sel4-qemu-config-check
	$(SEL4_CAPUCHIN) qemu --image "$(SEL4_OUT)/crash/loader.img" --board $(MICROKIT_BOARD) \
		--timeout $(QEMU_TIMEOUT) --log "$(SEL4_OUT)/crash/serial.txt" $(SEL4_CRASH_EXPECT)

qemu-bench: sel4-pds-bench sel4-capuchin
	$(SEL4_CAPUCHIN) qemu --image "$(SEL4_OUT)/bench/loader.img" --board $(MICROKIT_BOARD) --icount --bench \
		--timeout $(QEMU_TIMEOUT) --log "$(SEL4_OUT)/bench/serial.txt" $(SEL4_BENCH_EXPECT)

# The Java bench server's (or client's) instructions per call by function:
# the image of examples/ipc-profile.xml (ipc-profile-client.xml) linked from
# the bench build, single-stepped by QEMU (slow: about 2 minutes of QEMU),
# calls 10,000 to 20,000 counted.
qemu-bench-profile: sel4-pds-bench sel4-capuchin $(SEL4_SYSTEM_profile)
	mkdir -p "$(SEL4_OUT)/$(SEL4_PROFILE_SYSTEM)"
	"$(MICROKIT_SDK)/bin/microkit" "$(SEL4_SYSTEM_profile)" --search-path "$(SEL4_OUT)/bench" \
		--board $(MICROKIT_BOARD) --config $(MICROKIT_CONFIG) \
		-o "$(SEL4_OUT)/$(SEL4_PROFILE_SYSTEM)/loader.img" -r "$(SEL4_OUT)/$(SEL4_PROFILE_SYSTEM)/report.txt"
	$(SEL4_CAPUCHIN) qemu --image "$(SEL4_OUT)/$(SEL4_PROFILE_SYSTEM)/loader.img" --board $(MICROKIT_BOARD) --icount --bench \
		--timeout 900 --log "$(SEL4_OUT)/$(SEL4_PROFILE_SYSTEM)/serial.txt" --expect '"pd":"$(SEL4_PROFILE_CLIENT)","kind":"ppc"' \
		--profile "$(SEL4_OUT)/bench/$(SEL4_PROFILE_PD).elf" --profile-anchor '$(SEL4_PROFILE_ANCHOR)' \
		--profile-range 0x10100000+0x100000 --profile-addresses "$(SEL4_OUT)/$(SEL4_PROFILE_SYSTEM)/addresses.txt"

qemu-system: sel4-pds-custom sel4-capuchin sel4-qemu-config-check
	$(SEL4_CAPUCHIN) qemu --image "$(SEL4_OUT)/custom/loader.img" --board $(MICROKIT_BOARD) \
		--timeout $(QEMU_TIMEOUT) --log "$(SEL4_OUT)/custom/serial.txt" $(QEMU_FLAGS) $(QEMU_EXPECT)

# The corpus (tests/java; SEL4_JAVA_CORPUS names some, default all) in Java
# PDs on seL4: each one's console output must equal the JDK's merged stdout
# and stderr, and a non-zero JDK status must be the PD's panic
# (tests/sel4/java-corpus.sh). JAVA_JIT=off|all|N is each PD's `capuchin
# pack --jit` (default all: every method compiled by the aarch64 back end
# before it runs); JAVA_CORPUS_BATCH programs per boot (8),
# JAVA_CORPUS_HEAP_MB each one's Java heap (8).
SEL4_JAVA_CORPUS ?= all
.PHONY: qemu-java-corpus
qemu-java-corpus: sel4-sdk-check java-l4 sel4-capuchin
	JAVA_CORPUS="$(SEL4_JAVA_CORPUS)" JAVA_CORPUS_BATCH="$(JAVA_CORPUS_BATCH)" JAVA_CORPUS_HEAP_MB="$(JAVA_CORPUS_HEAP_MB)" JAVA_JIT="$(or $(JAVA_JIT),all)" OUT="$(SEL4_OUT)/java-corpus" CAPUCHIN="$(SEL4_CAPUCHIN)" \
	JAVA_L4_IMG="$(abspath $(JAVA_L4_IMG))" MICROKIT="$(MICROKIT_SDK)/bin/microkit" \
	MICROKIT_BOARD=$(MICROKIT_BOARD) MICROKIT_CONFIG=$(MICROKIT_CONFIG) QEMU_TIMEOUT=$(QEMU_TIMEOUT) \
	SEL4_JVM_PD_ELF="$(SEL4_ELF_DIR)/jvm_pd.elf" \
	SEL4_BUILD_JVM_PD='cd sel4 && SEL4_INCLUDE_DIRS="$(SEL4_SDK_BOARD)/$(MICROKIT_CONFIG)/include" \
		$(SEL4_CARGO) build --release --bin jvm_pd $(SEL4_CARGO_FLAGS) -Z json-target-spec \
		-Z build-std=core,alloc,compiler_builtins -Z build-std-features=compiler-builtins-mem \
		--target "$(SEL4_TARGET_SPEC)" --target-dir "$(SEL4_TARGET_DIR)" -q' \
	sh tests/sel4/java-corpus.sh

# The network domains on seL4 (docs/network.md, "On seL4"): QEMU's
# virtio-net device gets a UDP socket backend on 127.0.0.1; `capuchin vif
# qemu` sends the frames, checks those that come back and every domain's
# counters from netctl's report.
QEMU_NET_FLAGS ?=
.PHONY: qemu-net
qemu-net: sel4-pds-net sel4-capuchin sel4-qemu-config-check
	$(SEL4_CAPUCHIN) vif qemu --image "$(SEL4_OUT)/net/loader.img" --config "$(abspath $(SEL4_NET_CONFIG))" \
		--timeout $(QEMU_TIMEOUT) --log "$(SEL4_OUT)/net/serial.txt" $(QEMU_NET_FLAGS)
