//! A typed IPC stream over the message registers.
//!
//! Every value is written as a one-byte type tag followed by its payload, so
//! a reader that asks for the wrong type, or reads past the last value, gets
//! an error instead of reinterpreting bytes. Integers are little-endian and
//! unaligned; byte strings and UTF-8 strings carry a `u32` length. Payloads
//! that do not fit in the 960 bytes of message registers travel through a
//! shared memory region: the stream then carries only a bounds-checked
//! `(offset, length)` reference ([`StreamWriter::put_shared`]). Structured
//! values can be sent with serde through postcard ([`StreamWriter::put_value`]).
//!
//! Padding after the last value up to the next whole register is zero, and
//! zero is not a valid tag, so the reader reports the end of the message
//! there.

use core::fmt;

use crate::region::MemoryRegion;

/// Bytes available in a full set of message registers.
pub const STREAM_CAPACITY: usize = crate::MAX_MESSAGE_REGISTERS * 8;

/// The type of one value in a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum TypeTag {
    Bool = 1,
    U8 = 2,
    I8 = 3,
    U16 = 4,
    I16 = 5,
    U32 = 6,
    I32 = 7,
    U64 = 8,
    I64 = 9,
    F32 = 10,
    F64 = 11,
    Bytes = 12,
    Str = 13,
    Shared = 14,
    Value = 15,
}

impl TypeTag {
    fn from_u8(b: u8) -> Option<Self> {
        use TypeTag::*;
        Some(match b {
            1 => Bool,
            2 => U8,
            3 => I8,
            4 => U16,
            5 => I16,
            6 => U32,
            7 => I32,
            8 => U64,
            9 => I64,
            10 => F32,
            11 => F64,
            12 => Bytes,
            13 => Str,
            14 => Shared,
            15 => Value,
            _ => return None,
        })
    }

    pub const fn name(self) -> &'static str {
        use TypeTag::*;
        match self {
            Bool => "bool",
            U8 => "u8",
            I8 => "i8",
            U16 => "u16",
            I16 => "i16",
            U32 => "u32",
            I32 => "i32",
            U64 => "u64",
            I64 => "i64",
            F32 => "f32",
            F64 => "f64",
            Bytes => "bytes",
            Str => "string",
            Shared => "shared-region reference",
            Value => "serialized value",
        }
    }
}

/// What went wrong while writing or reading a stream. Offsets are byte
/// offsets into the message payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamError {
    /// The writer ran out of message registers.
    Full { needed: usize, available: usize },
    /// The reader reached the end of the message.
    EndOfMessage { offset: usize, wanted: &'static str },
    /// The next value has a different type than the one asked for.
    TypeMismatch { offset: usize, expected: &'static str, found: &'static str },
    /// A byte that is not a type tag, or a length that runs past the end.
    Malformed { offset: usize, what: &'static str },
    /// A string payload that is not UTF-8.
    InvalidUtf8 { offset: usize },
    /// A shared-region reference that does not lie inside the region.
    SharedOutOfBounds { offset: u32, len: u32, region_size: usize },
    /// postcard could not encode or decode a value.
    Serde { offset: usize },
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Full { needed, available } => {
                write!(f, "IPC stream full: value needs {needed} bytes, {available} left in the message registers")
            }
            StreamError::EndOfMessage { offset, wanted } => {
                write!(f, "IPC stream: read of {wanted} past the end of the message (byte {offset})")
            }
            StreamError::TypeMismatch { offset, expected, found } => {
                write!(f, "IPC stream: expected {expected} at byte {offset}, found {found}")
            }
            StreamError::Malformed { offset, what } => {
                write!(f, "IPC stream: malformed message at byte {offset}: {what}")
            }
            StreamError::InvalidUtf8 { offset } => {
                write!(f, "IPC stream: string at byte {offset} is not UTF-8")
            }
            StreamError::SharedOutOfBounds { offset, len, region_size } => {
                write!(f, "IPC stream: shared-region reference {offset}+{len} outside the {region_size}-byte region")
            }
            StreamError::Serde { offset } => {
                write!(f, "IPC stream: value at byte {offset} does not (de)serialize")
            }
        }
    }
}

/// Writes typed values into a byte buffer (normally the message registers).
pub struct StreamWriter<'a> {
    buf: &'a mut [u8],
    pos: usize,
}

