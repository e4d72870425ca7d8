//! The calculator server (003's ExampleSvr): a passive PD that answers
//! protected procedure calls. Malformed requests get a BAD_REQUEST reply,
//! never a crash.

#![cfg_attr(target_os = "none", no_std, no_main)]

use demo_pds::calc;
use ipc_bindings::stream::StreamError;
use ipc_bindings::{
    debug_println, memory_region, read_message, write_message, Channel, Handler, MemoryRegion, MessageInfo,
};

ipc_bindings::protection_domain!(init);

struct CalcServer {
    /// Bulk arguments arrive here (mapped read-only into this PD).
    bulk: Option<MemoryRegion>,
    calls: u64,
}

fn init() -> CalcServer {
    let bulk = memory_region("calc_buf").ok();
    debug_println!("calc_server: ready (passive: {})", ipc_bindings::pd_is_passive());
    CalcServer { bulk, calls: 0 }
}

enum Reply {
    Value(i64),
    Sum(u64, u32),
}

impl CalcServer {
    fn serve(&self, msg: &MessageInfo) -> Result<Reply, StreamError> {
        read_message(msg, |r| match msg.label() {
            calc::NEG => Ok(Reply::Value(r.get_i64()?.wrapping_neg())),
            calc::ADD => Ok(Reply::Value(r.get_i64()?.wrapping_add(r.get_i64()?))),
            calc::SUM_BYTES => {
                let Some(bulk) = &self.bulk else {
                    return Err(StreamError::Malformed { offset: 0, what: "no calc_buf region mapped" });
                };
                let (offset, len) = r.get_shared(bulk)?;
                let mut sum = 0u64;
                let mut chunk = [0u8; 512];
                let mut done = 0;
                while done < len {
                    let n = (len - done).min(chunk.len());
                    bulk.read(offset + done, &mut chunk[..n]).expect("checked by get_shared");
                    sum += chunk[..n].iter().map(|&b| b as u64).sum::<u64>();
                    done += n;
                }
                Ok(Reply::Sum(sum, len as u32))
            }
            _ => Err(StreamError::Malformed { offset: 0, what: "unknown operation" }),
        })
    }
}

impl Handler for CalcServer {
    type Error = StreamError;

    fn protected(&mut self, _channel: Channel, msg: MessageInfo) -> Result<MessageInfo, Self::Error> {
        self.calls += 1;
        match self.serve(&msg) {
            Ok(Reply::Value(v)) => write_message(calc::OK, |w| w.put_i64(v).map(drop)),
            Ok(Reply::Sum(s, n)) => write_message(calc::OK, |w| w.put_u64(s)?.put_u32(n).map(drop)),
            Err(e) => {
                let text = alloc_free_text(&e);
                write_message(calc::BAD_REQUEST, |w| w.put_str(text.as_str()).map(drop))
            }
        }
    }
}

/// Formats an error into a fixed buffer (no allocation on the reply path).
fn alloc_free_text(e: &StreamError) -> FixedText {
    let mut t = FixedText { buf: [0; 200], len: 0 };
    let _ = core::fmt::write(&mut t, format_args!("{e}"));
    t
}

struct FixedText {
    buf: [u8; 200],
    len: usize,
}

impl FixedText {
    fn as_str(&self) -> &str {
        core::str::from_utf8(&self.buf[..self.len]).unwrap_or("error")
    }
}

impl core::fmt::Write for FixedText {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        // Truncate on a char boundary.
        for c in s.chars() {
            let mut b = [0u8; 4];
            let e = c.encode_utf8(&mut b);
            if self.len + e.len() > self.buf.len() {
                return Ok(());
            }
            self.buf[self.len..self.len + e.len()].copy_from_slice(e.as_bytes());
            self.len += e.len();
        }
        Ok(())
    }
}
