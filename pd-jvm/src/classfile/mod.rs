//! Class-file parser (JVMS 17 chapter 4) for class files of versions 45
//! through 65 (Java 1.1 to 21).
//!
//! [`parse`] borrows from the input bytes: names, descriptors, code and
//! unknown attributes are slices of the original buffer, so a parsed class
//! costs little more than its tables. Parsing includes the format checks of
//! JVMS 4.8 that need no other class (constant-pool references and tags,
//! names and descriptors, access flags, attribute lengths, code ranges); it
//! never panics, and every failure is a [`ClassFormatError`] that says what
//! went wrong and where.

pub mod attributes;
pub mod constant_pool;
pub mod descriptor;
pub mod error;
pub mod flags;
pub mod mutf8;
mod reader;
pub mod stack_map;

use alloc::format;
use alloc::vec::Vec;

pub use attributes::{
    Attribute, BootstrapMethod, Code, ExceptionHandler, InnerClass, LineNumber, LocalVariable, MethodParameter,
    RecordComponent,
};
pub use constant_pool::{Constant, ConstantPool};
pub use error::{ClassFormatError, DescriptorKind, ErrorKind, NameKind};
pub use stack_map::{StackMapFrame, VerificationType};

use attributes::{parse_attributes, Ctx, Location};
use constant_pool::{invalid_descriptor, invalid_name};
use descriptor::{
    is_method_name, is_unqualified_name, parse_field_descriptor, parse_method_descriptor, BaseType, FieldType,
};
use error::Result;
use flags::*;
use reader::Reader;

/// Lowest supported major version (Java 1.1).
pub const MIN_MAJOR_VERSION: u16 = 45;
/// Highest supported major version (Java 21).
pub const MAX_MAJOR_VERSION: u16 = 65;

/// A field (JVMS 4.5).
#[derive(Debug, Clone, PartialEq)]
pub struct Field<'a> {
    pub access_flags: u16,
    pub name_index: u16,
    pub descriptor_index: u16,
    /// Modified UTF-8, validated as an unqualified name.
    pub name: &'a [u8],
    /// Modified UTF-8, validated as a field descriptor.
    pub descriptor: &'a [u8],
    pub attributes: Vec<Attribute<'a>>,
}

impl Field<'_> {
    /// The ConstantValue index, if the field has one.
    pub fn constant_value(&self) -> Option<u16> {
        self.attributes.iter().find_map(|a| match a {
            Attribute::ConstantValue { index } => Some(*index),
            _ => None,
        })
    }
}

/// A method (JVMS 4.6).
#[derive(Debug, Clone, PartialEq)]
pub struct Method<'a> {
    pub access_flags: u16,
    pub name_index: u16,
    pub descriptor_index: u16,
    /// Modified UTF-8, validated as a method name.
    pub name: &'a [u8],
    /// Modified UTF-8, validated as a method descriptor.
    pub descriptor: &'a [u8],
    pub attributes: Vec<Attribute<'a>>,
}

impl<'a> Method<'a> {
    /// The Code attribute; present iff the method is neither abstract nor native.
    pub fn code(&self) -> Option<&Code<'a>> {
        self.attributes.iter().find_map(|a| match a {
            Attribute::Code(c) => Some(c),
            _ => None,
        })
    }

    /// Declared checked exceptions (CONSTANT_Class indices).
    pub fn exceptions(&self) -> &[u16] {
        self.attributes
            .iter()
            .find_map(|a| match a {
                Attribute::Exceptions(e) => Some(e.as_slice()),
                _ => None,
            })
            .unwrap_or(&[])
    }
}

/// A parsed and format-checked class file.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassFile<'a> {
    pub minor_version: u16,
    pub major_version: u16,
    pub constant_pool: ConstantPool<'a>,
    pub access_flags: u16,
    pub this_class: u16,
    /// 0 only for `java/lang/Object` and `module-info`.
    pub super_class: u16,
    /// CONSTANT_Class indices.
    pub interfaces: Vec<u16>,
    pub fields: Vec<Field<'a>>,
    pub methods: Vec<Method<'a>>,
    pub attributes: Vec<Attribute<'a>>,
}

