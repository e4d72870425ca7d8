# Capuchin: a Java guest runtime for the seL4 Microkit.
#
#   make run        build and boot the demo system (system.xml) on the hosted platform
#   make test       all tests: unit, integration (booting real systems), no_std builds
#   make bench-ipc  IPC round trips vs a bare futex ping-pong
#   make check      validate system.xml as the Microkit tool would

CARGO      ?= cargo
RUSTUP     ?= rustup
PROFILE    := release
TARGET_DIR := target/$(PROFILE)
CAPUCHIN   := $(TARGET_DIR)/capuchin
# Crates that must stay no_std + alloc; proven by building them for a bare-metal target.
NO_STD_CRATES := ipc-bindings demo-pds pd-jvm
NO_STD_TARGET := aarch64-unknown-none

.PHONY: all build run test check bench-ipc no-std-check toolchain clean sdf-compare

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

clean:
	$(CARGO) clean

# Accept/reject agreement of `capuchin check` with the Microkit SDK's own tool.
sdf-compare: build
	@test -n "$(MICROKIT_SDK)" || { echo "error: pass MICROKIT_SDK=/path/to/microkit-sdk (see docs/sel4.md)"; exit 1; }
	tools/sdf-compare.sh $(MICROKIT_SDK) $(CAPUCHIN)

# The seL4 Microkit build: make image / qemu / qemu-bench (docs/sel4.md).
include mk/sel4.mk
