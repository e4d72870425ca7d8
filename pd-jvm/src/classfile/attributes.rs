//! Attributes (JVMS 4.7): the ones that affect execution or linking are
//! parsed into structured form; all others are kept as raw `(name, bytes)`.
//!
//! An attribute is recognized only in the location(s) and from the class
//! file version where the specification defines it; elsewhere it is kept
//! as [`Attribute::Unknown`] and ignored, as JVMS 4.7 requires.

use alloc::vec::Vec;

use super::constant_pool::{invalid_descriptor, invalid_name, Constant, ConstantPool};
use super::descriptor::{is_method_name, is_unqualified_name, parse_field_descriptor, parse_method_descriptor};
use super::error::{ClassFormatError, DescriptorKind, ErrorKind, NameKind, Result};
use super::flags::{self, *};
use super::reader::Reader;
use super::stack_map::{self, StackMapFrame};

/// The inner-class flags HotSpot recognizes (JVMS Table 4.7.6-A).
const INNER_CLASS_FLAGS: u16 = ACC_PUBLIC
    | ACC_PRIVATE
    | ACC_PROTECTED
    | ACC_STATIC
    | ACC_FINAL
    | ACC_INTERFACE
    | ACC_ABSTRACT
    | ACC_SYNTHETIC
    | ACC_ANNOTATION
    | ACC_ENUM;

/// Where an attribute table sits; decides which attributes are recognized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Class,
    Field,
    Method,
    /// Inside a Code attribute; carries the code length for pc checks.
    Code(usize),
    RecordComponent,
}

/// One exception-table entry of a Code attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExceptionHandler {
    pub start_pc: u16,
    /// Exclusive.
    pub end_pc: u16,
    pub handler_pc: u16,
    /// 0 for "any" (finally), else a CONSTANT_Class index.
    pub catch_type: u16,
}

/// The Code attribute (JVMS 4.7.3).
#[derive(Debug, Clone, PartialEq)]
pub struct Code<'a> {
    pub max_stack: u16,
    pub max_locals: u16,
    /// The bytecode, 1..=65535 bytes.
    pub code: &'a [u8],
    pub exception_table: Vec<ExceptionHandler>,
    pub attributes: Vec<Attribute<'a>>,
}

impl<'a> Code<'a> {
    /// The decoded StackMapTable frames, if present.
    pub fn stack_map_table(&self) -> Option<&[StackMapFrame]> {
        self.attributes.iter().find_map(|a| match a {
            Attribute::StackMapTable(f) => Some(f.as_slice()),
            _ => None,
        })
    }

    /// All LineNumberTable entries (there may be several tables).
    pub fn line_numbers(&self) -> impl Iterator<Item = &LineNumber> + '_ {
        self.attributes
            .iter()
            .filter_map(|a| match a {
                Attribute::LineNumberTable(t) => Some(t.iter()),
                _ => None,
            })
            .flatten()
    }

    /// All LocalVariableTable entries (there may be several tables).
    pub fn local_variables(&self) -> impl Iterator<Item = &LocalVariable<'a>> + '_ {
        self.attributes
            .iter()
            .filter_map(|a| match a {
                Attribute::LocalVariableTable(t) => Some(t.iter()),
                _ => None,
            })
            .flatten()
    }
}

/// An InnerClasses entry (JVMS 4.7.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InnerClass {
    pub inner_class_info_index: u16,
    /// 0 if not a member class.
    pub outer_class_info_index: u16,
    /// 0 if anonymous.
    pub inner_name_index: u16,
    pub inner_class_access_flags: u16,
}

/// A LineNumberTable entry (JVMS 4.7.12).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineNumber {
    pub start_pc: u16,
    pub line_number: u16,
}

/// A LocalVariableTable entry (JVMS 4.7.13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalVariable<'a> {
    pub start_pc: u16,
    pub length: u16,
    pub name: &'a [u8],
    pub descriptor: &'a [u8],
    pub index: u16,
}

