//! Interrupts of hosted devices.
//!
//! A hosted device that waits for the outside world (an AF_PACKET socket, a
//! paced generator) has an *interrupt thread*: once armed, it waits for the
//! device (poll on a file descriptor, or a deadline) and then raises the
//! interrupt, which is disarmed until the driver polls the device dry and
//! arms it again (level-triggered, masked while pending, as a NIC's).
//!
//! The hosted kernel does not deliver `<irq>` notifications yet (its event
//! loop only confirms hint bits against channel pages), so the interrupt is
//! raised as a notification on one of the driver's own channels: the thread
//! sets this end's inbox flag and rings the driver's doorbell exactly as a
//! peer's `notify()` would (the layout is `ipc_bindings::hosted::abi`). The
//! driver treats every notification alike (it polls all its rings and the
//! device, as sDDF's drivers do), so which channel carries it does not
//! matter. When the hosted kernel delivers IRQs, only [`Raiser`] changes.

use std::os::fd::RawFd;
use std::string::{String, ToString};
use std::sync::atomic::Ordering::SeqCst;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Instant;

use ipc_bindings::hosted::abi::{ChannelPage, Doorbell, PAGE_SIZE};
use ipc_bindings::hosted::boot::{BootInfo, BOOT_ENV};
use ipc_bindings::hosted::futex;

/// Rings this PD's own doorbell on behalf of a device.
pub struct Raiser {
    doorbell: &'static Doorbell,
    inbox_notify: &'static core::sync::atomic::AtomicU32,
    bit: u64,
}

fn map_page(fd: i32) -> Result<*mut u8, String> {
    // SAFETY: a shared mapping of an fd the runner passed us; never unmapped.
    let p = unsafe {
        libc::mmap(core::ptr::null_mut(), PAGE_SIZE, libc::PROT_READ | libc::PROT_WRITE, libc::MAP_SHARED, fd, 0)
    };
    if p == libc::MAP_FAILED {
        return Err(std::format!("mmap of fd {fd}: {}", std::io::Error::last_os_error()));
    }
    Ok(p.cast())
}

impl Raiser {
    /// Raises interrupts as notifications on this PD's channel `channel`.
    pub fn new(channel: u8) -> Result<Self, String> {
        let boot = std::env::var(BOOT_ENV).map_err(|_| "not running under `capuchin run`".to_string())?;
        let info = BootInfo::decode(&boot).map_err(|e| e.to_string())?;
        let ch = info
            .channels
            .iter()
            .find(|c| c.id == channel)
            .ok_or_else(|| std::format!("interrupts: this PD has no channel {channel}"))?;
        if !ch.peer_notify {
            return Err(std::format!("interrupts: channel {channel} does not carry notifications to this PD"));
        }
        // SAFETY: the runner sized these memfds as a doorbell and a channel page.
        let doorbell = unsafe { &*map_page(info.doorbell_fd)?.cast::<Doorbell>() };
        let page = unsafe { &*map_page(ch.page_fd)?.cast::<ChannelPage>() };
        Ok(Self { doorbell, inbox_notify: &page.ends[ch.my_end as usize].notify, bit: 1 << channel })
    }

    /// Delivers the interrupt (wakes the event loop if it sleeps).
    pub fn raise(&self) {
        self.inbox_notify.store(1, SeqCst);
        self.doorbell.pending.fetch_or(self.bit, SeqCst);
        self.doorbell.seq.fetch_add(1, SeqCst);
        if self.doorbell.waiting.load(SeqCst) != 0 {
            futex::wake(&self.doorbell.seq, 1);
        }
    }
}

/// What an armed interrupt waits for.
#[derive(Debug, Clone, Copy)]
pub enum Wait {
    Readable(RawFd),
    Until(Instant),
}

struct State {
    armed: Option<Wait>,
}

/// An interrupt line with its thread.
pub struct IrqLine {
    shared: Arc<(Mutex<State>, Condvar)>,
}

impl IrqLine {
    pub fn new(raiser: Raiser) -> Self {
        let shared = Arc::new((Mutex::new(State { armed: None }), Condvar::new()));
        let s = shared.clone();
        std::thread::Builder::new()
            .name("irq".into())
            .spawn(move || irq_thread(s, raiser))
            .expect("interrupt thread starts");
        Self { shared }
    }

    /// Arms the interrupt (no-op if already armed).
    pub fn arm(&self, wait: Wait) {
        let (m, cv) = &*self.shared;
        let mut st = m.lock().unwrap();
        if st.armed.is_none() {
            st.armed = Some(wait);
            cv.notify_one();
        }
    }
}

fn irq_thread(shared: Arc<(Mutex<State>, Condvar)>, raiser: Raiser) {
    let (m, cv) = &*shared;
    loop {
        let wait = {
            let mut st = m.lock().unwrap();
            loop {
                if let Some(w) = st.armed {
                    break w;
                }
                st = cv.wait(st).unwrap();
            }
        };
        match wait {
            Wait::Readable(fd) => {
                let mut p = libc::pollfd { fd, events: libc::POLLIN, revents: 0 };
                // SAFETY: one valid pollfd.
                let r = unsafe { libc::poll(&mut p, 1, -1) };
                if r < 0 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                    continue;
                }
            }
            Wait::Until(t) => {
                let now = Instant::now();
                if t > now {
                    std::thread::sleep(t - now);
                }
            }
        }
        m.lock().unwrap().armed = None;
        raiser.raise();
    }
}