impl<'a> ClassFile<'a> {
    /// This class's name in internal form (e.g. `java/lang/String`).
    pub fn name(&self) -> &'a [u8] {
        self.constant_pool.class_name(self.this_class).unwrap_or(b"")
    }

    /// The superclass name; `None` for `java/lang/Object` and `module-info`.
    pub fn super_name(&self) -> Option<&'a [u8]> {
        self.constant_pool.class_name(self.super_class)
    }

    /// Names of the direct superinterfaces.
    pub fn interface_names(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        self.interfaces.iter().filter_map(|&i| self.constant_pool.class_name(i))
    }

    /// The BootstrapMethods table (empty if absent).
    pub fn bootstrap_methods(&self) -> &[BootstrapMethod] {
        self.attributes
            .iter()
            .find_map(|a| match a {
                Attribute::BootstrapMethods(b) => Some(b.as_slice()),
                _ => None,
            })
            .unwrap_or(&[])
    }

    /// Record components, if this is a record.
    pub fn record_components(&self) -> Option<&[RecordComponent<'a>]> {
        self.attributes.iter().find_map(|a| match a {
            Attribute::Record(r) => Some(r.as_slice()),
            _ => None,
        })
    }

    /// Find a method by name and descriptor (both modified UTF-8).
    pub fn method(&self, name: &[u8], descriptor: &[u8]) -> Option<&Method<'a>> {
        self.methods.iter().find(|m| m.name == name && m.descriptor == descriptor)
    }

    /// Find a field by name.
    pub fn field(&self, name: &[u8]) -> Option<&Field<'a>> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// True if ACC_INTERFACE is set.
    pub fn is_interface(&self) -> bool {
        self.access_flags & ACC_INTERFACE != 0
    }
}

/// Parse and format-check a class file. Never panics.
pub fn parse(bytes: &[u8]) -> core::result::Result<ClassFile<'_>, ClassFormatError> {
    let mut class_name: Option<&[u8]> = None;
    parse_class(bytes, &mut class_name).map_err(|e| match class_name {
        Some(n) => e.with_class(n),
        None => e,
    })
}

fn err(kind: ErrorKind, at: usize) -> ClassFormatError {
    ClassFormatError::new(kind, at)
}

fn parse_class<'a>(bytes: &'a [u8], class_name: &mut Option<&'a [u8]>) -> Result<ClassFile<'a>> {
    let mut r = Reader::new(bytes);
    let magic = r.u4()?;
    if magic != 0xCAFE_BABE {
        return Err(err(ErrorKind::BadMagic(magic), 0));
    }
    let minor_version = r.u2()?;
    let major_version = r.u2()?;
    let major = major_version;
    // Preview class files (minor 65535) are not supported.
    if !(MIN_MAJOR_VERSION..=MAX_MAJOR_VERSION).contains(&major) || (major >= 56 && minor_version != 0) {
        return Err(err(ErrorKind::UnsupportedVersion { major, minor: minor_version }, 4));
    }
    let cp = constant_pool::ConstantPool::parse(&mut r, major)?;

    let flags_at = r.offset();
    let access_flags = r.u2()?;
    let this_at = r.offset();
    let this_class = r.u2()?;
    *class_name = cp.class_name(this_class);
    let super_at = r.offset();
    let super_class = r.u2()?;

    cp.check(major)?;

    let this_name = cp.expect_class(this_class, "this_class", this_at)?;
    if this_name.first() == Some(&b'[') {
        return Err(invalid_name(NameKind::Class, this_name, this_at));
    }
    let is_module = major >= V53 && access_flags & ACC_MODULE != 0;
    let is_interface = access_flags & ACC_INTERFACE != 0;
    if is_module {
        if access_flags != ACC_MODULE {
            return Err(err(
                ErrorKind::IllegalFlags { what: "class", flags: access_flags, reason: "ACC_MODULE with other flags" },
                flags_at,
            ));
        }
        if this_name != b"module-info" {
            return Err(invalid_name(NameKind::Class, this_name, this_at));
        }
    } else if let Err(reason) = flags::check_class(access_flags, major) {
        return Err(err(ErrorKind::IllegalFlags { what: "class", flags: access_flags, reason }, flags_at));
    }
    // Module and Package constants only belong in module-info (JVMS 4.4.11).
    if !is_module {
        if let Some((i, _)) = cp.iter().find(|(_, c)| matches!(c, Constant::Module { .. } | Constant::Package { .. })) {
            return Err(err(
                ErrorKind::Malformed { reason: "CONSTANT_Module/CONSTANT_Package outside a module-info class" },
                cp.offset_of(i),
            ));
        }
    }

    // super_class (JVMS 4.1).
    let super_name = cp.expect_optional_class(super_class, "super_class", super_at)?;
    let is_object = this_name == b"java/lang/Object";
    match super_name {
        None if !is_object && !is_module => {
            return Err(err(
                ErrorKind::BadSuperClass { reason: "super_class is 0 but this is not java/lang/Object" },
                super_at,
            ))
        }
        Some(_) if is_object || is_module => {
            return Err(err(
                ErrorKind::BadSuperClass { reason: "java/lang/Object and module-info must have super_class 0" },
                super_at,
            ))
        }
        Some(n) if n.first() == Some(&b'[') => {
            return Err(err(ErrorKind::BadSuperClass { reason: "superclass is an array type" }, super_at))
        }
        Some(n) if is_interface && n != b"java/lang/Object" => {
            return Err(err(
                ErrorKind::BadSuperClass { reason: "an interface's superclass must be java/lang/Object" },
                super_at,
            ))
        }
        _ => {}
    }

    // Interfaces.
    let icount_at = r.offset();
    let icount = r.count("interfaces", 2)?;
    let mut interfaces = Vec::with_capacity(usize::from(icount));
    let mut inames = Vec::with_capacity(usize::from(icount));
    for _ in 0..icount {
        let at = r.offset();
        let i = r.u2()?;
        let n = cp.expect_class(i, "interfaces", at)?;
        if n.first() == Some(&b'[') {
            return Err(invalid_name(NameKind::Class, n, at));
        }
        interfaces.push(i);
        inames.push(n);
    }
    inames.sort_unstable();
    if inames.windows(2).any(|w| w[0] == w[1]) {
        return Err(err(ErrorKind::Malformed { reason: "duplicate interface" }, icount_at));
    }

    let cx = Ctx { cp: &cp, major, minor: minor_version };

    // Fields.
    let fcount_at = r.offset();
    let fcount = r.count("fields", 8)?;
    let mut fields = Vec::with_capacity(usize::from(fcount));
    for _ in 0..fcount {
        fields.push(parse_field(&mut r, &cx, is_interface)?);
    }
    let mut keys: Vec<(&[u8], &[u8])> = fields.iter().map(|f| (f.name, f.descriptor)).collect();
    keys.sort_unstable();
    if keys.windows(2).any(|w| w[0] == w[1]) {
        return Err(err(ErrorKind::Malformed { reason: "duplicate field name and descriptor" }, fcount_at));
    }

    // Methods.
    let mcount_at = r.offset();
    let mcount = r.count("methods", 8)?;
    let mut methods = Vec::with_capacity(usize::from(mcount));
    for _ in 0..mcount {
        methods.push(parse_method(&mut r, &cx, is_interface)?);
    }
    let mut keys: Vec<(&[u8], &[u8])> = methods.iter().map(|m| (m.name, m.descriptor)).collect();
    keys.sort_unstable();
    if keys.windows(2).any(|w| w[0] == w[1]) {
        return Err(err(ErrorKind::Malformed { reason: "duplicate method name and descriptor" }, mcount_at));
    }

    if is_module && (icount != 0 || fcount != 0 || mcount != 0) {
        return Err(err(
            ErrorKind::Malformed { reason: "module-info declares interfaces, fields or methods" },
            icount_at,
        ));
    }

    let attrs_at = r.offset();
    let attributes = parse_attributes(&mut r, &cx, Location::Class)?;
    if is_module && !attributes.iter().any(|a| matches!(a, Attribute::Unknown { name: b"Module", .. })) {
        return Err(err(ErrorKind::Malformed { reason: "module-info has no Module attribute" }, attrs_at));
    }
    if r.remaining() != 0 {
        return Err(err(ErrorKind::TrailingBytes { count: r.remaining() }, r.offset()));
    }

    let class = ClassFile {
        minor_version,
        major_version,
        constant_pool: cp,
        access_flags,
        this_class,
        super_class,
        interfaces,
        fields,
        methods,
        attributes,
    };
    check_bootstrap_indices(&class)?;
    Ok(class)
}

