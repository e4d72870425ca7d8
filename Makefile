# Capuchin: a Java guest runtime for the seL4 Microkit.
#
#   make run        build and boot the demo system (system.xml) on the hosted platform
#   make test       all tests: unit, integration (booting real systems), no_std builds
#   make bench-ipc  IPC round trips vs a bare futex ping-pong
#   make check      validate system.xml as the Microkit tool would
#   make java-l4    compile the Java class library and pack it (target/release/java-l4.img)
#   make test-java  the differential Java corpus (tests/java) on our VM against the JDK
#   make bench-jvm  our interpreter against HotSpot's interpreter

CARGO      ?= cargo
RUSTUP     ?= rustup
PROFILE    := release
TARGET_DIR := target/$(PROFILE)
CAPUCHIN   := $(TARGET_DIR)/capuchin
# Crates that must stay no_std + alloc; proven by building them for a bare-metal target.
NO_STD_CRATES := ipc-bindings demo-pds pd-jvm
NO_STD_TARGET := aarch64-unknown-none

.PHONY: all build run test check bench-ipc no-std-check toolchain clean sdf-compare java-l4 test-java bench-jvm

all: build

toolchain:
	@command -v $(CARGO) >/dev/null || { echo "error: cargo not found; install Rust with rustup (https://rustup.rs)"; exit 1; }
	@$(RUSTUP) target list --installed | grep -qx $(NO_STD_TARGET) || $(RUSTUP) target add $(NO_STD_TARGET)

build: toolchain
	$(CARGO) build --$(PROFILE) --workspace

run: build
	$(CAPUCHIN) run system.xml --search-path $(TARGET_DIR) --exit-when-idle --timeout 60

check: build
	$(CAPUCHIN) check system.xml

bench-ipc: build
	$(CAPUCHIN) bench ipc --search-path $(TARGET_DIR)

no-std-check: toolchain
	@for c in $(NO_STD_CRATES); do \
		echo "no_std: $$c for $(NO_STD_TARGET)"; \
		$(CARGO) build -p $$c --lib --no-default-features --target $(NO_STD_TARGET) || exit 1; \
	done

# Integration tests boot systems from the PD binaries in $(TARGET_DIR), so
# the workspace is built first, in the same profile the tests run in.
test: build no-std-check
	$(CARGO) test --$(PROFILE) --workspace
	$(CAPUCHIN) check system.xml
	@# Without an SDK the seL4 build must stop with a message saying what to pass.
	@out=$$($(MAKE) --no-print-directory image MICROKIT_SDK= 2>&1); status=$$?; \
	if [ $$status -ne 0 ] && echo "$$out" | grep -q "MICROKIT_SDK is not set"; then \
		echo "make image without MICROKIT_SDK: fails cleanly (ok)"; \
	else echo "make image without MICROKIT_SDK did not fail cleanly:"; echo "$$out"; exit 1; fi

JAVA_L4_SRC := java-l4/src/java.base
JAVA_L4_OUT := $(TARGET_DIR)/java-l4/java.base
JAVA_L4_IMG := $(TARGET_DIR)/java-l4.img

# The class library: javac compiles it as module java.base against nothing
# else; `capuchin pack` checks every class and writes the image the VM boots.
java-l4: build
	@test -d $(JAVA_L4_SRC) || { echo "error: the Java class library ($(JAVA_L4_SRC)) is not in this tree yet (docs/jvm.md)"; exit 1; }
	@command -v javac >/dev/null || { echo "error: javac not found: install a JDK 17 (Debian: openjdk-17-jdk-headless)"; exit 1; }
	rm -rf $(JAVA_L4_OUT)
	javac --system=none -nowarn -d $(JAVA_L4_OUT) $$(find $(JAVA_L4_SRC) -name '*.java')
	$(CAPUCHIN) pack -o $(JAVA_L4_IMG) $(JAVA_L4_OUT)

test-java: java-l4
	$(CARGO) test --$(PROFILE) -p capuchin --test java_corpus -- --ignored

bench-jvm: java-l4
	$(CAPUCHIN) bench jvm

clean:
	$(CARGO) clean

# Accept/reject agreement of `capuchin check` with the Microkit SDK's own tool.
sdf-compare: build
	@test -n "$(MICROKIT_SDK)" || { echo "error: pass MICROKIT_SDK=/path/to/microkit-sdk (see docs/sel4.md)"; exit 1; }
	tools/sdf-compare.sh $(MICROKIT_SDK) $(CAPUCHIN)

# The seL4 Microkit build: make image / qemu / qemu-bench (docs/sel4.md).
include mk/sel4.mk
