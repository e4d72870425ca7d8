//! Java strings as the VM sees them: `java/lang/String` with a UTF-16
//! `char[] value` and an `int hash` (docs/jvm.md contract). The VM creates
//! strings for `ldc`, interns literals, and converts to and from Rust.

use alloc::string::String;
use alloc::vec::Vec;

use crate::classfile::mutf8;
use crate::heap::Ref;
use crate::interp::Exit;

use super::class::*;
use super::Vm;

impl Vm {
    /// A new (not interned) string with the contents of `s`.
    pub fn new_string(&mut self, s: &str) -> Result<Ref, Exit> {
        let units: Vec<u16> = s.encode_utf16().collect();
        self.new_string_utf16(&units)
    }

    /// A new string of UTF-16 code units.
    pub fn new_string_utf16(&mut self, units: &[u16]) -> Result<Ref, Exit> {
        let (Some(sc), Some(value_off)) = (self.wk.string, self.wk.string_value) else {
            return Err(Exit::internal("java/lang/String has no char[] value field"));
        };
        let ca = self.char_array_class()?;
        let arr = self.alloc_array(ca, units.len() as i32)?;
        if let Ok(bytes) = self.heap.array_bytes_mut(arr) {
            for (i, u) in units.iter().enumerate() {
                bytes[2 * i..2 * i + 2].copy_from_slice(&u.to_le_bytes());
            }
        }
        self.heap.roots().push(arr);
        let s = self.alloc_instance(sc);
        let arr = self.heap.roots().pop().unwrap_or(Ref::NULL);
        let s = s?;
        let _ = self.heap.set_field(s, value_off, arr);
        Ok(s)
    }

    pub(crate) fn char_array_class(&mut self) -> Result<ClassId, Exit> {
        let c = self.primitive_class(b'C');
        self.array_class_of(c).map_err(Exit::Link)
    }

    /// The UTF-16 contents of a string, `None` for null or a non-string.
    pub fn string_utf16(&self, s: Ref) -> Option<Vec<u16>> {
        if s.is_null() || self.class_of(s) != self.wk.string {
            return None;
        }
        let arr: Ref = self.heap.get_field(s, self.wk.string_value?).ok()?;
        if arr.is_null() {
            return Some(Vec::new());
        }
        let bytes = self.heap.array_bytes(arr).ok()?;
        Some(bytes.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect())
    }

    /// The contents of a string as Rust text (unpaired surrogates become U+FFFD).
    pub fn string_value(&self, s: Ref) -> Option<String> {
        let units = self.string_utf16(s)?;
        Some(char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect())
    }

    /// The interned string with these contents: its index in `strings`.
    pub(crate) fn intern_utf16(&mut self, units: &[u16]) -> Result<u32, Exit> {
        if let Some(&i) = self.string_table.get(units) {
            return Ok(i);
        }
        let s = self.new_string_utf16(units)?;
        let i = self.strings.len() as u32;
        self.strings.push(s);
        self.note_moved();
        self.string_table.insert(units.to_vec(), i);
        Ok(i)
    }

    /// The string for a CONSTANT_String (interned, cached in the pool).
    pub(crate) fn ldc_string(&mut self, c: ClassId, idx: u16) -> Result<Ref, Exit> {
        let utf8 = match self.classes[c.ix()].cp.get(usize::from(idx)) {
            Some(CpEntry::String { interned: Some(i), .. }) => return Ok(self.strings[*i as usize]),
            Some(CpEntry::String { utf8, .. }) => *utf8,
            _ => return Err(Exit::internal("ldc: not a string constant")),
        };
        let units = mutf8::decode_utf16(self.cp_utf8(c, utf8)).map_err(|_| Exit::internal("bad modified UTF-8"))?;
        let i = self.intern_utf16(&units)?;
        if let Some(CpEntry::String { interned, .. }) = self.classes[c.ix()].cp.get_mut(usize::from(idx)) {
            *interned = Some(i);
        }
        Ok(self.strings[i as usize])
    }
}
