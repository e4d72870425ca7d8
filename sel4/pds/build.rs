// Every PD starts at ipc-bindings-sel4's `__capuchin_start`, which makes a
// restart by the parent PD re-enter init (see ipc-bindings-sel4's Adapter).
//
// The JVM PD embeds the Java PD image named by CAPUCHIN_JVM_IMAGE (absolute
// path), as pd-jvm/pd/build.rs does for the hosted build; without it, an
// empty image (the binary then refuses to boot and says why).
use std::path::PathBuf;

fn main() {
    println!("cargo:rustc-link-arg-bins=--entry=__capuchin_start");
    println!("cargo:rerun-if-env-changed=CAPUCHIN_JVM_IMAGE");
    println!("cargo:rerun-if-env-changed=CAPUCHIN_JVM_PD_HEAP");
    let image = match std::env::var("CAPUCHIN_JVM_IMAGE") {
        Ok(p) if !p.is_empty() => {
            println!("cargo:rerun-if-changed={p}");
            PathBuf::from(p)
        }
        _ => {
            let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("no-java-pd-image.bin");
            std::fs::write(&out, b"").unwrap();
            out
        }
    };
    println!("cargo:rustc-env=CAPUCHIN_JVM_IMAGE_FILE={}", image.display());
}
