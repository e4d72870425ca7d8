// Every PD starts at ipc-bindings-sel4's `__capuchin_start`, which makes a
// restart by the parent PD re-enter init (see ipc-bindings-sel4's Adapter).
// The JVM PD embeds its Java PD image as the hosted build does, and the VIF
// domain its class library and VIFlet image.

#[path = "../../pd-jvm/pd/embed_image.rs"]
mod embed_image;
#[path = "../../pd-vif/embed_images.rs"]
mod embed_images;

fn main() {
    println!("cargo:rustc-link-arg-bins=--entry=__capuchin_start");
    // `__capuchin_start` at ipc-bindings-sel4's RESTART_ENTRY in every PD.
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../support/capuchin_entry.ld");
    println!("cargo:rustc-link-arg-bins=-T{script}");
    println!("cargo:rerun-if-changed={script}");
    embed_image::embed_jvm_image();
    embed_images::embed_vif_images();
}
