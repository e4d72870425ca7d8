//! IPC benchmark client: times protected procedure call round trips to the
//! server on channel 0 (an echo of one i64 in the typed stream format, so a
//! Rust or a Java server answers it: `bench_client` against the Rust
//! `bench_server`, `bench_client_r2j` against the Java `bench_server_java`),
//! then, in `bench_client` (the PD with a notification channel),
//! notification round trips, and prints `BENCH` lines.

#![cfg_attr(target_os = "none", no_std, no_main)]

extern crate alloc;

use alloc::vec::Vec;
use demo_pds::bench::{now_ns, report, Summary};
use ipc_bindings::{debug_println, pd_name, read_message, write_message, Channel, ChannelSet, Handler, Infallible};

ipc_bindings::protection_domain!(init);

const SERVER: Channel = Channel::new(0);
const NOTIFY_PEER: Channel = Channel::new(1);
const WARMUP: usize = 2_000;
const CALLS: usize = 50_000;
const NOTIFICATIONS: usize = 20_000;
/// The echo call's label (protocol 0, operation 1).
const ECHO: u64 = 1;

struct NotifyBench {
    samples: Vec<u64>,
    sent_at: u64,
}

fn init() -> NotifyBench {
    // Protected procedure calls: an echo of one i64 (two registers each
    // way), as a minimal RPC; the Java clients send the same.
    let mut samples = Vec::with_capacity(CALLS);
    for i in 0..(WARMUP + CALLS) as i64 {
        let t0 = now_ns();
        let msg = write_message(ECHO, |w| w.put_i64(i).map(drop)).expect("one i64 fits");
        let reply = SERVER.pp_call(msg);
        let echoed = read_message(&reply, |r| r.get_i64());
        let t1 = now_ns();
        assert!(matches!(echoed, Ok(v) if v == i), "{}: wrong echo", pd_name());
        if i >= WARMUP as i64 {
            samples.push(t1 - t0);
        }
    }
    report("ppc", &Summary::of(&mut samples));
    if pd_name() != "bench_client" {
        // Only bench_client has the notification channel (to the Rust server).
        return NotifyBench { samples: Vec::new(), sent_at: 0 };
    }
    debug_println!("bench_client: notification round trips");
    let mut bench = NotifyBench { samples: Vec::with_capacity(WARMUP + NOTIFICATIONS), sent_at: 0 };
    bench.sent_at = now_ns();
    NOTIFY_PEER.notify();
    bench
}

impl Handler for NotifyBench {
    type Error = Infallible;

    fn notified(&mut self, channels: ChannelSet) -> Result<(), Infallible> {
        if !channels.contains(NOTIFY_PEER) {
            return Ok(());
        }
        self.samples.push(now_ns() - self.sent_at);
        if self.samples.len() < WARMUP + NOTIFICATIONS {
            self.sent_at = now_ns();
            NOTIFY_PEER.notify();
        } else {
            let mut measured = self.samples.split_off(WARMUP);
            report("notify", &Summary::of(&mut measured));
        }
        Ok(())
    }
}
