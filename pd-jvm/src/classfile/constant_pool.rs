//! The constant pool (JVMS 4.4): parsing, version rules for tags, and the
//! format checks of every entry's references (JVMS 4.4, 4.8).

use alloc::vec::Vec;

use super::descriptor::{
    is_binary_class_name, is_class_entry_name, is_method_name, is_unqualified_name, parse_field_descriptor,
    parse_method_descriptor,
};
use super::error::{ClassFormatError, DescriptorKind, ErrorKind, NameKind, Result};
use super::flags::V52;
use super::mutf8;
use super::reader::Reader;

/// `reference_kind` values of CONSTANT_MethodHandle (JVMS 5.4.3.5).
pub mod ref_kind {
    pub const GET_FIELD: u8 = 1;
    pub const GET_STATIC: u8 = 2;
    pub const PUT_FIELD: u8 = 3;
    pub const PUT_STATIC: u8 = 4;
    pub const INVOKE_VIRTUAL: u8 = 5;
    pub const INVOKE_STATIC: u8 = 6;
    pub const INVOKE_SPECIAL: u8 = 7;
    pub const NEW_INVOKE_SPECIAL: u8 = 8;
    pub const INVOKE_INTERFACE: u8 = 9;
}

/// One constant-pool entry. Strings are borrowed, undecoded modified UTF-8.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Constant<'a> {
    /// Index 0 and the second slot of a Long/Double entry.
    Unusable,
    Utf8(&'a [u8]),
    Integer(i32),
    Float(f32),
    Long(i64),
    Double(f64),
    Class {
        name_index: u16,
    },
    String {
        string_index: u16,
    },
    Fieldref {
        class_index: u16,
        name_and_type_index: u16,
    },
    Methodref {
        class_index: u16,
        name_and_type_index: u16,
    },
    InterfaceMethodref {
        class_index: u16,
        name_and_type_index: u16,
    },
    NameAndType {
        name_index: u16,
        descriptor_index: u16,
    },
    MethodHandle {
        reference_kind: u8,
        reference_index: u16,
    },
    MethodType {
        descriptor_index: u16,
    },
    Dynamic {
        bootstrap_method_attr_index: u16,
        name_and_type_index: u16,
    },
    InvokeDynamic {
        bootstrap_method_attr_index: u16,
        name_and_type_index: u16,
    },
    Module {
        name_index: u16,
    },
    Package {
        name_index: u16,
    },
}

impl Constant<'_> {
    /// The JVMS name of this entry's tag, for diagnostics.
    pub fn tag_name(&self) -> &'static str {
        match self {
            Constant::Unusable => "an unusable slot",
            Constant::Utf8(_) => "CONSTANT_Utf8",
            Constant::Integer(_) => "CONSTANT_Integer",
            Constant::Float(_) => "CONSTANT_Float",
            Constant::Long(_) => "CONSTANT_Long",
            Constant::Double(_) => "CONSTANT_Double",
            Constant::Class { .. } => "CONSTANT_Class",
            Constant::String { .. } => "CONSTANT_String",
            Constant::Fieldref { .. } => "CONSTANT_Fieldref",
            Constant::Methodref { .. } => "CONSTANT_Methodref",
            Constant::InterfaceMethodref { .. } => "CONSTANT_InterfaceMethodref",
            Constant::NameAndType { .. } => "CONSTANT_NameAndType",
            Constant::MethodHandle { .. } => "CONSTANT_MethodHandle",
            Constant::MethodType { .. } => "CONSTANT_MethodType",
            Constant::Dynamic { .. } => "CONSTANT_Dynamic",
            Constant::InvokeDynamic { .. } => "CONSTANT_InvokeDynamic",
            Constant::Module { .. } => "CONSTANT_Module",
            Constant::Package { .. } => "CONSTANT_Package",
        }
    }

    /// Loadable constants (JVMS 4.4, Table 4.4-C): usable by `ldc` and as
    /// bootstrap-method arguments.
    pub fn is_loadable(&self) -> bool {
        matches!(
            self,
            Constant::Integer(_)
                | Constant::Float(_)
                | Constant::Long(_)
                | Constant::Double(_)
                | Constant::Class { .. }
                | Constant::String { .. }
                | Constant::MethodHandle { .. }
                | Constant::MethodType { .. }
                | Constant::Dynamic { .. }
        )
    }
}

