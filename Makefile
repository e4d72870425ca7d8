# Capuchin: a Java guest runtime for the seL4 Microkit.
#
#   make run        build and boot the demo system (system.xml) on the hosted platform
#   make test       all tests: unit, integration (booting real systems), no_std builds, the Java corpus
#   make bench-ipc  IPC round trips, Rust and Java clients and servers, vs a bare futex ping-pong
#   make check      validate system.xml as the Microkit tool would
#   make java-l4    compile the Java class library and pack it (target/release/java-l4.img),
#                   and the IPC API capuchin.l4 and VIFlet API capuchin.vif (also as target/release/java-l4.jar for javac -cp)
#   make java-pds   the Java protection domains of system.xml (examples/java; docs/java-ipc.md)
#   make test-java  the differential Java corpus (tests/java) on our VM against the JDK,
#                   and capuchin java's command line (tools/tests/java_cli.rs)
#   make bench-jvm  our interpreter against HotSpot's interpreter
#   make bench-jit  our interpreter, our JIT, HotSpot and Rust; the JIT's compile cost
#   make bench-vif  packet rates through the network domains (docs/network.md)

CARGO      ?= cargo
RUSTUP     ?= rustup
PROFILE    := release
# Where cargo puts its output (honours CARGO_TARGET_DIR, as cargo does).
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)/$(PROFILE)
CAPUCHIN   := $(TARGET_DIR)/capuchin
# Crates that must stay no_std + alloc; proven by building them for a bare-metal target.
NO_STD_CRATES := ipc-bindings demo-pds pd-jvm java-l4 net-queue pd-netdriver pd-vif jit
NO_STD_TARGET := aarch64-unknown-none

.PHONY: all build run test check bench-ipc no-std-check toolchain clean sdf-compare java-l4 test-java bench-jvm bench-jit java-pds test-deps bench-vif

all: build

toolchain:
	@command -v $(CARGO) >/dev/null || { echo "error: cargo not found; install Rust with rustup (https://rustup.rs)"; exit 1; }
	@$(RUSTUP) target list --installed | grep -qx $(NO_STD_TARGET) || $(RUSTUP) target add $(NO_STD_TARGET)

build: toolchain
	$(CARGO) build --$(PROFILE) --workspace

run: build java-pds
	$(CAPUCHIN) run system.xml --search-path $(TARGET_DIR) --exit-when-idle --timeout 60

check: build
	$(CAPUCHIN) check system.xml

bench-ipc: build java-pds
	$(CAPUCHIN) bench ipc --search-path $(TARGET_DIR)

bench-vif: java-l4
	$(CAPUCHIN) bench vif --search-path $(TARGET_DIR)

# What the tests need besides cargo: tshark (the network tests compare a
# filtering VIF with `tshark -Y`) and ip (they build a veth pair in a
# network namespace), installed non-interactively if missing.
test-deps:
	@command -v tshark >/dev/null && command -v ip >/dev/null || { \
		echo "installing tshark and iproute2 (tools/tests/network.rs needs them)"; \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tshark iproute2 >/dev/null; \
		else echo "error: install tshark and iproute2 (Debian: sudo apt-get install tshark iproute2)"; exit 1; fi; }

no-std-check: toolchain
	@for c in $(NO_STD_CRATES); do \
		echo "no_std: $$c for $(NO_STD_TARGET)"; \
		$(CARGO) build -p $$c --lib --no-default-features --target $(NO_STD_TARGET) || exit 1; \
	done

# Integration tests boot systems from the PD binaries in $(TARGET_DIR), so
# the workspace is built first, in the same profile the tests run in.
test: build java-pds no-std-check test-deps
	$(CARGO) test --$(PROFILE) --workspace
	$(CAPUCHIN) check system.xml
	@# Without an SDK the seL4 build must stop with a message saying what to pass.
	@out=$$($(MAKE) --no-print-directory image MICROKIT_SDK= 2>&1); status=$$?; \
	if [ $$status -ne 0 ] && echo "$$out" | grep -q "MICROKIT_SDK is not set"; then \
		echo "make image without MICROKIT_SDK: fails cleanly (ok)"; \
	else echo "make image without MICROKIT_SDK did not fail cleanly:"; echo "$$out"; exit 1; fi
	@# The differential Java corpus and capuchin java's command line (they need the library image).
	$(MAKE) --no-print-directory test-java

JAVA_L4_SRC := java-l4/src/java.base
JAVA_L4_OUT := $(TARGET_DIR)/java-l4/java.base
JAVA_L4_IMG := $(TARGET_DIR)/java-l4.img
JAVA_L4_API_SRC := java-l4/src/capuchin.l4
# The VIFlet API (capuchin.vif, docs/network.md) ships with capuchin.l4.
JAVA_L4_VIF_SRC := java-l4/src/capuchin.vif
JAVA_L4_API_OUT := $(TARGET_DIR)/java-l4-api
JAVA_L4_JAR := $(TARGET_DIR)/java-l4.jar

