//! The image of one Java protection domain: what `capuchin pack --pd`
//! writes and the JVM PD embeds (`include_bytes!`), so the PD needs no
//! files, arguments or anything else the Microkit does not give it.
//!
//! ```text
//! magic    "CPJP"            4 bytes
//! version  u16 = 2, reserved u16 = 0
//! hlen     u32               length of the header
//! header   hlen bytes        postcard-encoded [`PdImageHeader`]
//! classes  to the end        a pd-jvm class image ("CPCI"): library, capuchin.l4, program
//! ```
//!
//! The header records the main class and its arguments, the VM's limits
//! (heap quota, per-entry budget, maximum depth), the JIT policy and, for each PD the image
//! was packed for, the channel-name table taken from system.xml at build
//! time: which channel id leads to which peer PD, with which rights. That
//! table is how `Env.env().cap("calc_server")` works on seL4, where a PD
//! cannot read system.xml.

use alloc::vec::Vec;
use core::fmt;

use pd_jvm::image::{ClassImage, ImageError};
use serde::{Deserialize, Serialize};

pub const MAGIC: &[u8; 4] = b"CPJP";
pub const VERSION: u16 = 2;
const FIXED: usize = 12;

/// Everything about a Java PD that is not a class file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PdImageHeader<'a> {
    /// Binary or internal name of the class whose `main` runs in `init`.
    pub main_class: &'a str,
    #[serde(borrow)]
    pub args: Vec<&'a str>,
    /// Java heap quota in bytes (two semispaces of half each).
    pub heap_quota: u64,
    /// Back edges plus calls per entry into Java (main, each call, each notification).
    pub budget: u64,
    /// Maximum Java frames.
    pub max_depth: u32,
    /// The JIT (`capuchin pack --jit`): `None` interprets only; `Some(n)`
    /// compiles a method once it is warm (`n` entries plus back edges;
    /// 0: before its first run) if the PD was built with the JIT and
    /// system.xml gives it code memory (docs/jit.md).
    pub jit: Option<u32>,
    /// The PDs this image was packed for (usually one).
    #[serde(borrow)]
    pub pds: Vec<PdEntry<'a>>,
}

/// One PD's view of system.xml.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PdEntry<'a> {
    pub name: &'a str,
    pub passive: bool,
    #[serde(borrow)]
    pub channels: Vec<ChannelName<'a>>,
    #[serde(borrow)]
    pub regions: Vec<RegionName<'a>>,
}

/// A channel end of the PD.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelName<'a> {
    /// This end's id.
    pub id: u8,
    /// The PD at the other end.
    pub peer: &'a str,
    /// This end may call the peer.
    pub pp: bool,
    /// This end may notify the peer.
    pub notify: bool,
}

/// A memory region mapped into the PD (for error messages; the platform
/// does the mapping).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionName<'a> {
    pub mr: &'a str,
    pub setvar: Option<&'a str>,
    pub size: u64,
    pub writable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdImageError {
    BadMagic,
    UnsupportedVersion(u16),
    Truncated,
    Header,
    Classes(ImageError),
}

impl fmt::Display for PdImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PdImageError::BadMagic => f.write_str(
                "not a Java PD image (no \"CPJP\" magic): pack one with `capuchin pack --pd NAME --main CLASS`",
            ),
            PdImageError::UnsupportedVersion(v) => write!(f, "Java PD image version {v}; this VM reads {VERSION}"),
            PdImageError::Truncated => f.write_str("Java PD image: truncated header"),
            PdImageError::Header => f.write_str("Java PD image: the header does not decode"),
            PdImageError::Classes(e) => write!(f, "Java PD image: {e}"),
        }
    }
}

/// A parsed image, borrowed from its bytes.
#[derive(Clone)]
pub struct PdImage<'a> {
    pub header: PdImageHeader<'a>,
    pub classes: ClassImage<'a>,
}

