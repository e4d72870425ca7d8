//! Loading a VIFlet's class image into a running VIF domain without files
//! (docs/network.md, "Loading and replacing a VIFlet at run time").
//!
//! Two regions per VIF domain V, both written by one side only:
//!
//! * `V_viflet_image` (netctl rw at `viflet_image{j}`, V read-only at
//!   `viflet_image`): a 64-byte header (magic, generation, length, FNV-1a
//!   64 checksum of the bytes) and the packed class image. netctl writes
//!   the bytes, then the header, magic last. V copies the bytes out and
//!   checks them on its copy, so netctl rewriting the region later cannot
//!   change what V already accepted. Per VIF, so no VIF can read what is
//!   staged for another.
//! * `V_viflet_status` (V rw at `viflet_status`, netctl read-only at
//!   `viflet_status{j}`): V's answer to load request N (the `load=N` of its
//!   configuration line): whether the processor was replaced, kept, or
//!   why not. netctl waits for it and hands it to `capuchin vif load`.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::sync::atomic::{fence, AtomicU32, AtomicU64, Ordering};

const IMAGE_MAGIC: u32 = 0x474d_4956; // "VIMG"
/// Bytes before the image in a `viflet_image` region.
pub const IMAGE_HEADER: usize = 64;

#[repr(C)]
struct ImageHeader {
    magic: AtomicU32,
    generation: AtomicU32,
    len: AtomicU32,
    _pad: AtomicU32,
    checksum: AtomicU64,
}

/// FNV-1a, 64-bit: cheap enough for a few hundred KiB on seL4, and catches
/// a torn or truncated copy (not an attacker: netctl is trusted).
pub fn checksum(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}

/// Slots of a `viflet_image` region: the image the VIF runs and the next.
pub const SLOTS: usize = 2;

fn slot_size(region_size: usize) -> usize {
    region_size / SLOTS / 64 * 64
}

/// The largest image a region of `region_size` bytes holds.
pub fn capacity(region_size: usize) -> usize {
    slot_size(region_size).saturating_sub(IMAGE_HEADER)
}

/// The header of slot `slot` (< [`SLOTS`]).
///
/// # Safety
/// `base..base+size` must be a mapping, 8-byte aligned, of at least
/// `SLOTS` headers (`capacity(size)` may be 0).
unsafe fn header<'a>(base: *const u8, size: usize, slot: usize) -> &'a ImageHeader {
    // SAFETY: contract; slots start at multiples of 64; all fields are atomics.
    unsafe { &*base.add(slot * slot_size(size)).cast::<ImageHeader>() }
}

/// The slot that holds generation `generation`, if one does (netctl: the
/// image the VIF runs, which the next load must not overwrite).
///
/// # Safety
/// `base..base+size` must be a readable mapping, 8-byte aligned.
pub unsafe fn slot_of(base: *const u8, size: usize, generation: u32) -> Option<usize> {
    if slot_size(size) < IMAGE_HEADER {
        return None;
    }
    (0..SLOTS).find(|&k| {
        // SAFETY: contract, and the slots hold headers (checked above).
        let h = unsafe { header(base, size, k) };
        h.magic.load(Ordering::Acquire) == IMAGE_MAGIC && h.generation.load(Ordering::Relaxed) == generation
    })
}

/// Writes `image` as generation `generation` into slot `slot` of a
/// `viflet_image` region (netctl).
///
/// # Safety
/// `base..base+size` must be a writable mapping, 8-byte aligned, that no
/// one else writes.
pub unsafe fn stage(base: *mut u8, size: usize, slot: usize, generation: u32, image: &[u8]) -> Result<(), String> {
    if image.len() > capacity(size) || slot >= SLOTS || slot_size(size) < IMAGE_HEADER {
        return Err(format!(
            "the image has {} bytes; the VIF's viflet_image region holds at most {} ({} bytes in {SLOTS} \
             slots, each less a {IMAGE_HEADER}-byte header)",
            image.len(),
            capacity(size),
            size
        ));
    }
    // SAFETY: contract; the slot is within the region (checked above).
    let (h, at) = unsafe { (header(base, size, slot), base.add(slot * slot_size(size) + IMAGE_HEADER)) };
    h.magic.store(0, Ordering::Release);
    fence(Ordering::Release);
    // SAFETY: in bounds (checked above); nobody else writes the region.
    unsafe { core::ptr::copy_nonoverlapping(image.as_ptr(), at, image.len()) };
    h.generation.store(generation, Ordering::Relaxed);
    h.len.store(image.len() as u32, Ordering::Relaxed);
    h.checksum.store(checksum(image), Ordering::Relaxed);
    h.magic.store(IMAGE_MAGIC, Ordering::Release);
    Ok(())
}

