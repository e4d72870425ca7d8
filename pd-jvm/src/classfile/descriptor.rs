//! Names (JVMS 4.2) and descriptors (JVMS 4.3): syntax checks and a small
//! borrowed structured form for field and method descriptors.

use alloc::vec::Vec;

/// A primitive type letter of a descriptor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseType {
    Byte,
    Char,
    Double,
    Float,
    Int,
    Long,
    Short,
    Boolean,
}

impl BaseType {
    fn from_byte(b: u8) -> Option<BaseType> {
        Some(match b {
            b'B' => BaseType::Byte,
            b'C' => BaseType::Char,
            b'D' => BaseType::Double,
            b'F' => BaseType::Float,
            b'I' => BaseType::Int,
            b'J' => BaseType::Long,
            b'S' => BaseType::Short,
            b'Z' => BaseType::Boolean,
            _ => return None,
        })
    }
}

/// The element type of an array descriptor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElementType<'a> {
    Base(BaseType),
    /// Class name in internal form, e.g. `java/lang/String`.
    Object(&'a [u8]),
}

/// A parsed field descriptor (JVMS 4.3.2), borrowing class names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType<'a> {
    Base(BaseType),
    /// Class name in internal form, e.g. `java/lang/String`.
    Object(&'a [u8]),
    /// `dimensions` is 1..=255.
    Array {
        dimensions: u8,
        element: ElementType<'a>,
    },
}

impl FieldType<'_> {
    /// Local-variable / operand-stack slots taken by a value of this type.
    pub fn slots(&self) -> usize {
        match self {
            FieldType::Base(BaseType::Long | BaseType::Double) => 2,
            _ => 1,
        }
    }
}

/// A parsed method descriptor (JVMS 4.3.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodDescriptor<'a> {
    pub parameters: Vec<FieldType<'a>>,
    /// `None` for `V` (void).
    pub return_type: Option<FieldType<'a>>,
}

impl MethodDescriptor<'_> {
    /// Parameter slots, not counting `this`.
    pub fn parameter_slots(&self) -> usize {
        self.parameters.iter().map(FieldType::slots).sum()
    }
}

/// An unqualified name (JVMS 4.2.2): non-empty, none of `. ; [ /`.
pub fn is_unqualified_name(name: &[u8]) -> bool {
    !name.is_empty() && !name.iter().any(|b| matches!(b, b'.' | b';' | b'[' | b'/'))
}

/// A method name: an unqualified name without `<` or `>`, or exactly
/// `<init>` / `<clinit>`.
pub fn is_method_name(name: &[u8]) -> bool {
    name == b"<init>"
        || name == b"<clinit>"
        || (is_unqualified_name(name) && !name.iter().any(|b| matches!(b, b'<' | b'>')))
}

/// A binary class or interface name in internal form (JVMS 4.2.1):
/// `/`-separated unqualified names.
pub fn is_binary_class_name(name: &[u8]) -> bool {
    !name.is_empty() && name.split(|&b| b == b'/').all(is_unqualified_name)
}

/// The name in a CONSTANT_Class entry: a binary class name, or an array
/// type descriptor (JVMS 4.4.1).
pub fn is_class_entry_name(name: &[u8]) -> bool {
    if name.first() == Some(&b'[') {
        matches!(parse_field_descriptor(name), Some(FieldType::Array { .. }))
    } else {
        is_binary_class_name(name)
    }
}

/// Parse one field type starting at `*i`, advancing `*i`.
fn field_type_at<'a>(d: &'a [u8], i: &mut usize) -> Option<FieldType<'a>> {
    let mut dims = 0usize;
    while d.get(*i) == Some(&b'[') {
        dims += 1;
        *i += 1;
    }
    let first = *d.get(*i)?;
    let element = if first == b'L' {
        let start = *i + 1;
        let len = d.get(start..)?.iter().position(|&b| b == b';')?;
        let name = d.get(start..start + len)?;
        if !is_binary_class_name(name) {
            return None;
        }
        *i = start + len + 1;
        ElementType::Object(name)
    } else {
        *i += 1;
        ElementType::Base(BaseType::from_byte(first)?)
    };
    if dims == 0 {
        Some(match element {
            ElementType::Base(b) => FieldType::Base(b),
            ElementType::Object(n) => FieldType::Object(n),
        })
    } else {
        let dimensions = u8::try_from(dims).ok()?;
        Some(FieldType::Array { dimensions, element })
    }
}

/// Parse a field descriptor; `None` if it is not exactly one valid field type.
pub fn parse_field_descriptor(d: &[u8]) -> Option<FieldType<'_>> {
    let mut i = 0;
    let t = field_type_at(d, &mut i)?;
    (i == d.len()).then_some(t)
}

/// Parse a method descriptor; `None` if malformed.
pub fn parse_method_descriptor(d: &[u8]) -> Option<MethodDescriptor<'_>> {
    if d.first() != Some(&b'(') {
        return None;
    }
    let mut i = 1;
    let mut parameters = Vec::new();
    while d.get(i) != Some(&b')') {
        parameters.push(field_type_at(d, &mut i)?);
    }
    i += 1;
    let return_type = if d.get(i) == Some(&b'V') {
        i += 1;
        None
    } else {
        Some(field_type_at(d, &mut i)?)
    };
    (i == d.len()).then_some(MethodDescriptor { parameters, return_type })
}