macro_rules! put_fixed {
    ($($name:ident / $try_name:ident: $ty:ty => $tag:ident),* $(,)?) => {$(
        pub fn $name(&mut self, v: $ty) -> Result<&mut Self, StreamError> {
            self.put_raw(TypeTag::$tag, &v.to_le_bytes())?;
            Ok(self)
        }

        /// As the `put_` form, but `None` (nothing written) where that
        /// returns an error, and no error built on the way.
        #[inline]
        pub fn $try_name(&mut self, v: $ty) -> Option<&mut Self> {
            const N: usize = core::mem::size_of::<$ty>();
            let b = self.buf.get_mut(self.pos..self.pos + 1 + N)?;
            b[0] = TypeTag::$tag as u8;
            b[1..].copy_from_slice(&v.to_le_bytes());
            self.pos += 1 + N;
            Some(self)
        }
    )*};
}

impl<'a> StreamWriter<'a> {
    pub fn new(buf: &'a mut [u8]) -> Self {
        Self { buf, pos: 0 }
    }

    /// A writer that continues a stream whose first `pos` bytes are
    /// already written (clamped to the buffer): for wrappers that keep a
    /// stream open across several calls, like the Java `IpcStream`.
    pub fn at(buf: &'a mut [u8], pos: usize) -> Self {
        let pos = pos.min(buf.len());
        Self { buf, pos }
    }

    /// Bytes written so far.
    pub fn len(&self) -> usize {
        self.pos
    }

    pub fn is_empty(&self) -> bool {
        self.pos == 0
    }

    /// Discards everything written.
    pub fn clear(&mut self) {
        self.pos = 0;
    }

    /// Zero-pads to a whole message register and returns how many registers
    /// the stream occupies.
    pub fn finish(&mut self) -> usize {
        let words = self.pos.div_ceil(8);
        let tail = self.pos % 8;
        if tail != 0 {
            // Masked in place: a call to memset for up to 7 bytes cost
            // more than the rest of a small reply.
            let start = self.pos - tail;
            match self.buf.get_mut(start..start + 8) {
                Some(w) => {
                    let word = u64::from_le_bytes(w.try_into().expect("8 bytes"));
                    w.copy_from_slice(&(word & ((1u64 << (tail * 8)) - 1)).to_le_bytes());
                }
                None => self.buf[self.pos..].fill(0),
            }
        }
        words
    }

    fn reserve(&mut self, n: usize) -> Result<usize, StreamError> {
        let available = self.buf.len() - self.pos;
        if n > available {
            return Err(StreamError::Full { needed: n, available });
        }
        let at = self.pos;
        self.pos += n;
        Ok(at)
    }

    fn put_raw(&mut self, tag: TypeTag, payload: &[u8]) -> Result<(), StreamError> {
        let at = self.reserve(1 + payload.len())?;
        self.buf[at] = tag as u8;
        self.buf[at + 1..at + 1 + payload.len()].copy_from_slice(payload);
        Ok(())
    }

    fn put_len_prefixed(&mut self, tag: TypeTag, data: &[u8]) -> Result<(), StreamError> {
        let len = u32::try_from(data.len())
            .map_err(|_| StreamError::Full { needed: data.len(), available: self.buf.len() - self.pos })?;
        let at = self.reserve(5 + data.len())?;
        self.buf[at] = tag as u8;
        self.buf[at + 1..at + 5].copy_from_slice(&len.to_le_bytes());
        self.buf[at + 5..at + 5 + data.len()].copy_from_slice(data);
        Ok(())
    }

    // The `try_` forms are for callers that report a full stream their
    // own way (java-l4's interpreter twins, which decline and let the
    // full form throw).
    put_fixed! {
        put_u8 / try_put_u8: u8 => U8, put_i8 / try_put_i8: i8 => I8,
        put_u16 / try_put_u16: u16 => U16, put_i16 / try_put_i16: i16 => I16,
        put_u32 / try_put_u32: u32 => U32, put_i32 / try_put_i32: i32 => I32,
        put_u64 / try_put_u64: u64 => U64, put_i64 / try_put_i64: i64 => I64,
        put_f32 / try_put_f32: f32 => F32, put_f64 / try_put_f64: f64 => F64,
    }

    pub fn put_bool(&mut self, v: bool) -> Result<&mut Self, StreamError> {
        self.put_raw(TypeTag::Bool, &[v as u8])?;
        Ok(self)
    }

