//! Starting one PD process with exactly the objects system.xml grants it.

use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use ipc_bindings::hosted::boot::{BootInfo, ChannelBoot, ChildBoot, IrqBoot, RegionBoot, BOOT_ENV};
use rustix::fs::{Mode, OFlags};

use super::objects::Objects;
use crate::sdf::SystemDescription;

/// Finds a `<program_image path>` in the search path. On the hosted
/// platform an image `name.elf` may also be the host executable `name`.
pub fn resolve_program_image(path: &str, search_path: &[PathBuf]) -> Option<PathBuf> {
    let p = Path::new(path);
    let mut candidates = vec![p.to_path_buf()];
    if let Some(stem) = path.strip_suffix(".elf") {
        candidates.push(PathBuf::from(stem));
    }
    if p.is_absolute() {
        return candidates.into_iter().find(|c| c.is_file());
    }
    search_path.iter().flat_map(|dir| candidates.iter().map(move |c| dir.join(c))).find(|c| c.is_file())
}

/// File descriptors handed to one child; they are inheritable dups that
/// the runner closes again right after the spawn.
struct Inherited(Vec<OwnedFd>);

impl Inherited {
    /// An inheritable dup of `fd`, read-only when `read_only` (so the PD
    /// cannot map it writable).
    fn add(&mut self, fd: impl AsFd, read_only: bool) -> std::io::Result<i32> {
        let dup = if read_only {
            let path = format!("/proc/self/fd/{}", fd.as_fd().as_raw_fd());
            rustix::fs::open(path.as_str(), OFlags::RDONLY, Mode::empty())?
        } else {
            rustix::io::fcntl_dupfd_cloexec(fd, 3)?
        };
        rustix::io::fcntl_setfd(&dup, rustix::io::FdFlags::empty())?;
        let raw = dup.as_raw_fd();
        self.0.push(dup);
        Ok(raw)
    }
}

/// Spawns PD `index`, pinned to host core `core` if given: its stdout and
/// stderr are piped back to the runner.
pub fn spawn_pd(
    sys: &SystemDescription,
    objects: &Objects,
    index: usize,
    image: &Path,
    core: Option<usize>,
) -> std::io::Result<Child> {
    let pd = &sys.pds[index];
    let mut fds = Inherited(Vec::new());
    let mut boot = BootInfo {
        pd_name: pd.name.clone(),
        priority: pd.priority,
        passive: pd.passive,
        doorbell_fd: fds.add(&objects.pds[index].doorbell.fd, false)?,
        kernel_fd: fds.add(&objects.pds[index].kernel.fd, false)?,
        channels: Vec::new(),
        regions: Vec::new(),
        children: Vec::new(),
        irqs: pd.irqs.iter().map(|i| IrqBoot { id: i.id, irq: i.irq as u32 }).collect(),
    };
    for (ci, ch) in sys.channels.iter().enumerate() {
        for (my_end, end) in ch.ends.iter().enumerate() {
            if end.pd != index {
                continue;
            }
            let peer = &ch.ends[1 - my_end];
            boot.channels.push(ChannelBoot {
                id: end.id,
                peer: sys.pds[peer.pd].name.clone(),
                peer_id: peer.id,
                my_end: my_end as u8,
                page_fd: fds.add(&objects.channels[ci].0.fd, false)?,
                peer_doorbell_fd: fds.add(&objects.pds[peer.pd].doorbell.fd, false)?,
                pp: end.pp,
                notify: end.notify,
                peer_pp: peer.pp,
                peer_notify: peer.notify,
            });
        }
    }
    for map in &pd.maps {
        let mri = sys.memory_regions.iter().position(|m| m.name == map.mr).expect("validated");
        let mr = &sys.memory_regions[mri];
        boot.regions.push(RegionBoot {
            mr: mr.name.clone(),
            setvar_vaddr: map.setvar_vaddr.clone(),
            fd: fds.add(&objects.regions[mri].fd, !map.perms.write)?,
            vaddr: map.vaddr,
            size: mr.size,
            read: map.perms.read,
            write: map.perms.write,
            execute: map.perms.execute,
        });
    }
    for (ci, child) in sys.pds.iter().enumerate() {
        if child.parent == Some(index) {
            boot.children
                .push(ChildBoot { id: child.child_id.expect("children have ids"), name: sys.pds[ci].name.clone() });
        }
    }
    let mut cmd = Command::new(image);
    cmd.env(BOOT_ENV, boot.encode()).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            // A PD never outlives its kernel, even if the runner is killed.
            rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL))?;
            // Out of the terminal's process group: Ctrl-C reaches the
            // runner, which stops the PDs, instead of killing them as faults.
            rustix::process::setsid()?;
            // Before exec, so the PD never runs anywhere else.
            if let Some(core) = core {
                let mut set = rustix::thread::CpuSet::new();
                set.set(core);
                rustix::thread::sched_setaffinity(None, &set)?;
            }
            Ok(())
        });
    }
    let child = cmd.spawn();
    drop(fds);
    child
}