/// A BootstrapMethods entry (JVMS 4.7.23).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BootstrapMethod {
    /// A CONSTANT_MethodHandle index.
    pub method_ref: u16,
    /// Loadable constant indices.
    pub arguments: Vec<u16>,
}

/// A MethodParameters entry (JVMS 4.7.24).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MethodParameter {
    /// 0 if the parameter has no name.
    pub name_index: u16,
    pub access_flags: u16,
}

/// A Record component (JVMS 4.7.30).
#[derive(Debug, Clone, PartialEq)]
pub struct RecordComponent<'a> {
    pub name: &'a [u8],
    pub descriptor: &'a [u8],
    pub attributes: Vec<Attribute<'a>>,
}

/// A parsed attribute.
#[derive(Debug, Clone, PartialEq)]
pub enum Attribute<'a> {
    /// Index of the field's constant value.
    ConstantValue {
        index: u16,
    },
    Code(Code<'a>),
    StackMapTable(Vec<StackMapFrame>),
    /// CONSTANT_Class indices of declared checked exceptions.
    Exceptions(Vec<u16>),
    InnerClasses(Vec<InnerClass>),
    /// `method_index` is 0 or a CONSTANT_NameAndType index.
    EnclosingMethod {
        class_index: u16,
        method_index: u16,
    },
    Synthetic,
    /// CONSTANT_Utf8 index of the generic signature.
    Signature {
        index: u16,
    },
    /// CONSTANT_Utf8 index of the source file name.
    SourceFile {
        index: u16,
    },
    LineNumberTable(Vec<LineNumber>),
    LocalVariableTable(Vec<LocalVariable<'a>>),
    Deprecated,
    BootstrapMethods(Vec<BootstrapMethod>),
    MethodParameters(Vec<MethodParameter>),
    NestHost {
        class_index: u16,
    },
    NestMembers(Vec<u16>),
    Record(Vec<RecordComponent<'a>>),
    PermittedSubclasses(Vec<u16>),
    /// Anything not recognized here (annotations, Module, debug extensions...).
    Unknown {
        name: &'a [u8],
        data: &'a [u8],
    },
}

/// Known attributes: name, first class-file major version, permitted locations.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Known {
    ConstantValue,
    Code,
    StackMapTable,
    Exceptions,
    InnerClasses,
    EnclosingMethod,
    Synthetic,
    Signature,
    SourceFile,
    LineNumberTable,
    LocalVariableTable,
    Deprecated,
    BootstrapMethods,
    MethodParameters,
    NestHost,
    NestMembers,
    Record,
    PermittedSubclasses,
}

impl Known {
    fn lookup(name: &[u8], loc: Location, major: u16) -> Option<Known> {
        use Location as L;
        let (k, since, ok) = match name {
            b"ConstantValue" => (Known::ConstantValue, 45, loc == L::Field),
            b"Code" => (Known::Code, 45, loc == L::Method),
            b"StackMapTable" => (Known::StackMapTable, 50, matches!(loc, L::Code(_))),
            b"Exceptions" => (Known::Exceptions, 45, loc == L::Method),
            b"InnerClasses" => (Known::InnerClasses, 45, loc == L::Class),
            b"EnclosingMethod" => (Known::EnclosingMethod, 49, loc == L::Class),
            b"Synthetic" => (Known::Synthetic, 45, matches!(loc, L::Class | L::Field | L::Method)),
            b"Signature" => (Known::Signature, 49, matches!(loc, L::Class | L::Field | L::Method | L::RecordComponent)),
            b"SourceFile" => (Known::SourceFile, 45, loc == L::Class),
            b"LineNumberTable" => (Known::LineNumberTable, 45, matches!(loc, L::Code(_))),
            b"LocalVariableTable" => (Known::LocalVariableTable, 45, matches!(loc, L::Code(_))),
            b"Deprecated" => (Known::Deprecated, 45, matches!(loc, L::Class | L::Field | L::Method)),
            b"BootstrapMethods" => (Known::BootstrapMethods, 51, loc == L::Class),
            b"MethodParameters" => (Known::MethodParameters, 52, loc == L::Method),
            b"NestHost" => (Known::NestHost, 55, loc == L::Class),
            b"NestMembers" => (Known::NestMembers, 55, loc == L::Class),
            b"Record" => (Known::Record, 60, loc == L::Class),
            b"PermittedSubclasses" => (Known::PermittedSubclasses, 61, loc == L::Class),
            _ => return None,
        };
        (ok && major >= since).then_some(k)
    }

    fn name(self) -> &'static str {
        match self {
            Known::ConstantValue => "ConstantValue",
            Known::Code => "Code",
            Known::StackMapTable => "StackMapTable",
            Known::Exceptions => "Exceptions",
            Known::InnerClasses => "InnerClasses",
            Known::EnclosingMethod => "EnclosingMethod",
            Known::Synthetic => "Synthetic",
            Known::Signature => "Signature",
            Known::SourceFile => "SourceFile",
            Known::LineNumberTable => "LineNumberTable",
            Known::LocalVariableTable => "LocalVariableTable",
            Known::Deprecated => "Deprecated",
            Known::BootstrapMethods => "BootstrapMethods",
            Known::MethodParameters => "MethodParameters",
            Known::NestHost => "NestHost",
            Known::NestMembers => "NestMembers",
            Known::Record => "Record",
            Known::PermittedSubclasses => "PermittedSubclasses",
        }
    }

    /// Attributes that may appear at most once in one attribute table.
    fn unique(self) -> bool {
        !matches!(self, Known::LineNumberTable | Known::LocalVariableTable | Known::Synthetic | Known::Deprecated)
    }
}