/// The parsed constant pool; index 0 is [`Constant::Unusable`].
#[derive(Debug, Clone, PartialEq)]
pub struct ConstantPool<'a> {
    entries: Vec<Constant<'a>>,
    /// File offset of each entry's tag byte (for diagnostics).
    offsets: Vec<usize>,
}

/// Earliest major version allowed for each tag (JVMS Table 4.4-B).
fn min_major(tag: u8) -> u16 {
    match tag {
        15 | 16 | 18 => 51,
        19 | 20 => 53,
        17 => 55,
        _ => 45,
    }
}

fn tag_label(tag: u8) -> &'static str {
    match tag {
        15 => "CONSTANT_MethodHandle",
        16 => "CONSTANT_MethodType",
        17 => "CONSTANT_Dynamic",
        18 => "CONSTANT_InvokeDynamic",
        19 => "CONSTANT_Module",
        20 => "CONSTANT_Package",
        _ => "constant",
    }
}

impl<'a> ConstantPool<'a> {
    /// Parse `constant_pool_count` and the entries. References between
    /// entries are checked afterwards by [`ConstantPool::check`].
    pub(crate) fn parse(r: &mut Reader<'a>, major: u16) -> Result<Self> {
        let at = r.offset();
        let count = r.u2()?;
        if count == 0 {
            return Err(ClassFormatError::new(ErrorKind::BadConstantPoolCount, at));
        }
        // Every entry is at least 3 bytes (tag + u2).
        let entries_len = usize::from(count) - 1;
        if entries_len.saturating_mul(3) > r.remaining() {
            return Err(ClassFormatError::new(
                ErrorKind::CountExceedsInput {
                    what: "constant pool",
                    count: usize::from(count),
                    remaining: r.remaining(),
                },
                at,
            ));
        }
        let mut entries = Vec::with_capacity(usize::from(count));
        let mut offsets = Vec::with_capacity(usize::from(count));
        entries.push(Constant::Unusable);
        offsets.push(at);
        let mut index: u16 = 1;
        while index < count {
            let off = r.offset();
            let tag = r.u1()?;
            let c = match tag {
                1 => {
                    let len = r.u2()?;
                    let data_at = r.offset();
                    let b = r.bytes(usize::from(len))?;
                    if let Err(e) = mutf8::validate(b) {
                        return Err(ClassFormatError::new(
                            ErrorKind::InvalidModifiedUtf8 { index, position: e.position },
                            data_at.saturating_add(e.position),
                        ));
                    }
                    Constant::Utf8(b)
                }
                3 => Constant::Integer(r.u4()? as i32),
                4 => Constant::Float(f32::from_bits(r.u4()?)),
                5 => Constant::Long(r.u8()? as i64),
                6 => Constant::Double(f64::from_bits(r.u8()?)),
                7 => Constant::Class { name_index: r.u2()? },
                8 => Constant::String { string_index: r.u2()? },
                9 => Constant::Fieldref { class_index: r.u2()?, name_and_type_index: r.u2()? },
                10 => Constant::Methodref { class_index: r.u2()?, name_and_type_index: r.u2()? },
                11 => Constant::InterfaceMethodref { class_index: r.u2()?, name_and_type_index: r.u2()? },
                12 => Constant::NameAndType { name_index: r.u2()?, descriptor_index: r.u2()? },
                15 => Constant::MethodHandle { reference_kind: r.u1()?, reference_index: r.u2()? },
                16 => Constant::MethodType { descriptor_index: r.u2()? },
                17 => Constant::Dynamic { bootstrap_method_attr_index: r.u2()?, name_and_type_index: r.u2()? },
                18 => Constant::InvokeDynamic { bootstrap_method_attr_index: r.u2()?, name_and_type_index: r.u2()? },
                19 => Constant::Module { name_index: r.u2()? },
                20 => Constant::Package { name_index: r.u2()? },
                _ => return Err(ClassFormatError::new(ErrorKind::UnknownConstantTag { index, tag }, off)),
            };
            if major < min_major(tag) {
                return Err(ClassFormatError::new(
                    ErrorKind::ConstantTagNotAllowed { index, tag: tag_label(tag), major },
                    off,
                ));
            }
            let wide = matches!(c, Constant::Long(_) | Constant::Double(_));
            entries.push(c);
            offsets.push(off);
            if wide {
                // The next slot is unusable and must exist (JVMS 4.4.5).
                if index.checked_add(1).is_none_or(|n| n >= count) {
                    return Err(ClassFormatError::new(
                        ErrorKind::Malformed { reason: "CONSTANT_Long/Double occupies the last constant pool slot" },
                        off,
                    ));
                }
                entries.push(Constant::Unusable);
                offsets.push(off);
                index += 2;
            } else {
                index += 1;
            }
        }
        Ok(ConstantPool { entries, offsets })
    }