    /// [`StreamWriter::put_bool`] as the `try_put_` forms.
    #[inline]
    pub fn try_put_bool(&mut self, v: bool) -> Option<&mut Self> {
        let b = self.buf.get_mut(self.pos..self.pos + 2)?;
        b.copy_from_slice(&[TypeTag::Bool as u8, v as u8]);
        self.pos += 2;
        Some(self)
    }

    pub fn put_bytes(&mut self, data: &[u8]) -> Result<&mut Self, StreamError> {
        self.put_len_prefixed(TypeTag::Bytes, data)?;
        Ok(self)
    }

    pub fn put_str(&mut self, s: &str) -> Result<&mut Self, StreamError> {
        self.put_len_prefixed(TypeTag::Str, s.as_bytes())?;
        Ok(self)
    }

    /// Copies `data` into `region` at `offset` and puts a reference to it in
    /// the stream, for payloads larger than the message registers.
    pub fn put_shared(&mut self, region: &MemoryRegion, offset: usize, data: &[u8]) -> Result<&mut Self, StreamError> {
        let (off32, len32) = (offset as u32, data.len() as u32);
        if offset > u32::MAX as usize || data.len() > u32::MAX as usize || region.write(offset, data).is_err() {
            return Err(StreamError::SharedOutOfBounds { offset: off32, len: len32, region_size: region.size() });
        }
        let mut payload = [0u8; 8];
        payload[..4].copy_from_slice(&off32.to_le_bytes());
        payload[4..].copy_from_slice(&len32.to_le_bytes());
        self.put_raw(TypeTag::Shared, &payload)?;
        Ok(self)
    }

    /// Puts a reference to `len` bytes already in `region` at `offset`
    /// (nothing is copied), checked against the region's bounds.
    pub fn put_shared_ref(
        &mut self,
        region: &MemoryRegion,
        offset: usize,
        len: usize,
    ) -> Result<&mut Self, StreamError> {
        let (off32, len32) = (offset as u32, len as u32);
        if offset > u32::MAX as usize
            || len > u32::MAX as usize
            || offset.checked_add(len).is_none_or(|e| e > region.size())
        {
            return Err(StreamError::SharedOutOfBounds { offset: off32, len: len32, region_size: region.size() });
        }
        let mut payload = [0u8; 8];
        payload[..4].copy_from_slice(&off32.to_le_bytes());
        payload[4..].copy_from_slice(&len32.to_le_bytes());
        self.put_raw(TypeTag::Shared, &payload)?;
        Ok(self)
    }

    /// Serializes `value` with postcard.
    pub fn put_value<T: serde::Serialize>(&mut self, value: &T) -> Result<&mut Self, StreamError> {
        let start = self.pos;
        let at = self.reserve(5)?;
        let body = &mut self.buf[at + 5..];
        let used = postcard_encode(value, body).map_err(|_| {
            self.pos = start;
            StreamError::Full { needed: usize::MAX, available: self.buf.len() - start }
        })?;
        self.buf[at] = TypeTag::Value as u8;
        self.buf[at + 1..at + 5].copy_from_slice(&(used as u32).to_le_bytes());
        self.pos += used;
        Ok(self)
    }
}

fn postcard_encode<T: serde::Serialize>(value: &T, out: &mut [u8]) -> Result<usize, postcard::Error> {
    postcard::to_slice(value, out).map(|s| s.len())
}

/// Reads typed values from a byte buffer, checking each tag.
pub struct StreamReader<'a> {
    buf: &'a [u8],
    pos: usize,
}

macro_rules! get_fixed {
    ($($name:ident / $try_name:ident: $ty:ty => $tag:ident),* $(,)?) => {$(
        pub fn $name(&mut self) -> Result<$ty, StreamError> {
            const N: usize = core::mem::size_of::<$ty>();
            let b = self.take(TypeTag::$tag, N)?;
            let mut a = [0u8; N];
            a.copy_from_slice(b);
            Ok(<$ty>::from_le_bytes(a))
        }

        /// As the `get_` form, but `None` (the reader unmoved) where that
        /// returns an error, which says why.
        #[inline]
        pub fn $try_name(&mut self) -> Option<$ty> {
            const N: usize = core::mem::size_of::<$ty>();
            let b = self.buf.get(self.pos..self.pos + 1 + N)?;
            if b[0] != TypeTag::$tag as u8 {
                return None;
            }
            let mut a = [0u8; N];
            a.copy_from_slice(&b[1..]);
            self.pos += 1 + N;
            Some(<$ty>::from_le_bytes(a))
        }
    )*};
}