/// Every Dynamic/InvokeDynamic must name an entry of BootstrapMethods (JVMS 4.7.23).
fn check_bootstrap_indices(class: &ClassFile<'_>) -> Result<()> {
    let has_table = class.attributes.iter().any(|a| matches!(a, Attribute::BootstrapMethods(_)));
    let count = class.bootstrap_methods().len();
    for (index, c) in class.constant_pool.iter() {
        if let Constant::Dynamic { bootstrap_method_attr_index: b, .. }
        | Constant::InvokeDynamic { bootstrap_method_attr_index: b, .. } = *c
        {
            let at = class.constant_pool.offset_of(index);
            if !has_table {
                return Err(err(ErrorKind::MissingBootstrapMethods, at));
            }
            if usize::from(b) >= count {
                return Err(err(ErrorKind::BadBootstrapIndex { index, bootstrap: b, count }, at));
            }
        }
    }
    Ok(())
}

fn member_label(name: &[u8], descriptor: &[u8], is_field: bool) -> alloc::string::String {
    let n = mutf8::decode_lossy(name);
    let d = mutf8::decode_lossy(descriptor);
    if is_field {
        format!("{n}:{d}")
    } else {
        format!("{n}{d}")
    }
}

fn parse_field<'a>(r: &mut Reader<'a>, cx: &Ctx<'_, 'a>, in_interface: bool) -> Result<Field<'a>> {
    let at = r.offset();
    let access_flags = r.u2()?;
    let name_index = r.u2()?;
    let descriptor_index = r.u2()?;
    let name = cx.cp.expect_utf8(name_index, "field name_index", at + 2)?;
    let descriptor = cx.cp.expect_utf8(descriptor_index, "field descriptor_index", at + 4)?;
    let mut body = || -> Result<Field<'a>> {
        if !is_unqualified_name(name) {
            return Err(invalid_name(NameKind::Field, name, at + 2));
        }
        let Some(ty) = parse_field_descriptor(descriptor) else {
            return Err(invalid_descriptor(DescriptorKind::Field, descriptor, at + 4));
        };
        if let Err(reason) = flags::check_field(access_flags, in_interface, cx.major) {
            return Err(err(ErrorKind::IllegalFlags { what: "field", flags: access_flags, reason }, at));
        }
        let attrs_at = r.offset();
        let attributes = parse_attributes(r, cx, Location::Field)?;
        let field = Field { access_flags, name_index, descriptor_index, name, descriptor, attributes };
        // The constant must match the field type; only static fields use it (JVMS 4.7.2).
        if let (Some(index), true) = (field.constant_value(), access_flags & ACC_STATIC != 0) {
            let ok = matches!(
                (ty, cx.cp.get(index)),
                (FieldType::Base(BaseType::Long), Some(Constant::Long(_)))
                    | (FieldType::Base(BaseType::Float), Some(Constant::Float(_)))
                    | (FieldType::Base(BaseType::Double), Some(Constant::Double(_)))
                    | (
                        FieldType::Base(
                            BaseType::Int | BaseType::Short | BaseType::Char | BaseType::Byte | BaseType::Boolean,
                        ),
                        Some(Constant::Integer(_)),
                    )
                    | (FieldType::Object(b"java/lang/String"), Some(Constant::String { .. }))
            );
            if !ok {
                return Err(err(
                    ErrorKind::BadConstantValue { index, descriptor: mutf8::decode_lossy(descriptor) },
                    attrs_at,
                ));
            }
        }
        Ok(field)
    };
    body().map_err(|e| e.with_member(member_label(name, descriptor, true)))
}

