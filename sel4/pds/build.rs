// Every PD starts at ipc-bindings-sel4's `__capuchin_start`, which makes a
// restart by the parent PD re-enter init (see ipc-bindings-sel4's Adapter).
fn main() {
    println!("cargo:rustc-link-arg-bins=--entry=__capuchin_start");
}
