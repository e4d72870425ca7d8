//! Build-script helper shared by the two builds of the JVM PD (hosted:
//! pd-jvm/pd/build.rs; seL4: sel4/pds/build.rs, which `#[path]`-includes
//! this file): points `include_bytes!` at the Java PD image named by
//! CAPUCHIN_JVM_IMAGE (an absolute path, set by `make java-pds` and
//! mk/sel4.mk). Without it the binary embeds an empty image and says so
//! when started, so a plain `cargo build` works without Java.

use std::path::{Path, PathBuf};

pub fn embed_jvm_image() {
    println!("cargo:rerun-if-env-changed=CAPUCHIN_JVM_IMAGE");
    println!("cargo:rerun-if-env-changed=CAPUCHIN_JVM_PD_HEAP");
    let image = match std::env::var("CAPUCHIN_JVM_IMAGE") {
        Ok(p) if !p.is_empty() => {
            if !Path::new(&p).is_absolute() {
                panic!("CAPUCHIN_JVM_IMAGE must be an absolute path, not '{p}'");
            }
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
