//! Build-script helper shared by the two builds of the VIF domain (hosted:
//! pd-vif/build.rs; seL4: sel4/pds/build.rs, which `#[path]`-includes this
//! file): points `include_bytes!` at the images a VIF domain runs Java
//! VIFlets from when it has no files (seL4):
//!
//! - CAPUCHIN_VIF_LIBRARY: the class library image (`java-l4.img`, from
//!   `make java-l4`), an absolute path;
//! - CAPUCHIN_VIF_CLASSES: one VIFlet class image (`capuchin pack`), an
//!   absolute path; `processor=java:CLASS` without `classes=` loads CLASS
//!   from it.
//!
//! mk/sel4.mk sets both for `make qemu-net`. Unset, the binary embeds empty
//! images: the hosted domain then reads `java-l4.img` next to itself and
//! `classes=` files, and one on seL4 refuses Java VIFlets and says why.

use std::path::{Path, PathBuf};

fn embed(var: &str, out_name: &str) {
    println!("cargo:rerun-if-env-changed={var}");
    let file = match std::env::var(var) {
        Ok(p) if !p.is_empty() => {
            if !Path::new(&p).is_absolute() {
                panic!("{var} must be an absolute path, not '{p}'");
            }
            if !Path::new(&p).is_file() {
                panic!("{var}={p}: no such file");
            }
            println!("cargo:rerun-if-changed={p}");
            PathBuf::from(p)
        }
        _ => {
            let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join(out_name);
            std::fs::write(&out, b"").unwrap();
            out
        }
    };
    println!("cargo:rustc-env={var}_FILE={}", file.display());
}

pub fn embed_vif_images() {
    embed("CAPUCHIN_VIF_LIBRARY", "no-vif-library.img");
    embed("CAPUCHIN_VIF_CLASSES", "no-vif-classes.img");
    println!("cargo:rerun-if-env-changed=CAPUCHIN_VIF_PD_HEAP");
}