impl<'a> PdImage<'a> {
    pub fn parse(bytes: &'a [u8]) -> Result<Self, PdImageError> {
        if bytes.len() < 4 || &bytes[..4] != MAGIC {
            return Err(PdImageError::BadMagic);
        }
        if bytes.len() < FIXED {
            return Err(PdImageError::Truncated);
        }
        let version = u16::from_le_bytes([bytes[4], bytes[5]]);
        if version != VERSION {
            return Err(PdImageError::UnsupportedVersion(version));
        }
        let hlen = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize;
        let end = FIXED.checked_add(hlen).filter(|&e| e <= bytes.len()).ok_or(PdImageError::Truncated)?;
        let header: PdImageHeader<'a> = postcard::from_bytes(&bytes[FIXED..end]).map_err(|_| PdImageError::Header)?;
        let classes = ClassImage::parse(&bytes[end..]).map_err(PdImageError::Classes)?;
        Ok(PdImage { header, classes })
    }

    /// The entry for the PD named `pd`: by name, or the only one.
    pub fn entry_for(&self, pd: &str) -> Result<&PdEntry<'a>, alloc::string::String> {
        if let Some(e) = self.header.pds.iter().find(|e| e.name == pd) {
            return Ok(e);
        }
        let names: Vec<&str> = self.header.pds.iter().map(|e| e.name).collect();
        Err(alloc::format!(
            "this Java PD image was packed for protection domain(s) [{}] of system.xml, not '{pd}': repack it with `capuchin pack --pd {pd}`",
            names.join(", ")
        ))
    }
}

/// A JIT policy as `capuchin pack --jit` and `capuchin java --jit` spell
/// it: `off` (`None`), `all` (`Some(0)`: compile before the first run) or
/// a threshold.
pub fn parse_jit(s: &str) -> Result<Option<u32>, alloc::string::String> {
    match s {
        "off" => Ok(None),
        "all" => Ok(Some(0)),
        n => n.parse::<u32>().map(Some).map_err(|_| alloc::format!("bad JIT policy '{n}' (use off, all or a number)")),
    }
}

/// Builds an image from a header and a pd-jvm class image.
pub fn build(header: &PdImageHeader<'_>, class_image: &[u8]) -> Vec<u8> {
    let h = postcard::to_allocvec(header).expect("the header serializes");
    let mut out = Vec::with_capacity(FIXED + h.len() + class_image.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&(h.len() as u32).to_le_bytes());
    out.extend_from_slice(&h);
    out.extend_from_slice(class_image);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn round_trip_and_hostile_images() {
        let classes = pd_jvm::image::build([(&b"a/B"[..], &b"\xca\xfe"[..])]).unwrap();
        let header = PdImageHeader {
            main_class: "demo.Main",
            args: vec!["x", "y"],
            heap_quota: 1 << 20,
            budget: 1000,
            max_depth: 100,
            jit: Some(1000),
            pds: vec![PdEntry {
                name: "p",
                passive: true,
                channels: vec![ChannelName { id: 3, peer: "q", pp: true, notify: false }],
                regions: vec![RegionName { mr: "buf", setvar: Some("b"), size: 4096, writable: false }],
            }],
        };
        let bytes = build(&header, &classes);
        let img = PdImage::parse(&bytes).unwrap();
        assert_eq!(img.header, header);
        assert_eq!(img.classes.get(b"a/B"), Some(&b"\xca\xfe"[..]));
        assert!(img.entry_for("p").is_ok());
        assert!(img.entry_for("z").unwrap_err().contains("packed for protection domain(s) [p]"));
        for n in 0..bytes.len() {
            assert!(PdImage::parse(&bytes[..n]).is_err(), "prefix {n}");
        }
        assert_eq!(PdImage::parse(b"CPCI\x01\0\0\0\0\0\0\0").err(), Some(PdImageError::BadMagic));
    }
}
