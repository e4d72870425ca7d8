//! The driver domain: owns the network device. Waits for `netctl` to
//! publish the configuration, opens the configured device, and moves
//! frames between it and the virtualisers' rings. Asked to stop (a swap),
//! it hands back what it holds and exits; `netctl` starts the next one.

#![cfg_attr(target_os = "none", no_std, no_main)]

extern crate alloc;

use alloc::boxed::Box;
use alloc::string::String;

use ipc_bindings::{debug_println, memory_region, ChannelSet, Handler, Infallible, MemoryRegion};
use pd_netdriver::config::{DriverConfig, NetConfig};
use pd_netdriver::driver::{Driver, DriverMemory, NetDevice, DRIVER_COUNTERS};
use pd_netdriver::platform::{exit_for_restart, now_ns};
use pd_netdriver::shared::ConfigPage;
use pd_netdriver::stats::StatsWriter;

ipc_bindings::protection_domain!(init);

#[cfg(target_os = "linux")]
fn open_device(cfg: &DriverConfig, resume: u64) -> Result<Box<dyn NetDevice>, String> {
    // Hosted interrupts arrive as notifications on channel 0 (see hosted::irq).
    pd_netdriver::hosted::open_device(cfg, resume, 0)
}

#[cfg(not(target_os = "linux"))]
fn open_device(_: &DriverConfig, _: u64) -> Result<Box<dyn NetDevice>, String> {
    Err(String::from("no device backend on this platform yet (virtio-net over MMIO: issue 7)"))
}

enum State {
    Waiting,
    Running { driver: Box<Driver>, epoch: u32 },
}

struct NetDriver {
    cfg: ConfigPage,
    stats: MemoryRegion,
    state: State,
}

fn init() -> NetDriver {
    let cfg = ConfigPage::find().unwrap_or_else(|e| panic!("netdriver: {e}"));
    let stats = memory_region("stats").unwrap_or_else(|e| panic!("netdriver: {e}"));
    let mut d = NetDriver { cfg, stats, state: State::Waiting };
    d.try_start();
    d
}

impl NetDriver {
    fn try_start(&mut self) {
        let Some(text) = self.cfg.read() else { return };
        let ctl = self.cfg.control();
        if ctl.epoch == 0 {
            return;
        }
        if ctl.stop_epoch == ctl.epoch {
            // Asked to stop before it started (a swap right after boot).
            exit_for_restart();
        }
        let net = NetConfig::parse(&text).unwrap_or_else(|e| panic!("netdriver: {e}"));
        let stats = StatsWriter::from_region(&self.stats, "driver", ipc_bindings::pd_name(), "netctl", DRIVER_COUNTERS)
            .unwrap_or_else(|e| panic!("netdriver: {e}"));
        let resume = Driver::resume_point(&stats, ctl.line_gen);
        let dev = open_device(&net.driver, resume).unwrap_or_else(|e| panic!("netdriver: {e}"));
        let mem = DriverMemory::attach().unwrap_or_else(|e| panic!("netdriver: {e}"));
        // Fault injection only on the first start of a configuration.
        let crash_after = if ctl.epoch == ctl.line_epoch { net.driver.crash_after } else { None };
        debug_println!(
            "netdriver: start {} (epoch {}): {}{}",
            stats.starts(),
            ctl.epoch,
            dev.describe(),
            if resume > 0 { alloc::format!(", resuming after frame {resume}") } else { String::new() }
        );
        let mut driver = Driver::new(dev, mem, stats, ctl.epoch, ctl.line_gen, crash_after, now_ns);
        driver.process();
        self.state = State::Running { driver: Box::new(driver), epoch: ctl.epoch };
    }
}

impl Handler for NetDriver {
    type Error = Infallible;

    fn notified(&mut self, _channels: ChannelSet) -> Result<(), Infallible> {
        match &mut self.state {
            State::Waiting => self.try_start(),
            State::Running { driver, epoch } => {
                if self.cfg.control().stop_epoch == *epoch {
                    driver.stop();
                    debug_println!(
                        "netdriver: stopping for a swap after {} frames in, {} out",
                        driver.counter("rx"),
                        driver.counter("tx")
                    );
                    exit_for_restart();
                }
                driver.process();
            }
        }
        Ok(())
    }
}
