//! `netctl`'s control socket on the hosted platform: a Unix stream socket
//! (its path in `CAPUCHIN_NET_CONTROL`) taking one command per line and
//! answering one JSON line each, for `capuchin vif`. On seL4 the same
//! commands would come over a serial console or a control PD. Clients are
//! served concurrently; commands only read shared memory or notify.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixListener;
use std::string::String;

/// Serves `handle` on `path` from a thread of its own, each connection
/// from a thread of its own.
pub fn serve(path: &str, handle: impl Fn(&str) -> String + Send + Sync + 'static) -> Result<(), String> {
    let _ = std::fs::remove_file(path);
    let listener = UnixListener::bind(path).map_err(|e| std::format!("control socket {path}: {e}"))?;
    std::thread::Builder::new()
        .name("control".into())
        .spawn(move || {
            let handle = std::sync::Arc::new(handle);
            for conn in listener.incoming() {
                let Ok(stream) = conn else { continue };
                let Ok(reader) = stream.try_clone() else { continue };
                let handle = handle.clone();
                // One thread per client: `capuchin vif list` while a test or
                // a monitor keeps its own connection open.
                let _ = std::thread::Builder::new().name("control-client".into()).spawn(move || {
                    let mut out = stream;
                    for line in BufReader::new(reader).lines() {
                        let Ok(line) = line else { break };
                        let reply = handle(line.trim());
                        if writeln!(out, "{reply}").is_err() {
                            break;
                        }
                    }
                });
            }
        })
        .map_err(|e| e.to_string())?;
    Ok(())
}

use std::string::ToString;
