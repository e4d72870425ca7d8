//! Modified UTF-8 (JVMS 4.4.7), the encoding of CONSTANT_Utf8 entries.
//!
//! It differs from standard UTF-8 in two ways: U+0000 is encoded as the two
//! bytes `C0 80` (so no byte is ever zero), and supplementary characters are
//! encoded as a surrogate pair of two 3-byte sequences instead of one 4-byte
//! sequence. The parser keeps constant-pool strings as borrowed `&[u8]`
//! (validated with [`validate`]); callers decode on demand.

use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// Why a byte string could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mutf8ErrorKind {
    /// The bytes are not modified UTF-8 (zero byte, bad lead/continuation
    /// byte, overlong form, 4-byte form, or truncated sequence).
    Invalid,
    /// The bytes are valid modified UTF-8 (i.e. a valid Java string) but
    /// contain an unpaired surrogate, which a Rust `String` cannot hold.
    UnpairedSurrogate,
}

/// A decoding error and the byte position where it was detected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mutf8Error {
    pub kind: Mutf8ErrorKind,
    pub position: usize,
}

impl fmt::Display for Mutf8Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            Mutf8ErrorKind::Invalid => {
                write!(f, "invalid modified UTF-8 at byte {}", self.position)
            }
            Mutf8ErrorKind::UnpairedSurrogate => {
                write!(f, "unpaired surrogate at byte {}", self.position)
            }
        }
    }
}

impl core::error::Error for Mutf8Error {}

fn invalid(position: usize) -> Mutf8Error {
    Mutf8Error { kind: Mutf8ErrorKind::Invalid, position }
}

fn continuation(bytes: &[u8], i: usize) -> Result<u16, Mutf8Error> {
    match bytes.get(i) {
        Some(&b) if b & 0xC0 == 0x80 => Ok(u16::from(b & 0x3F)),
        _ => Err(invalid(i)),
    }
}

/// Decode one UTF-16 code unit starting at `*i`, advancing `*i`.
fn next_unit(bytes: &[u8], i: &mut usize) -> Result<u16, Mutf8Error> {
    let start = *i;
    let b = *bytes.get(start).ok_or(invalid(start))?;
    let b16 = u16::from(b);
    if b == 0 {
        Err(invalid(start))
    } else if b < 0x80 {
        *i = start + 1;
        Ok(b16)
    } else if b & 0xE0 == 0xC0 {
        let v = ((b16 & 0x1F) << 6) | continuation(bytes, start + 1)?;
        // Only U+0000 may use an overlong 2-byte form.
        if v != 0 && v < 0x80 {
            return Err(invalid(start));
        }
        *i = start + 2;
        Ok(v)
    } else if b & 0xF0 == 0xE0 {
        let v = ((b16 & 0x0F) << 12) | (continuation(bytes, start + 1)? << 6) | continuation(bytes, start + 2)?;
        if v < 0x800 {
            return Err(invalid(start));
        }
        *i = start + 3;
        Ok(v)
    } else {
        Err(invalid(start))
    }
}

/// Iterate over the UTF-16 code units encoded by `bytes`, with their byte positions.
fn units(bytes: &[u8]) -> impl Iterator<Item = Result<(usize, u16), Mutf8Error>> + '_ {
    let mut i = 0usize;
    let mut failed = false;
    core::iter::from_fn(move || {
        if failed || i >= bytes.len() {
            return None;
        }
        let at = i;
        let r = next_unit(bytes, &mut i).map(|u| (at, u));
        failed = r.is_err();
        Some(r)
    })
}

/// Check that `bytes` are valid modified UTF-8. Unpaired surrogates are
/// allowed: they are legal in Java strings.
pub fn validate(bytes: &[u8]) -> Result<(), Mutf8Error> {
    // Fast path: plain ASCII without NUL.
    if bytes.iter().all(|&b| b != 0 && b < 0x80) {
        return Ok(());
    }
    for u in units(bytes) {
        u?;
    }
    Ok(())
}

/// Decode to UTF-16 code units, the representation of `java.lang.String`.
pub fn decode_utf16(bytes: &[u8]) -> Result<Vec<u16>, Mutf8Error> {
    units(bytes).map(|r| r.map(|(_, u)| u)).collect()
}

/// Decode to a Rust string. Borrows when the bytes are also valid standard
/// UTF-8 (no `C0 80` and no surrogates), which is the common case.
/// Surrogate pairs are combined; an unpaired surrogate is an error.
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, Mutf8Error> {
    validate(bytes)?;
    let special = bytes.windows(2).any(|w| w == [0xC0, 0x80]) || bytes.contains(&0xED);
    if !special {
        if let Ok(s) = core::str::from_utf8(bytes) {
            return Ok(Cow::Borrowed(s));
        }
    }
    let mut out = String::with_capacity(bytes.len());
    let mut pending: Option<(usize, u16)> = None;
    for r in units(bytes) {
        let (pos, u) = r?;
        match (pending.take(), u) {
            (Some((_, hi)), 0xDC00..=0xDFFF) => {
                let c = 0x10000 + ((u32::from(hi) - 0xD800) << 10) + (u32::from(u) - 0xDC00);
                out.push(char::from_u32(c).ok_or(invalid(pos))?);
            }
            (Some((hpos, _)), _) => return Err(Mutf8Error { kind: Mutf8ErrorKind::UnpairedSurrogate, position: hpos }),
            (None, 0xD800..=0xDBFF) => pending = Some((pos, u)),
            (None, 0xDC00..=0xDFFF) => {
                return Err(Mutf8Error { kind: Mutf8ErrorKind::UnpairedSurrogate, position: pos })
            }
            (None, _) => out.push(char::from_u32(u32::from(u)).ok_or(invalid(pos))?),
        }
    }
    if let Some((hpos, _)) = pending {
        return Err(Mutf8Error { kind: Mutf8ErrorKind::UnpairedSurrogate, position: hpos });
    }
    Ok(Cow::Owned(out))
}

/// Decode for diagnostics: never fails, replacing anything undecodable with U+FFFD.
pub fn decode_lossy(bytes: &[u8]) -> String {
    match decode(bytes) {
        Ok(s) => s.into_owned(),
        Err(_) => {
            let units: Vec<u16> = units(bytes).map_while(|r| r.ok().map(|(_, u)| u)).collect();
            char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect()
        }
    }
}

/// Encode a Rust string as modified UTF-8 (useful for tests and for
/// looking up names given as `&str`).
pub fn encode(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        let mut buf = [0u16; 2];
        for &u in c.encode_utf16(&mut buf).iter() {
            match u {
                0x0001..=0x007F => out.push(u as u8),
                0x0000 | 0x0080..=0x07FF => {
                    out.push(0xC0 | (u >> 6) as u8);
                    out.push(0x80 | (u & 0x3F) as u8);
                }
                _ => {
                    out.push(0xE0 | (u >> 12) as u8);
                    out.push(0x80 | ((u >> 6) & 0x3F) as u8);
                    out.push(0x80 | (u & 0x3F) as u8);
                }
            }
        }
    }
    out
}