/// What attribute parsing needs to know about the enclosing class file.
pub(crate) struct Ctx<'c, 'a> {
    pub cp: &'c ConstantPool<'a>,
    pub major: u16,
    pub minor: u16,
}

fn pc_check(what: &'static str, pc: usize, code_length: usize, at: usize) -> Result<()> {
    if pc < code_length {
        Ok(())
    } else {
        Err(ClassFormatError::new(ErrorKind::PcOutsideCode { what, pc, code_length }, at))
    }
}

/// Parse `attributes_count` and the attribute table at `loc`.
pub(crate) fn parse_attributes<'a>(r: &mut Reader<'a>, cx: &Ctx<'_, 'a>, loc: Location) -> Result<Vec<Attribute<'a>>> {
    let n = r.count("attributes", 6)?;
    let mut out = Vec::with_capacity(usize::from(n));
    let mut seen: Vec<Known> = Vec::new();
    for _ in 0..n {
        let at = r.offset();
        let name_index = r.u2()?;
        let name = cx.cp.expect_utf8(name_index, "attribute_name_index", at)?;
        let len = r.u4()?;
        let Some(known) = Known::lookup(name, loc, cx.major) else {
            let data = r.bytes(len as usize)?;
            out.push(Attribute::Unknown { name, data });
            continue;
        };
        if known.unique() && seen.contains(&known) {
            return Err(ClassFormatError::new(ErrorKind::DuplicateAttribute { name: known.name() }, at));
        }
        if matches!(known, Known::NestHost | Known::NestMembers)
            && seen.iter().any(|k| matches!(k, Known::NestHost | Known::NestMembers))
        {
            return Err(ClassFormatError::new(
                ErrorKind::Malformed { reason: "both NestHost and NestMembers attributes present" },
                at,
            ));
        }
        seen.push(known);
        let start = r.offset();
        let attr = parse_body(r, cx, known, loc)?;
        let actual = r.offset() - start;
        if actual != len as usize {
            return Err(ClassFormatError::new(
                ErrorKind::AttributeLengthMismatch { name: known.name(), declared: len, actual },
                at,
            ));
        }
        out.push(attr);
    }
    Ok(out)
}