    /// `constant_pool_count` (one more than the highest index).
    pub fn count(&self) -> u16 {
        // The pool was built from a u2 count, so this cannot truncate.
        self.entries.len() as u16
    }

    /// The entry at `index`; `None` for 0, out-of-range and unusable slots.
    pub fn get(&self, index: u16) -> Option<&Constant<'a>> {
        match self.entries.get(usize::from(index)) {
            Some(Constant::Unusable) | None => None,
            Some(c) => Some(c),
        }
    }

    /// Iterate over `(index, entry)` for all usable entries.
    pub fn iter(&self) -> impl Iterator<Item = (u16, &Constant<'a>)> + '_ {
        self.entries.iter().enumerate().filter(|(_, c)| !matches!(c, Constant::Unusable)).map(|(i, c)| (i as u16, c))
    }

    /// The bytes of the CONSTANT_Utf8 at `index`, if it is one.
    pub fn utf8(&self, index: u16) -> Option<&'a [u8]> {
        match self.get(index) {
            Some(Constant::Utf8(b)) => Some(b),
            _ => None,
        }
    }

    /// The name of the CONSTANT_Class at `index`, if it is one.
    pub fn class_name(&self, index: u16) -> Option<&'a [u8]> {
        match self.get(index) {
            Some(Constant::Class { name_index }) => self.utf8(*name_index),
            _ => None,
        }
    }

    /// Name and descriptor of the CONSTANT_NameAndType at `index`.
    pub fn name_and_type(&self, index: u16) -> Option<(&'a [u8], &'a [u8])> {
        match self.get(index) {
            Some(Constant::NameAndType { name_index, descriptor_index }) => {
                Some((self.utf8(*name_index)?, self.utf8(*descriptor_index)?))
            }
            _ => None,
        }
    }

    /// File offset of the entry at `index` (for diagnostics).
    pub(crate) fn offset_of(&self, index: u16) -> usize {
        self.offsets.get(usize::from(index)).copied().unwrap_or(0)
    }

    /// The entry at `index`, or a BadConstantIndex error reported at `at`.
    pub(crate) fn entry(&self, index: u16, what: &'static str, at: usize) -> Result<&Constant<'a>> {
        self.get(index).ok_or_else(|| {
            ClassFormatError::new(ErrorKind::BadConstantIndex { what, index, pool_count: self.count() }, at)
        })
    }

    fn wrong_tag(
        what: &'static str,
        index: u16,
        expected: &'static str,
        found: &Constant<'_>,
        at: usize,
    ) -> ClassFormatError {
        ClassFormatError::new(ErrorKind::WrongConstantTag { what, index, expected, found: found.tag_name() }, at)
    }

    /// Require a CONSTANT_Utf8 at `index`.
    pub(crate) fn expect_utf8(&self, index: u16, what: &'static str, at: usize) -> Result<&'a [u8]> {
        match self.entry(index, what, at)? {
            Constant::Utf8(b) => Ok(b),
            c => Err(Self::wrong_tag(what, index, "CONSTANT_Utf8", c, at)),
        }
    }

    /// Require a CONSTANT_Class at `index`; returns its name.
    pub(crate) fn expect_class(&self, index: u16, what: &'static str, at: usize) -> Result<&'a [u8]> {
        match self.entry(index, what, at)? {
            Constant::Class { name_index } => self.expect_utf8(*name_index, "CONSTANT_Class name_index", at),
            c => Err(Self::wrong_tag(what, index, "CONSTANT_Class", c, at)),
        }
    }

    /// Require 0 or a CONSTANT_Class at `index`.
    pub(crate) fn expect_optional_class(&self, index: u16, what: &'static str, at: usize) -> Result<Option<&'a [u8]>> {
        if index == 0 {
            Ok(None)
        } else {
            self.expect_class(index, what, at).map(Some)
        }
    }

    /// Require a CONSTANT_NameAndType at `index`; returns (name, descriptor).
    pub(crate) fn expect_name_and_type(
        &self,
        index: u16,
        what: &'static str,
        at: usize,
    ) -> Result<(&'a [u8], &'a [u8])> {
        match self.entry(index, what, at)? {
            Constant::NameAndType { name_index, descriptor_index } => Ok((
                self.expect_utf8(*name_index, "CONSTANT_NameAndType name_index", at)?,
                self.expect_utf8(*descriptor_index, "CONSTANT_NameAndType descriptor_index", at)?,
            )),
            c => Err(Self::wrong_tag(what, index, "CONSTANT_NameAndType", c, at)),
        }
    }

    /// Check the references and name/descriptor syntax of every entry.
    /// Bootstrap-method indices are checked later, once BootstrapMethods is parsed.
    pub(crate) fn check(&self, major: u16) -> Result<()> {
        for (index, c) in self.iter() {
            let at = self.offset_of(index);
            match *c {
                Constant::Class { name_index } => {
                    let name = self.expect_utf8(name_index, "CONSTANT_Class name_index", at)?;
                    if !is_class_entry_name(name) {
                        return Err(invalid_name(NameKind::Class, name, at));
                    }
                }
                Constant::String { string_index } => {
                    self.expect_utf8(string_index, "CONSTANT_String string_index", at)?;
                }
                Constant::Fieldref { class_index, name_and_type_index } => {
                    self.expect_class(class_index, "CONSTANT_Fieldref class_index", at)?;
                    let (name, desc) =
                        self.expect_name_and_type(name_and_type_index, "CONSTANT_Fieldref name_and_type_index", at)?;
                    check_field_name_and_type(name, desc, at)?;
                }
                Constant::Methodref { class_index, name_and_type_index }
                | Constant::InterfaceMethodref { class_index, name_and_type_index } => {
                    let is_interface = matches!(c, Constant::InterfaceMethodref { .. });
                    self.expect_class(class_index, "CONSTANT_Methodref class_index", at)?;
                    let (name, desc) =
                        self.expect_name_and_type(name_and_type_index, "CONSTANT_Methodref name_and_type_index", at)?;
                    check_method_name_and_type(name, desc, at)?;
                    if name.first() == Some(&b'<') && (name != b"<init>" || is_interface) {
                        return Err(invalid_name(NameKind::Method, name, at));
                    }
                }
                Constant::NameAndType { name_index, descriptor_index } => {
                    self.expect_utf8(name_index, "CONSTANT_NameAndType name_index", at)?;
                    self.expect_utf8(descriptor_index, "CONSTANT_NameAndType descriptor_index", at)?;
                }
                Constant::MethodHandle { reference_kind, reference_index } => {
                    self.check_method_handle(index, reference_kind, reference_index, major, at)?
                }
                Constant::MethodType { descriptor_index } => {
                    let d = self.expect_utf8(descriptor_index, "CONSTANT_MethodType descriptor_index", at)?;
                    if parse_method_descriptor(d).is_none() {
                        return Err(invalid_descriptor(DescriptorKind::Method, d, at));
                    }
                }
                Constant::Dynamic { name_and_type_index, .. } => {
                    let (name, desc) =
                        self.expect_name_and_type(name_and_type_index, "CONSTANT_Dynamic name_and_type_index", at)?;
                    check_field_name_and_type(name, desc, at)?;
                }
                Constant::InvokeDynamic { name_and_type_index, .. } => {
                    let (name, desc) = self.expect_name_and_type(
                        name_and_type_index,
                        "CONSTANT_InvokeDynamic name_and_type_index",
                        at,
                    )?;
                    check_method_name_and_type(name, desc, at)?;
                    if name.first() == Some(&b'<') {
                        return Err(invalid_name(NameKind::Method, name, at));
                    }
                }
                Constant::Module { name_index } => {
                    let name = self.expect_utf8(name_index, "CONSTANT_Module name_index", at)?;
                    if name.is_empty() {
                        return Err(invalid_name(NameKind::Module, name, at));
                    }
                }
                Constant::Package { name_index } => {
                    let name = self.expect_utf8(name_index, "CONSTANT_Package name_index", at)?;
                    if !is_binary_class_name(name) {
                        return Err(invalid_name(NameKind::Module, name, at));
                    }
                }
                Constant::Utf8(_)
                | Constant::Integer(_)
                | Constant::Float(_)
                | Constant::Long(_)
                | Constant::Double(_)
                | Constant::Unusable => {}
            }
        }
        Ok(())
    }

    /// JVMS 4.4.8: reference_kind 1..=9 and the matching target entry.
    fn check_method_handle(&self, index: u16, kind: u8, target: u16, major: u16, at: usize) -> Result<()> {
        use ref_kind::*;
        let bad = |reason| ClassFormatError::new(ErrorKind::BadMethodHandle { index, reason }, at);
        let what = "CONSTANT_MethodHandle reference_index";
        let entry = self.entry(target, what, at)?;
        let nat = match (kind, entry) {
            (GET_FIELD..=PUT_STATIC, Constant::Fieldref { name_and_type_index, .. }) => *name_and_type_index,
            (GET_FIELD..=PUT_STATIC, _) => return Err(bad("field kinds must refer to a CONSTANT_Fieldref")),
            (INVOKE_VIRTUAL | NEW_INVOKE_SPECIAL, Constant::Methodref { name_and_type_index, .. }) => {
                *name_and_type_index
            }
            (INVOKE_STATIC | INVOKE_SPECIAL, Constant::Methodref { name_and_type_index, .. }) => *name_and_type_index,
            (INVOKE_STATIC | INVOKE_SPECIAL, Constant::InterfaceMethodref { name_and_type_index, .. })
                if major >= V52 =>
            {
                *name_and_type_index
            }
            (INVOKE_INTERFACE, Constant::InterfaceMethodref { name_and_type_index, .. }) => *name_and_type_index,
            (1..=9, _) => return Err(bad("reference_index has the wrong tag for reference_kind")),
            _ => return Err(bad("reference_kind is not in 1..=9")),
        };
        if kind >= INVOKE_VIRTUAL {
            let (name, _) = self.expect_name_and_type(nat, what, at)?;
            let is_init = name == b"<init>";
            if kind == NEW_INVOKE_SPECIAL && !is_init {
                return Err(bad("REF_newInvokeSpecial must name <init>"));
            }
            if kind != NEW_INVOKE_SPECIAL && (is_init || name == b"<clinit>") {
                return Err(bad("method handle may not name <init> or <clinit>"));
            }
        }
        Ok(())
    }
}

pub(crate) fn invalid_name(kind: NameKind, name: &[u8], at: usize) -> ClassFormatError {
    ClassFormatError::new(ErrorKind::InvalidName { kind, name: mutf8::decode_lossy(name) }, at)
}

pub(crate) fn invalid_descriptor(kind: DescriptorKind, d: &[u8], at: usize) -> ClassFormatError {
    ClassFormatError::new(ErrorKind::InvalidDescriptor { kind, descriptor: mutf8::decode_lossy(d) }, at)
}

fn check_field_name_and_type(name: &[u8], desc: &[u8], at: usize) -> Result<()> {
    if !is_unqualified_name(name) {
        return Err(invalid_name(NameKind::Field, name, at));
    }
    if parse_field_descriptor(desc).is_none() {
        return Err(invalid_descriptor(DescriptorKind::Field, desc, at));
    }
    Ok(())
}

fn check_method_name_and_type(name: &[u8], desc: &[u8], at: usize) -> Result<()> {
    if !is_method_name(name) {
        return Err(invalid_name(NameKind::Method, name, at));
    }
    match parse_method_descriptor(desc) {
        None => Err(invalid_descriptor(DescriptorKind::Method, desc, at)),
        Some(md) if name == b"<init>" && md.return_type.is_some() => {
            Err(invalid_descriptor(DescriptorKind::Method, desc, at))
        }
        Some(_) => Ok(()),
    }
}
