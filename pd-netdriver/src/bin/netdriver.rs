//! The driver domain: owns the network device. Waits for `netctl` to
//! publish the configuration, opens the configured device, and moves
//! frames between it and the virtualisers' rings. Asked to stop (a swap),
//! it hands back what it holds and exits; `netctl` starts the next one.

#![cfg_attr(target_os = "none", no_std, no_main)]

extern crate alloc;

use alloc::boxed::Box;
use alloc::string::String;

use ipc_bindings::{debug_println, memory_region, ChannelSet, Handler, Infallible, MemoryRegion};
use pd_netdriver::config::{DriverConfig, Input, NetConfig};
use pd_netdriver::driver::{channel, Driver, DriverMemory, NetDevice, DRIVER_COUNTERS};
use pd_netdriver::platform::{exit_for_restart, now_ns};
use pd_netdriver::shared::ConfigPage;
use pd_netdriver::stats::StatsWriter;
use pd_netdriver::virtio::VirtioNet;

ipc_bindings::protection_domain!(init);

fn open_device(cfg: &DriverConfig, resume: u64) -> Result<Box<dyn NetDevice>, String> {
    if cfg.input == Input::Virtio {
        // The device registers (mapped uncached) and the driver's own DMA
        // memory for the virtqueues (with a physical address).
        let regs = memory_region("virtio_regs").map_err(|e| alloc::format!("input=virtio: {e}"))?;
        let dma = memory_region("virtio_dma").map_err(|e| alloc::format!("input=virtio: {e}"))?;
        return Ok(Box::new(VirtioNet::open(&regs, &dma)?));
    }
    hosted_device(cfg, resume)
}

#[cfg(target_os = "linux")]
fn hosted_device(cfg: &DriverConfig, resume: u64) -> Result<Box<dyn NetDevice>, String> {
    // Hosted interrupts arrive as notifications on channel 0 (see hosted::irq).
    pd_netdriver::hosted::open_device(cfg, resume, 0)
}

#[cfg(not(target_os = "linux"))]
fn hosted_device(cfg: &DriverConfig, _: u64) -> Result<Box<dyn NetDevice>, String> {
    Err(alloc::format!("input {:?} is a hosted device; on this platform the device is input=virtio", cfg.input))
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
        let mem = DriverMemory::attach().unwrap_or_else(|e| panic!("netdriver: {e}"));
        if net.driver.input == Input::Virtio {
            // The device reads and writes buffers by physical address.
            if let Some(r) = core::iter::once(&mem.rx_data).chain(&mem.tx_regions).find(|r| !r.phys) {
                panic!(
                    "netdriver: input=virtio: data region '{}' has no physical address \
                     (system.xml must give the driver a <setvar region_paddr=\"{}\">)",
                    r.name, r.name
                );
            }
        }
        let dev = open_device(&net.driver, resume).unwrap_or_else(|e| panic!("netdriver: {e}"));
        if net.driver.input == Input::Virtio {
            // A driver that crashed (or stopped for a swap) between an
            // interrupt and its acknowledgement left the IRQ masked; its
            // restarted successor unmasks it (harmless when not masked).
            if let Err(e) = channel::IRQ.irq_ack() {
                debug_println!("netdriver: irq_ack at start: {e:?}");
            }
        }
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
        driver.set_report_after(net.driver.report_after);
        driver.process();
        self.state = State::Running { driver: Box::new(driver), epoch: ctl.epoch };
    }
}

impl Handler for NetDriver {
    type Error = Infallible;

    fn notified(&mut self, channels: ChannelSet) -> Result<(), Infallible> {
        let irq = channels.contains(channel::IRQ);
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
                if irq {
                    driver.device_interrupt();
                }
                driver.process();
            }
        }
        if irq {
            // The device's line was lowered above (interrupt status
            // acknowledged); now let the platform deliver the next one.
            if let Err(e) = channel::IRQ.irq_ack() {
                debug_println!("netdriver: irq_ack: {e:?}");
            }
        }
        Ok(())
    }
}