fn class_list<'a>(r: &mut Reader<'a>, cx: &Ctx<'_, 'a>, what: &'static str) -> Result<Vec<u16>> {
    let n = r.count(what, 2)?;
    let mut v = Vec::with_capacity(usize::from(n));
    for _ in 0..n {
        let at = r.offset();
        let i = r.u2()?;
        cx.cp.expect_class(i, what, at)?;
        v.push(i);
    }
    Ok(v)
}

fn parse_body<'a>(r: &mut Reader<'a>, cx: &Ctx<'_, 'a>, known: Known, loc: Location) -> Result<Attribute<'a>> {
    let cp = cx.cp;
    let code_length = match loc {
        Location::Code(n) => n,
        _ => 0,
    };
    let at = r.offset();
    Ok(match known {
        Known::ConstantValue => {
            let index = r.u2()?;
            match cp.entry(index, "ConstantValue index", at)? {
                Constant::Integer(_)
                | Constant::Float(_)
                | Constant::Long(_)
                | Constant::Double(_)
                | Constant::String { .. } => {}
                c => {
                    return Err(ClassFormatError::new(
                        ErrorKind::WrongConstantTag {
                            what: "ConstantValue index",
                            index,
                            expected: "a constant value",
                            found: c.tag_name(),
                        },
                        at,
                    ))
                }
            }
            Attribute::ConstantValue { index }
        }
        Known::Code => Attribute::Code(parse_code(r, cx)?),
        Known::StackMapTable => Attribute::StackMapTable(stack_map::parse(r, cp, code_length)?),
        Known::Exceptions => Attribute::Exceptions(class_list(r, cx, "Exceptions")?),
        Known::InnerClasses => {
            let n = r.count("InnerClasses", 8)?;
            let mut v = Vec::with_capacity(usize::from(n));
            for _ in 0..n {
                let at = r.offset();
                let ic = InnerClass {
                    inner_class_info_index: r.u2()?,
                    outer_class_info_index: r.u2()?,
                    inner_name_index: r.u2()?,
                    inner_class_access_flags: r.u2()?,
                };
                cp.expect_class(ic.inner_class_info_index, "InnerClasses inner_class_info_index", at)?;
                cp.expect_optional_class(ic.outer_class_info_index, "InnerClasses outer_class_info_index", at)?;
                if ic.inner_name_index != 0 {
                    let name = cp.expect_utf8(ic.inner_name_index, "InnerClasses inner_name_index", at)?;
                    if !is_unqualified_name(name) {
                        return Err(invalid_name(NameKind::Class, name, at));
                    }
                } else if cx.major >= 51 && ic.outer_class_info_index != 0 {
                    return Err(ClassFormatError::new(
                        ErrorKind::Malformed {
                            reason: "InnerClasses entry has outer_class_info_index but no inner_name_index",
                        },
                        at,
                    ));
                }
                if ic.inner_class_info_index == ic.outer_class_info_index {
                    return Err(ClassFormatError::new(
                        ErrorKind::Malformed { reason: "InnerClasses entry names a class as its own outer class" },
                        at,
                    ));
                }
                let f = ic.inner_class_access_flags & INNER_CLASS_FLAGS;
                if let Err(reason) = flags::check_class(f, cx.major) {
                    return Err(ClassFormatError::new(
                        ErrorKind::IllegalFlags { what: "inner class", flags: ic.inner_class_access_flags, reason },
                        at,
                    ));
                }
                v.push(ic);
            }
            Attribute::InnerClasses(v)
        }
        Known::EnclosingMethod => {
            let class_index = r.u2()?;
            let method_index = r.u2()?;
            cp.expect_class(class_index, "EnclosingMethod class_index", at)?;
            if method_index != 0 {
                let (name, desc) = cp.expect_name_and_type(method_index, "EnclosingMethod method_index", at)?;
                if !is_method_name(name) {
                    return Err(invalid_name(NameKind::Method, name, at));
                }
                if parse_method_descriptor(desc).is_none() {
                    return Err(invalid_descriptor(DescriptorKind::Method, desc, at));
                }
            }
            Attribute::EnclosingMethod { class_index, method_index }
        }
        Known::Synthetic => Attribute::Synthetic,
        Known::Deprecated => Attribute::Deprecated,
        Known::Signature => {
            let index = r.u2()?;
            cp.expect_utf8(index, "Signature index", at)?;
            Attribute::Signature { index }
        }
        Known::SourceFile => {
            let index = r.u2()?;
            cp.expect_utf8(index, "SourceFile index", at)?;
            Attribute::SourceFile { index }
        }
        Known::LineNumberTable => {
            let n = r.count("LineNumberTable", 4)?;
            let mut v = Vec::with_capacity(usize::from(n));
            for _ in 0..n {
                let at = r.offset();
                let e = LineNumber { start_pc: r.u2()?, line_number: r.u2()? };
                pc_check("LineNumberTable start_pc", usize::from(e.start_pc), code_length, at)?;
                v.push(e);
            }
            Attribute::LineNumberTable(v)
        }
        Known::LocalVariableTable => {
            let n = r.count("LocalVariableTable", 10)?;
            let mut v = Vec::with_capacity(usize::from(n));
            for _ in 0..n {
                let at = r.offset();
                let start_pc = r.u2()?;
                let length = r.u2()?;
                let name = cp.expect_utf8(r.u2()?, "LocalVariableTable name_index", at)?;
                let descriptor = cp.expect_utf8(r.u2()?, "LocalVariableTable descriptor_index", at)?;
                let index = r.u2()?;
                pc_check("LocalVariableTable start_pc", usize::from(start_pc), code_length, at)?;
                let end = usize::from(start_pc) + usize::from(length);
                if end > code_length {
                    return Err(ClassFormatError::new(
                        ErrorKind::PcOutsideCode { what: "LocalVariableTable start_pc + length", pc: end, code_length },
                        at,
                    ));
                }
                if !is_unqualified_name(name) {
                    return Err(invalid_name(NameKind::Unqualified, name, at));
                }
                if parse_field_descriptor(descriptor).is_none() {
                    return Err(invalid_descriptor(DescriptorKind::Field, descriptor, at));
                }
                v.push(LocalVariable { start_pc, length, name, descriptor, index });
            }
            Attribute::LocalVariableTable(v)
        }
        Known::BootstrapMethods => {
            let n = r.count("BootstrapMethods", 4)?;
            let mut v = Vec::with_capacity(usize::from(n));
            for _ in 0..n {
                let at = r.offset();
                let method_ref = r.u2()?;
                match cp.entry(method_ref, "BootstrapMethods bootstrap_method_ref", at)? {
                    Constant::MethodHandle { .. } => {}
                    c => {
                        return Err(ClassFormatError::new(
                            ErrorKind::WrongConstantTag {
                                what: "BootstrapMethods bootstrap_method_ref",
                                index: method_ref,
                                expected: "CONSTANT_MethodHandle",
                                found: c.tag_name(),
                            },
                            at,
                        ))
                    }
                }
                let nargs = r.count("bootstrap arguments", 2)?;
                let mut arguments = Vec::with_capacity(usize::from(nargs));
                for _ in 0..nargs {
                    let at = r.offset();
                    let a = r.u2()?;
                    let c = cp.entry(a, "bootstrap argument", at)?;
                    if !c.is_loadable() {
                        return Err(ClassFormatError::new(
                            ErrorKind::WrongConstantTag {
                                what: "bootstrap argument",
                                index: a,
                                expected: "a loadable constant",
                                found: c.tag_name(),
                            },
                            at,
                        ));
                    }
                    arguments.push(a);
                }
                v.push(BootstrapMethod { method_ref, arguments });
            }
            Attribute::BootstrapMethods(v)
        }
        Known::MethodParameters => {
            let n = r.u1()?;
            r.check_count("MethodParameters", usize::from(n), 4, at)?;
            let mut v = Vec::with_capacity(usize::from(n));
            for _ in 0..n {
                let at = r.offset();
                let p = MethodParameter { name_index: r.u2()?, access_flags: r.u2()? };
                if p.name_index != 0 {
                    let name = cp.expect_utf8(p.name_index, "MethodParameters name_index", at)?;
                    if !is_unqualified_name(name) {
                        return Err(invalid_name(NameKind::Unqualified, name, at));
                    }
                }
                v.push(p);
            }
            Attribute::MethodParameters(v)
        }
        Known::NestHost => {
            let class_index = r.u2()?;
            cp.expect_class(class_index, "NestHost host_class_index", at)?;
            Attribute::NestHost { class_index }
        }
        Known::NestMembers => Attribute::NestMembers(class_list(r, cx, "NestMembers")?),
        Known::PermittedSubclasses => Attribute::PermittedSubclasses(class_list(r, cx, "PermittedSubclasses")?),
        Known::Record => {
            let n = r.count("Record components", 6)?;
            let mut v = Vec::with_capacity(usize::from(n));
            for _ in 0..n {
                let at = r.offset();
                let name = cp.expect_utf8(r.u2()?, "Record name_index", at)?;
                let descriptor = cp.expect_utf8(r.u2()?, "Record descriptor_index", at)?;
                if !is_unqualified_name(name) {
                    return Err(invalid_name(NameKind::Field, name, at));
                }
                if parse_field_descriptor(descriptor).is_none() {
                    return Err(invalid_descriptor(DescriptorKind::Field, descriptor, at));
                }
                let attributes = parse_attributes(r, cx, Location::RecordComponent)?;
                v.push(RecordComponent { name, descriptor, attributes });
            }
            Attribute::Record(v)
        }
    })
}

