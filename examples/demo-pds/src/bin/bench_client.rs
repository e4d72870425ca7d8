//! IPC benchmark client: times protected procedure call round trips to
//! `bench_server`, then notification round trips, and prints `BENCH` lines.
//!

#![cfg_attr(target_os = "none", no_std, no_main)]

extern crate alloc;

use alloc::vec::Vec;
use demo_pds::bench::{now_ns, report, Summary};
use ipc_bindings::{debug_println, set_mr, Channel, ChannelSet, Handler, Infallible, MessageInfo};

ipc_bindings::protection_domain!(init);

const SERVER: Channel = Channel::new(0);
const NOTIFY_PEER: Channel = Channel::new(1);
const WARMUP: usize = 2_000;
const CALLS: usize = 50_000;
const NOTIFICATIONS: usize = 20_000;

struct NotifyBench {
    samples: Vec<u64>,
    sent_at: u64,
}

fn init() -> NotifyBench {
    // Protected procedure calls: one register each way, as a minimal RPC.
    let mut samples = Vec::with_capacity(CALLS);
    for i in 0..WARMUP + CALLS {
        set_mr(0, i as u64);
        let t0 = now_ns();
        let reply = SERVER.pp_call(MessageInfo::new(1, 1));
        let t1 = now_ns();
        assert_eq!(reply.count(), 1);
        if i >= WARMUP {
            samples.push(t1 - t0);
        }
    }
    report("ppc", &Summary::of(&mut samples));
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