# The class library: javac compiles it as module java.base against nothing
# else, then the IPC API capuchin.l4 against it; `capuchin pack` checks
# every class and writes the image the VM boots.
java-l4: build
	@test -d $(JAVA_L4_SRC) || { echo "error: the Java class library ($(JAVA_L4_SRC)) is not in this tree yet (docs/jvm.md)"; exit 1; }
	@command -v javac >/dev/null || { echo "error: javac not found: install a JDK 17 (Debian: openjdk-17-jdk-headless)"; exit 1; }
	rm -rf $(JAVA_L4_OUT)
	javac --system=none -nowarn -d $(JAVA_L4_OUT) $$(find $(JAVA_L4_SRC) -name '*.java')
	@# capuchin.l4, compiled against our java.base (so it uses only what the library has).
	rm -rf $(JAVA_L4_API_OUT)
	javac --system=none --module-path $(dir $(JAVA_L4_OUT)) -nowarn -d $(JAVA_L4_API_OUT) $$(find $(JAVA_L4_API_SRC) $(JAVA_L4_VIF_SRC) -name '*.java')
	jar cf $(JAVA_L4_JAR) -C $(JAVA_L4_API_OUT) .
	$(CAPUCHIN) pack -o $(JAVA_L4_IMG) $(JAVA_L4_OUT) $(JAVA_L4_API_OUT)

JAVA_EXAMPLES_SRC := examples/java
JAVA_EXAMPLES_OUT := $(TARGET_DIR)/java-examples
JAVA_PD_DIR       := $(TARGET_DIR)/java-pds

# One Java protection domain: $(call java_pd,PD,SYSTEM,MAIN_CLASS[,more capuchin pack flags]).
# Packs the PD's image (library + capuchin.l4 + examples, main class, channel
# names from SYSTEM), builds the JVM PD binary embedding it (only the small
# jvm-pd crate recompiles) and copies it to the PD's program image name.
# JAVA_JIT=off|all|N overrides the JIT policy packed into every Java PD
# image (capuchin pack --jit; by default methods are compiled when warm).
define java_pd
	$(CAPUCHIN) pack -o $(JAVA_PD_DIR)/$(1).img --system $(2) --pd $(1) --main $(3) $(4) $(if $(JAVA_JIT),--jit $(JAVA_JIT)) $(JAVA_L4_IMG) $(JAVA_EXAMPLES_OUT)
	CAPUCHIN_JVM_IMAGE=$(abspath $(JAVA_PD_DIR)/$(1).img) $(CARGO) build --$(PROFILE) -p jvm-pd
	cp --remove-destination $(TARGET_DIR)/jvm_pd $(TARGET_DIR)/$(1)

endef

# The Java PDs of system.xml: the examples are compiled with stock javac
# against the API jar, as users do.
# The Java PDs of system.xml (mk/sel4.mk builds the same list for seL4).
JAVA_PDS := calc_server_java calc_client_java calc_client_j2j

java-pds: java-l4
	rm -rf $(JAVA_EXAMPLES_OUT) && mkdir -p $(JAVA_PD_DIR)
	javac --release 17 -cp $(JAVA_L4_JAR) -d $(JAVA_EXAMPLES_OUT) $$(find $(JAVA_EXAMPLES_SRC) -name '*.java')
	$(call java_pd,calc_server_java,system.xml,calc.CalcServer)
	$(call java_pd,calc_client_java,system.xml,calc.CalcClient,--arg calc_server)
	$(call java_pd,calc_client_j2j,system.xml,calc.CalcClient,--arg calc_server_java --arg java-peer)
	@# The Java PDs of the IPC benchmark (examples/ipc-bench.xml; capuchin bench ipc).
	$(call java_pd,bench_server_java,examples/ipc-bench.xml,bench.BenchServer)
	$(call java_pd,bench_client_java,examples/ipc-bench.xml,bench.BenchClient,--arg bench_server)
	$(call java_pd,bench_client_j2j,examples/ipc-bench.xml,bench.BenchClient,--arg bench_server_java --budget 1000000000000)

test-java: java-l4
	$(CARGO) test --$(PROFILE) -p capuchin --test java_corpus --test java_cli -- --ignored

bench-jvm: java-l4
	$(CAPUCHIN) bench jvm

bench-jit: java-l4
	$(CAPUCHIN) bench jit

clean:
	$(CARGO) clean

# Accept/reject agreement of `capuchin check` with the Microkit SDK's own tool.
sdf-compare: build
	@test -n "$(MICROKIT_SDK)" || { echo "error: pass MICROKIT_SDK=/path/to/microkit-sdk (see docs/sel4.md)"; exit 1; }
	tools/sdf-compare.sh $(MICROKIT_SDK) $(CAPUCHIN)

# The seL4 Microkit build: make image / qemu / qemu-bench (docs/sel4.md).
include mk/sel4.mk