/// A copy of the image staged as `generation`, after checking the header
/// (the length within its slot) and the checksum of the copy (the VIF).
///
/// # Safety
/// `base..base+size` must be a readable mapping, 8-byte aligned.
pub unsafe fn read_staged(base: *const u8, size: usize, generation: u32) -> Result<Vec<u8>, String> {
    if slot_size(size) < IMAGE_HEADER {
        return Err(format!("the viflet_image region has {size} bytes, too few for {SLOTS} headers"));
    }
    // SAFETY: contract.
    let Some(slot) = (unsafe { slot_of(base, size, generation) }) else {
        let held: Vec<String> = (0..SLOTS)
            // SAFETY: contract, and the slots hold headers (checked above).
            .map(|k| unsafe { header(base, size, k) })
            .filter(|h| h.magic.load(Ordering::Acquire) == IMAGE_MAGIC)
            .map(|h| format!("load {}", h.generation.load(Ordering::Relaxed)))
            .collect();
        return Err(match held.is_empty() {
            true => String::from("no image is staged in the viflet_image region (bad magic)"),
            false => {
                format!("the viflet_image region holds {}, not load {generation} (replaced since)", held.join(" and "))
            }
        });
    };
    // SAFETY: contract; the slot is within the region.
    let (h, at) = unsafe { (header(base, size, slot), base.add(slot * slot_size(size) + IMAGE_HEADER)) };
    let (len, sum) = (h.len.load(Ordering::Relaxed) as usize, h.checksum.load(Ordering::Relaxed));
    if len > capacity(size) {
        return Err(format!(
            "staged image length {len} exceeds the viflet_image region ({} bytes of image)",
            capacity(size)
        ));
    }
    let mut copy = Vec::with_capacity(len);
    // SAFETY: in bounds (checked above); read-only mapping.
    unsafe {
        core::ptr::copy_nonoverlapping(at, copy.as_mut_ptr(), len);
        copy.set_len(len);
    }
    if checksum(&copy) != sum || h.generation.load(Ordering::Acquire) != generation {
        return Err(format!("staged image of {len} bytes fails its checksum (torn or corrupted)"));
    }
    Ok(copy)
}

const STATUS_MAGIC: u32 = 0x5453_4c56; // "VLST"
const STATUS_TEXT_AT: usize = 16;

#[repr(C)]
struct StatusHeader {
    magic: AtomicU32,
    /// The load request answered; written last.
    request: AtomicU32,
    outcome: AtomicU32,
    len: AtomicU32,
}

/// What a VIF did with a load request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadOutcome {
    /// The processor was replaced (the text names the new one).
    Replaced(String),
    /// The settings asked for the processor already running.
    Unchanged(String),
    /// Refused; the old processor keeps running.
    Refused(String),
}

/// Publishes the answer to `request` (the VIF).
///
/// # Safety
/// `base..base+size` must be a writable mapping, 8-byte aligned, that no
/// one else writes.
pub unsafe fn answer(base: *mut u8, size: usize, request: u32, outcome: &LoadOutcome) {
    let (code, text) = match outcome {
        LoadOutcome::Replaced(t) => (1, t),
        LoadOutcome::Unchanged(t) => (2, t),
        LoadOutcome::Refused(t) => (3, t),
    };
    // SAFETY: contract; header fields are atomics.
    let h = unsafe { &*base.cast::<StatusHeader>() };
    let mut n = text.len().min(size.saturating_sub(STATUS_TEXT_AT));
    while !text.is_char_boundary(n) {
        n -= 1;
    }
    // SAFETY: in bounds.
    unsafe { core::ptr::copy_nonoverlapping(text.as_ptr(), base.add(STATUS_TEXT_AT), n) };
    h.outcome.store(code, Ordering::Relaxed);
    h.len.store(n as u32, Ordering::Relaxed);
    h.magic.store(STATUS_MAGIC, Ordering::Relaxed);
    h.request.store(request, Ordering::Release);
}

/// The answer to `request`, if the VIF has given it (netctl).
///
/// # Safety
/// `base..base+size` must be a readable mapping, 8-byte aligned.
pub unsafe fn answered(base: *const u8, size: usize, request: u32) -> Option<LoadOutcome> {
    // SAFETY: contract.
    let h = unsafe { &*base.cast::<StatusHeader>() };
    if h.request.load(Ordering::Acquire) != request || h.magic.load(Ordering::Relaxed) != STATUS_MAGIC {
        return None;
    }
    let n = (h.len.load(Ordering::Relaxed) as usize).min(size.saturating_sub(STATUS_TEXT_AT));
    // SAFETY: in bounds; the VIF wrote it before `request` (release/acquire).
    let text =
        String::from_utf8_lossy(unsafe { core::slice::from_raw_parts(base.add(STATUS_TEXT_AT), n) }).into_owned();
    Some(match h.outcome.load(Ordering::Relaxed) {
        1 => LoadOutcome::Replaced(text),
        2 => LoadOutcome::Unchanged(text),
        _ => LoadOutcome::Refused(text),
    })
}