/// Parse the body of a Code attribute (JVMS 4.7.3).
fn parse_code<'a>(r: &mut Reader<'a>, cx: &Ctx<'_, 'a>) -> Result<Code<'a>> {
    // Class files 45.0 to 45.2 (pre-JDK 1.0.2) use narrower Code fields.
    let old = cx.major == 45 && cx.minor < 3;
    let (max_stack, max_locals) = if old { (u16::from(r.u1()?), u16::from(r.u1()?)) } else { (r.u2()?, r.u2()?) };
    let at = r.offset();
    let len = if old { u32::from(r.u2()?) } else { r.u4()? };
    if len == 0 || len > 65535 {
        return Err(ClassFormatError::new(ErrorKind::BadCodeLength(len), at));
    }
    let code = r.bytes(len as usize)?;
    let code_length = code.len();
    let n = r.count("exception table", 8)?;
    let mut exception_table = Vec::with_capacity(usize::from(n));
    for _ in 0..n {
        let at = r.offset();
        let h = ExceptionHandler { start_pc: r.u2()?, end_pc: r.u2()?, handler_pc: r.u2()?, catch_type: r.u2()? };
        if h.start_pc >= h.end_pc || usize::from(h.end_pc) > code_length || usize::from(h.handler_pc) >= code_length {
            return Err(ClassFormatError::new(
                ErrorKind::ExceptionRangeOutsideCode {
                    start_pc: h.start_pc,
                    end_pc: h.end_pc,
                    handler_pc: h.handler_pc,
                    code_length,
                },
                at,
            ));
        }
        cx.cp.expect_optional_class(h.catch_type, "exception table catch_type", at)?;
        exception_table.push(h);
    }
    let attributes = parse_attributes(r, cx, Location::Code(code_length))?;
    Ok(Code { max_stack, max_locals, code, exception_table, attributes })
}
