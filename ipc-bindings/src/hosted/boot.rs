//! What the runner tells a PD process at start: its grants from system.xml
//! and the file descriptors of the shared objects behind them. Passed as
//! postcard bytes, hex-encoded, in the environment variable [`BOOT_ENV`].

use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

pub const BOOT_ENV: &str = "CAPUCHIN_PD_BOOT";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BootInfo {
    pub pd_name: String,
    pub priority: u8,
    pub passive: bool,
    /// This PD's doorbell page (read-write).
    pub doorbell_fd: i32,
    /// The page shared only with the runner.
    pub kernel_fd: i32,
    pub channels: Vec<ChannelBoot>,
    pub regions: Vec<RegionBoot>,
    pub children: Vec<ChildBoot>,
    pub irqs: Vec<IrqBoot>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ChannelBoot {
    /// This end's channel id.
    pub id: u8,
    /// The PD at the other end.
    pub peer: String,
    /// The peer's channel id for this channel (its doorbell bit).
    pub peer_id: u8,
    /// Index of this PD's end in the [`ChannelPage`](super::abi::ChannelPage).
    pub my_end: u8,
    pub page_fd: i32,
    pub peer_doorbell_fd: i32,
    /// This end may make protected procedure calls to the peer.
    pub pp: bool,
    /// This end may notify the peer.
    pub notify: bool,
    /// The peer may call this end; calls from a peer without it are refused.
    pub peer_pp: bool,
    /// The peer may notify this end; other notifications are dropped.
    pub peer_notify: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RegionBoot {
    pub mr: String,
    pub setvar_vaddr: Option<String>,
    pub fd: i32,
    pub vaddr: u64,
    pub size: u64,
    pub read: bool,
    pub write: bool,
    pub execute: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ChildBoot {
    pub id: u8,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IrqBoot {
    pub id: u8,
    pub irq: u32,
}

impl BootInfo {
    pub fn encode(&self) -> String {
        let bytes = postcard::to_allocvec(self).expect("boot info serializes");
        let mut s = String::with_capacity(bytes.len() * 2);
        for b in bytes {
            s.push(char::from_digit((b >> 4) as u32, 16).unwrap());
            s.push(char::from_digit((b & 15) as u32, 16).unwrap());
        }
        s
    }

    pub fn decode(s: &str) -> Result<Self, &'static str> {
        if s.len() % 2 != 0 {
            return Err("odd length");
        }
        let bytes = (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16))
            .collect::<Result<Vec<u8>, _>>()
            .map_err(|_| "not hex")?;
        postcard::from_bytes(&bytes).map_err(|_| "does not decode")
    }
}
