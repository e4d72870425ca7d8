//! The network configuration compiled into `netctl` for platforms without
//! files (seL4): the file named by `CAPUCHIN_NET_CONFIG_BUILTIN` at build
//! time, checked by netctl at boot like any other (docs/network.md).
//! Unset: netctl's built-in default.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-env-changed=CAPUCHIN_NET_CONFIG_BUILTIN");
    let text = match std::env::var_os("CAPUCHIN_NET_CONFIG_BUILTIN") {
        Some(p) if !p.is_empty() => {
            let p = PathBuf::from(p);
            println!("cargo:rerun-if-changed={}", p.display());
            std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("CAPUCHIN_NET_CONFIG_BUILTIN={}: {e}", p.display()))
        }
        _ => String::new(),
    };
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("builtin_net_config.txt");
    std::fs::write(out, text).unwrap();
}