fn parse_method<'a>(r: &mut Reader<'a>, cx: &Ctx<'_, 'a>, in_interface: bool) -> Result<Method<'a>> {
    let at = r.offset();
    let access_flags = r.u2()?;
    let name_index = r.u2()?;
    let descriptor_index = r.u2()?;
    let name = cx.cp.expect_utf8(name_index, "method name_index", at + 2)?;
    let descriptor = cx.cp.expect_utf8(descriptor_index, "method descriptor_index", at + 4)?;
    let mut body = || -> Result<Method<'a>> {
        if !is_method_name(name) {
            return Err(invalid_name(NameKind::Method, name, at + 2));
        }
        let Some(md) = parse_method_descriptor(descriptor) else {
            return Err(invalid_descriptor(DescriptorKind::Method, descriptor, at + 4));
        };
        let is_static = access_flags & ACC_STATIC != 0;
        let slots = md.parameter_slots() + usize::from(!is_static);
        if slots > 255 {
            return Err(err(ErrorKind::TooManyParameterSlots { slots }, at + 4));
        }
        let is_init = name == b"<init>";
        let is_clinit = name == b"<clinit>";
        if (is_init || is_clinit) && md.return_type.is_some() {
            return Err(invalid_descriptor(DescriptorKind::Method, descriptor, at + 4));
        }
        let illegal = |reason| err(ErrorKind::IllegalFlags { what: "method", flags: access_flags, reason }, at);
        let mut effective = access_flags;
        if is_clinit {
            // Flags other than ACC_STATIC are ignored; from 51 it must be static.
            if cx.major >= V51 && !is_static {
                return Err(illegal("<clinit> is not static"));
            }
            effective = ACC_STATIC;
        } else {
            if is_init && in_interface {
                return Err(illegal("interface declares <init>"));
            }
            flags::check_method(access_flags, is_init, in_interface, cx.major).map_err(illegal)?;
        }
        let attributes = parse_attributes(r, cx, Location::Method)?;
        let code = attributes.iter().find_map(|a| match a {
            Attribute::Code(c) => Some(c),
            _ => None,
        });
        let has_code = code.is_some();
        let needs_code = effective & (ACC_ABSTRACT | ACC_NATIVE) == 0;
        if has_code != needs_code {
            return Err(err(
                ErrorKind::CodeAttribute {
                    reason: if needs_code {
                        "missing Code attribute in a method that is not abstract or native"
                    } else {
                        "Code attribute in an abstract or native method"
                    },
                },
                at,
            ));
        }
        if code.is_some_and(|c| usize::from(c.max_locals) < slots) {
            return Err(err(ErrorKind::Malformed { reason: "arguments do not fit in max_locals" }, at));
        }
        Ok(Method { access_flags, name_index, descriptor_index, name, descriptor, attributes })
    };
    body().map_err(|e| e.with_member(member_label(name, descriptor, false)))
}