impl<'a> StreamReader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Self { buf, pos: 0 }
    }

    /// A reader that continues at byte `pos` (clamped to the buffer), so
    /// error offsets stay relative to the start of the message.
    pub fn at(buf: &'a [u8], pos: usize) -> Self {
        let pos = pos.min(buf.len());
        Self { buf, pos }
    }

    /// Byte offset of the next value.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// The type of the next value, or `None` at the end of the message.
    pub fn peek(&self) -> Option<TypeTag> {
        self.buf.get(self.pos).and_then(|&b| TypeTag::from_u8(b))
    }

    /// True when no value follows.
    pub fn at_end(&self) -> bool {
        self.buf.get(self.pos).is_none_or(|&b| b == 0)
    }

    fn tag(&mut self, expected: TypeTag) -> Result<usize, StreamError> {
        let at = self.pos;
        match self.buf.get(at) {
            None | Some(0) => Err(StreamError::EndOfMessage { offset: at, wanted: expected.name() }),
            Some(&b) => match TypeTag::from_u8(b) {
                None => Err(StreamError::Malformed { offset: at, what: "unknown type tag" }),
                Some(t) if t != expected => {
                    Err(StreamError::TypeMismatch { offset: at, expected: expected.name(), found: t.name() })
                }
                Some(_) => Ok(at + 1),
            },
        }
    }

    fn take(&mut self, expected: TypeTag, n: usize) -> Result<&'a [u8], StreamError> {
        let body = self.tag(expected)?;
        let end = body + n;
        if end > self.buf.len() {
            return Err(StreamError::Malformed { offset: self.pos, what: "value runs past the end of the message" });
        }
        self.pos = end;
        Ok(&self.buf[body..end])
    }

    fn take_len_prefixed(&mut self, expected: TypeTag) -> Result<(usize, &'a [u8]), StreamError> {
        let start = self.pos;
        let body = self.tag(expected)?;
        let Some(len_bytes) = self.buf.get(body..body + 4) else {
            return Err(StreamError::Malformed { offset: start, what: "length runs past the end of the message" });
        };
        let len = u32::from_le_bytes(len_bytes.try_into().unwrap()) as usize;
        let data = body + 4;
        let Some(bytes) = data.checked_add(len).and_then(|end| self.buf.get(data..end)) else {
            return Err(StreamError::Malformed { offset: start, what: "payload runs past the end of the message" });
        };
        self.pos = data + len;
        Ok((start, bytes))
    }

    // The `try_` forms are for callers that report errors their own way
    // (java-l4's interpreter twins, which decline and let the full form
    // throw).
    get_fixed! {
        get_u8 / try_get_u8: u8 => U8, get_i8 / try_get_i8: i8 => I8,
        get_u16 / try_get_u16: u16 => U16, get_i16 / try_get_i16: i16 => I16,
        get_u32 / try_get_u32: u32 => U32, get_i32 / try_get_i32: i32 => I32,
        get_u64 / try_get_u64: u64 => U64, get_i64 / try_get_i64: i64 => I64,
        get_f32 / try_get_f32: f32 => F32, get_f64 / try_get_f64: f64 => F64,
    }

    /// [`StreamReader::get_bool`] as the `try_get_` forms.
    #[inline]
    pub fn try_get_bool(&mut self) -> Option<bool> {
        match self.buf.get(self.pos..self.pos + 2)? {
            &[t, v] if t == TypeTag::Bool as u8 && v <= 1 => {
                self.pos += 2;
                Some(v == 1)
            }
            _ => None,
        }
    }

    pub fn get_bool(&mut self) -> Result<bool, StreamError> {
        let at = self.pos;
        match self.take(TypeTag::Bool, 1)?[0] {
            0 => Ok(false),
            1 => Ok(true),
            _ => {
                self.pos = at;
                Err(StreamError::Malformed { offset: at, what: "bool that is neither 0 nor 1" })
            }
        }
    }

    pub fn get_bytes(&mut self) -> Result<&'a [u8], StreamError> {
        Ok(self.take_len_prefixed(TypeTag::Bytes)?.1)
    }

    pub fn get_str(&mut self) -> Result<&'a str, StreamError> {
        let (at, bytes) = self.take_len_prefixed(TypeTag::Str)?;
        core::str::from_utf8(bytes).map_err(|_| {
            self.pos = at;
            StreamError::InvalidUtf8 { offset: at }
        })
    }

    /// Reads a shared-region reference and checks it against `region`;
    /// returns `(offset, len)` for [`MemoryRegion::read`].
    pub fn get_shared(&mut self, region: &MemoryRegion) -> Result<(usize, usize), StreamError> {
        let at = self.pos;
        let b = self.take(TypeTag::Shared, 8)?;
        let offset = u32::from_le_bytes(b[..4].try_into().unwrap());
        let len = u32::from_le_bytes(b[4..].try_into().unwrap());
        let end = offset as u64 + len as u64;
        if end > region.size() as u64 {
            self.pos = at;
            return Err(StreamError::SharedOutOfBounds { offset, len, region_size: region.size() });
        }
        Ok((offset as usize, len as usize))
    }

    pub fn get_value<T: serde::Deserialize<'a>>(&mut self) -> Result<T, StreamError> {
        let (at, bytes) = self.take_len_prefixed(TypeTag::Value)?;
        postcard::from_bytes(bytes).map_err(|_| {
            self.pos = at;
            StreamError::Serde { offset: at }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finish_zeroes_the_last_register_and_nothing_after() {
        for n in 0..=9usize {
            let mut buf = [0xAAu8; 24];
            let mut w = StreamWriter::new(&mut buf);
            w.put_bytes(&[0x55; 9][..n]).unwrap();
            let pos = n + 1 + 4; // tag, length, bytes
            let words = w.finish();
            assert_eq!(words, pos.div_ceil(8));
            assert!(buf[pos..words * 8].iter().all(|&b| b == 0), "n {n}: {buf:?}");
            assert!(buf[words * 8..].iter().all(|&b| b == 0xAA), "n {n}: {buf:?}");
            assert!(buf[5..pos].iter().all(|&b| b == 0x55), "n {n}: {buf:?}");
        }
        // A buffer that does not end on a register: padded to its end.
        let mut buf = [0xAAu8; 7];
        let mut w = StreamWriter::new(&mut buf);
        w.put_u8(1).unwrap();
        assert_eq!(w.finish(), 1);
        assert_eq!(buf, [TypeTag::U8 as u8, 1, 0, 0, 0, 0, 0]);
    }

    #[test]
    fn round_trip_of_every_type() {
        let mut buf = [0xAAu8; STREAM_CAPACITY];
        let mut w = StreamWriter::new(&mut buf);
        w.put_bool(true).unwrap().put_u8(7).unwrap().put_i8(-7).unwrap();
        w.put_u16(65535).unwrap().put_i16(-300).unwrap();
        w.put_u32(0xdead_beef).unwrap().put_i32(i32::MIN).unwrap();
        w.put_u64(u64::MAX).unwrap().put_i64(-1).unwrap();
        w.put_f32(1.5).unwrap().put_f64(f64::NAN).unwrap();
        w.put_bytes(&[1, 2, 3]).unwrap().put_str("héllo").unwrap();
        w.put_value(&(42u16, "x")).unwrap();
        let words = w.finish();
        let len = words * 8;
        assert_eq!(len % 8, 0);
        let mut r = StreamReader::new(&buf[..len]);
        assert!(r.get_bool().unwrap());
        assert_eq!(r.get_u8().unwrap(), 7);
        assert_eq!(r.get_i8().unwrap(), -7);
        assert_eq!(r.get_u16().unwrap(), 65535);
        assert_eq!(r.get_i16().unwrap(), -300);
        assert_eq!(r.get_u32().unwrap(), 0xdead_beef);
        assert_eq!(r.get_i32().unwrap(), i32::MIN);
        assert_eq!(r.get_u64().unwrap(), u64::MAX);
        assert_eq!(r.get_i64().unwrap(), -1);
        assert_eq!(r.get_f32().unwrap(), 1.5);
        assert!(r.get_f64().unwrap().is_nan());
        assert_eq!(r.get_bytes().unwrap(), &[1, 2, 3]);
        assert_eq!(r.get_str().unwrap(), "héllo");
        assert_eq!(r.get_value::<(u16, &str)>().unwrap(), (42, "x"));
        assert!(r.at_end());
        assert_eq!(r.get_u32(), Err(StreamError::EndOfMessage { offset: r.position(), wanted: "u32" }));
    }

    /// The `try_` forms write and read what the others do, and answer
    /// `None` without moving exactly where the others return an error.
    #[test]
    fn try_forms_match_the_fallible_ones() {
        macro_rules! check {
            ($v:expr, $put:ident, $try_put:ident, $get:ident, $try_get:ident) => {{
                const N: usize = 1 + core::mem::size_of_val(&$v);
                let (mut a, mut b) = ([0u8; 16], [0u8; 16]);
                StreamWriter::new(&mut a).$put($v).unwrap();
                assert!(StreamWriter::new(&mut b).$try_put($v).is_some());
                assert_eq!(a, b, stringify!($try_put));
                let mut r = StreamReader::new(&b[..N]);
                assert_eq!(r.$try_get().map(|x| x.to_bits_or_self()), Some($v.to_bits_or_self()));
                assert_eq!(r.position(), N);
                // At the end, and a byte short: None, unmoved, where get_ errs.
                assert_eq!(r.$try_get().map(|x| x.to_bits_or_self()), None);
                assert_eq!(r.position(), N);
                let mut short = StreamReader::new(&b[..N - 1]);
                assert!(short.$get().is_err() && short.$try_get().is_none() && short.position() == 0);
                let mut full = [0u8; N - 1];
                let mut w = StreamWriter::new(&mut full);
                assert!(w.$try_put($v).is_none() && w.len() == 0 && w.$put($v).is_err());
                assert_eq!(full, [0u8; N - 1]);
            }};
        }
        trait Bits {
            fn to_bits_or_self(self) -> u64;
        }
        macro_rules! bits {
            ($($t:ty),*) => {$(impl Bits for $t { fn to_bits_or_self(self) -> u64 { self as u64 } })*};
        }
        bits!(u8, i8, u16, i16, u32, i32, u64, i64);
        impl Bits for f32 {
            fn to_bits_or_self(self) -> u64 {
                u64::from(self.to_bits())
            }
        }
        impl Bits for f64 {
            fn to_bits_or_self(self) -> u64 {
                self.to_bits()
            }
        }
        check!(0xfeu8, put_u8, try_put_u8, get_u8, try_get_u8);
        check!(-2i8, put_i8, try_put_i8, get_i8, try_get_i8);
        check!(0xfedcu16, put_u16, try_put_u16, get_u16, try_get_u16);
        check!(-300i16, put_i16, try_put_i16, get_i16, try_get_i16);
        check!(0xdead_beefu32, put_u32, try_put_u32, get_u32, try_get_u32);
        check!(i32::MIN, put_i32, try_put_i32, get_i32, try_get_i32);
        check!(u64::MAX - 1, put_u64, try_put_u64, get_u64, try_get_u64);
        check!(-5i64, put_i64, try_put_i64, get_i64, try_get_i64);
        check!(1.5f32, put_f32, try_put_f32, get_f32, try_get_f32);
        check!(-0.25f64, put_f64, try_put_f64, get_f64, try_get_f64);
        for v in [false, true] {
            let (mut a, mut b) = ([0u8; 4], [0u8; 4]);
            StreamWriter::new(&mut a).put_bool(v).unwrap();
            assert_eq!(StreamWriter::new(&mut b).try_put_bool(v).map(|w| w.len()), Some(2));
            assert_eq!(a, b);
            let mut r = StreamReader::new(&b);
            assert_eq!((r.try_get_bool(), r.position()), (Some(v), 2));
            assert!(StreamWriter::new(&mut b[..1]).try_put_bool(v).is_none());
        }
        let bad = [TypeTag::Bool as u8, 2];
        let mut r = StreamReader::new(&bad);
        assert!(r.try_get_bool().is_none() && r.position() == 0 && r.get_bool().is_err());
        // The wrong type: None, unmoved, where get_ errs.
        let mut b = [0u8; 16];
        StreamWriter::new(&mut b).put_u64(7).unwrap();
        let mut r = StreamReader::new(&b);
        assert!(r.try_get_i64().is_none() && r.try_get_f64().is_none() && r.position() == 0);
        assert!(r.get_i64().is_err());
        assert_eq!(r.try_get_u64(), Some(7));
    }

    #[test]
    fn wrong_type_is_an_error_and_does_not_advance() {
        let mut buf = [0u8; 64];
        let mut w = StreamWriter::new(&mut buf);
        w.put_i64(5).unwrap();
        let n = w.finish() * 8;
        let mut r = StreamReader::new(&buf[..n]);
        assert_eq!(r.get_i32(), Err(StreamError::TypeMismatch { offset: 0, expected: "i32", found: "i64" }));
        assert_eq!(r.get_i64().unwrap(), 5);
    }

    #[test]
    fn writer_reports_full_and_keeps_earlier_values() {
        let mut buf = [0u8; 16];
        let mut w = StreamWriter::new(&mut buf);
        w.put_u64(1).unwrap();
        assert_eq!(w.put_u64(2).err(), Some(StreamError::Full { needed: 9, available: 7 }));
        assert_eq!(w.len(), 9);
        assert!(w.put_str("longer than seven").is_err());
        assert!(w.put_value(&[0u8; 32]).is_err());
        assert_eq!(w.len(), 9);
    }

    #[test]
    fn hostile_lengths_are_rejected() {
        // A Bytes tag claiming 4 GiB of payload.
        let buf = [TypeTag::Bytes as u8, 0xff, 0xff, 0xff, 0xff, 0, 0, 0];
        let mut r = StreamReader::new(&buf);
        assert!(matches!(r.get_bytes(), Err(StreamError::Malformed { offset: 0, .. })));
        // A truncated length.
        let buf = [TypeTag::Str as u8, 1];
        assert!(matches!(StreamReader::new(&buf).get_str(), Err(StreamError::Malformed { .. })));
        // An unknown tag.
        let buf = [200u8, 0];
        assert!(matches!(StreamReader::new(&buf).get_u8(), Err(StreamError::Malformed { .. })));
        // Invalid UTF-8.
        let buf = [TypeTag::Str as u8, 1, 0, 0, 0, 0xff];
        assert_eq!(StreamReader::new(&buf).get_str(), Err(StreamError::InvalidUtf8 { offset: 0 }));
        // A bool that is not 0 or 1.
        let buf = [TypeTag::Bool as u8, 2];
        assert!(StreamReader::new(&buf).get_bool().is_err());
    }

    #[test]
    fn streams_continue_at_a_position_and_refer_to_shared_bytes_in_place() {
        let mut backing = [7u8; 64];
        let region = unsafe { MemoryRegion::from_raw("buf", backing.as_mut_ptr(), backing.len(), false) };
        let mut buf = [0u8; 64];
        let n = StreamWriter::new(&mut buf).put_u8(1).unwrap().len();
        let mut w = StreamWriter::at(&mut buf, n);
        w.put_shared_ref(&region, 60, 4).unwrap();
        assert!(w.put_shared_ref(&region, 61, 4).is_err());
        let words = w.finish();
        let mut r = StreamReader::new(&buf[..words * 8]);
        assert_eq!(r.get_u8().unwrap(), 1);
        let at = r.position();
        assert_eq!(StreamReader::at(&buf[..words * 8], at).get_shared(&region).unwrap(), (60, 4));
        // Errors name offsets from the start of the message.
        assert_eq!(
            StreamReader::at(&buf[..words * 8], at).get_u8(),
            Err(StreamError::TypeMismatch { offset: 2, expected: "u8", found: "shared-region reference" })
        );
    }

    #[test]
    fn shared_references_are_bounds_checked() {
        let mut backing = [0u8; 64];
        let region = unsafe { MemoryRegion::from_raw("buf", backing.as_mut_ptr(), backing.len(), true) };
        let mut buf = [0u8; 32];
        let mut w = StreamWriter::new(&mut buf);
        w.put_shared(&region, 8, b"payload").unwrap();
        assert!(w.put_shared(&region, 60, b"too long").is_err());
        let n = w.finish() * 8;
        let mut r = StreamReader::new(&buf[..n]);
        let (off, len) = r.get_shared(&region).unwrap();
        let mut out = [0u8; 7];
        region.read(off, &mut out[..len]).unwrap();
        assert_eq!(&out, b"payload");

        // A forged reference past the end of the region.
        let mut forged = [0u8; 16];
        forged[0] = TypeTag::Shared as u8;
        forged[1..5].copy_from_slice(&60u32.to_le_bytes());
        forged[5..9].copy_from_slice(&16u32.to_le_bytes());
        assert_eq!(
            StreamReader::new(&forged).get_shared(&region),
            Err(StreamError::SharedOutOfBounds { offset: 60, len: 16, region_size: 64 })
        );
    }
}