/// Standard base64 (RFC 4648, with padding): how `capuchin vif load` sends
/// the image on netctl's line-based control socket.
pub fn base64_decode(text: &str) -> Result<Vec<u8>, String> {
    fn val(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    }
    let b = text.as_bytes();
    if b.len() % 4 != 0 {
        return Err(format!("base64 of {} characters (not a multiple of 4)", b.len()));
    }
    let mut out = Vec::with_capacity(b.len() / 4 * 3);
    for (k, q) in b.chunks_exact(4).enumerate() {
        let last = k + 1 == b.len() / 4;
        let pad = if last { q.iter().rev().take_while(|&&c| c == b'=').count() } else { 0 };
        if pad > 2 {
            return Err(String::from("bad base64 padding"));
        }
        let mut n = 0u32;
        for &c in &q[..4 - pad] {
            n = n << 6 | val(c).ok_or_else(|| format!("bad base64 character {:?}", c as char))?;
        }
        n <<= 6 * pad as u32;
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Ok(out)
}

/// The encoder for [`base64_decode`].
pub fn base64_encode(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n = (c[0] as u32) << 16 | (*c.get(1).unwrap_or(&0) as u32) << 8 | *c.get(2).unwrap_or(&0) as u32;
        for k in 0..4 {
            if k <= c.len() {
                s.push(A[(n >> (18 - 6 * k)) as usize & 63] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    /// A region as u64s, for the alignment the headers need.
    fn region(bytes: usize) -> Vec<u64> {
        vec![0u64; bytes / 8]
    }

    #[test]
    fn a_staged_image_reads_back_and_damage_is_refused() {
        let mut r = region(4096);
        let (base, size) = (r.as_mut_ptr().cast::<u8>(), 4096);
        let image: Vec<u8> = (0..1000u32).map(|i| (i * 7) as u8).collect();
        unsafe { stage(base, size, 0, 5, &image).unwrap() };
        assert_eq!(unsafe { read_staged(base, size, 5) }.unwrap(), image);
        let e = unsafe { read_staged(base, size, 4) }.unwrap_err();
        assert!(e.contains("holds load 5, not load 4"), "{e}");
        // The other slot takes the next image; both can be read.
        let other: Vec<u8> = image.iter().rev().copied().collect();
        unsafe { stage(base, size, 1, 6, &other).unwrap() };
        assert_eq!(unsafe { (slot_of(base, size, 5), slot_of(base, size, 6)) }, (Some(0), Some(1)));
        assert_eq!(unsafe { read_staged(base, size, 5) }.unwrap(), image);
        assert_eq!(unsafe { read_staged(base, size, 6) }.unwrap(), other);
        let e = unsafe { read_staged(base, size, 4) }.unwrap_err();
        assert!(e.contains("holds load 5 and load 6, not load 4"), "{e}");
        // A flipped byte fails the checksum.
        unsafe { *base.add(IMAGE_HEADER + 10) ^= 1 };
        let e = unsafe { read_staged(base, size, 5) }.unwrap_err();
        assert!(e.contains("fails its checksum"), "{e}");
        // A length past the slot is refused before anything is read.
        unsafe { stage(base, size, 0, 7, &image).unwrap() };
        unsafe { (*base.cast::<ImageHeader>()).len.store(5000, Ordering::Relaxed) };
        let e = unsafe { read_staged(base, size, 7) }.unwrap_err();
        assert!(e.contains("exceeds the viflet_image region"), "{e}");
        // Too big to stage at all.
        let e = unsafe { stage(base, size, 1, 8, &vec![0u8; 2048 - IMAGE_HEADER + 1]) }.unwrap_err();
        assert!(e.contains("holds at most 1984"), "{e}");
        // Nothing staged.
        let mut empty = region(4096);
        let e = unsafe { read_staged(empty.as_mut_ptr().cast(), 4096, 1) }.unwrap_err();
        assert!(e.contains("no image is staged"), "{e}");
    }

    #[test]
    fn status_answers_one_request() {
        let mut r = region(4096);
        let base = r.as_mut_ptr().cast::<u8>();
        assert_eq!(unsafe { answered(base, 4096, 1) }, None);
        unsafe { answer(base, 4096, 1, &LoadOutcome::Refused("VIFlet x: bad".into())) };
        assert_eq!(unsafe { answered(base, 4096, 1) }, Some(LoadOutcome::Refused("VIFlet x: bad".into())));
        assert_eq!(unsafe { answered(base, 4096, 2) }, None);
    }

    #[test]
    fn base64_round_trips() {
        for n in 0..20 {
            let b: Vec<u8> = (0..n).map(|i| (i * 37 + 11) as u8).collect();
            assert_eq!(base64_decode(&base64_encode(&b)).unwrap(), b);
        }
        assert_eq!(base64_encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64_decode("Zm9vYg==").unwrap(), b"foob");
        assert!(base64_decode("Zm9").is_err());
        assert!(base64_decode("Zm9v!A==").is_err());
    }
}
