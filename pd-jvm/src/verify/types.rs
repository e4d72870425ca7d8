//! Verification types (JVMS 4.10.1.2) and their assignability.
//!
//! Reference types are an element (class name or primitive) plus an array
//! depth, borrowing class names from the class file, so deriving `[[I` from
//! `[I` (anewarray) or `String` from `[String` (aaload) never allocates.

use core::fmt;

use crate::classfile::descriptor::{parse_field_descriptor, BaseType, ElementType, FieldType};
use crate::classfile::mutf8::decode_lossy;

use super::env::{ClassEnv, EnvError, OBJECT};

pub(crate) const CLONEABLE: &[u8] = b"java/lang/Cloneable";
pub(crate) const SERIALIZABLE: &[u8] = b"java/io/Serializable";

/// A reference type: a class (`dims == 0`, element is a class) or an array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefType<'a> {
    dims: u8,
    elem: ElementType<'a>,
}

impl<'a> RefType<'a> {
    /// A class or interface type (the name must not be an array descriptor).
    pub fn class(name: &'a [u8]) -> Self {
        RefType { dims: 0, elem: ElementType::Object(name) }
    }

    /// A one-dimensional primitive array.
    pub fn primitive_array(base: BaseType) -> Self {
        RefType { dims: 1, elem: ElementType::Base(base) }
    }

    /// The type a CONSTANT_Class name denotes (class name or array descriptor).
    pub fn from_class_entry(name: &'a [u8]) -> Option<Self> {
        if name.first() == Some(&b'[') {
            match parse_field_descriptor(name)? {
                FieldType::Array { dimensions, element } => Some(RefType { dims: dimensions, elem: element }),
                _ => None,
            }
        } else {
            Some(RefType::class(name))
        }
    }

    /// Array depth; 0 for classes.
    pub fn dims(&self) -> u8 {
        self.dims
    }

    pub fn is_array(&self) -> bool {
        self.dims > 0
    }

    /// The class name, if this is a class (not array) type.
    pub fn class_name(&self) -> Option<&'a [u8]> {
        match (self.dims, self.elem) {
            (0, ElementType::Object(n)) => Some(n),
            _ => None,
        }
    }

    /// The primitive element type of a one-dimensional primitive array.
    pub fn primitive_element(&self) -> Option<BaseType> {
        match (self.dims, self.elem) {
            (1, ElementType::Base(b)) => Some(b),
            _ => None,
        }
    }

    /// The array type with this component type; `None` past 255 dimensions.
    pub fn array_of(&self) -> Option<Self> {
        Some(RefType { dims: self.dims.checked_add(1)?, elem: self.elem })
    }

    /// The component type of an array type.
    pub fn component(&self) -> Option<VType<'a>> {
        match (self.dims, self.elem) {
            (0, _) => None,
            (1, ElementType::Base(b)) => Some(VType::from_base(b)),
            (d, elem) => Some(VType::Ref(RefType { dims: d - 1, elem })),
        }
    }

    /// The component of an array, with primitive components kept exact
    /// (`byte` and `int` differ here, unlike on the operand stack).
    fn exact_component(&self) -> Option<Result<RefType<'a>, BaseType>> {
        match (self.dims, self.elem) {
            (0, _) => None,
            (1, ElementType::Base(b)) => Some(Err(b)),
            (d, elem) => Some(Ok(RefType { dims: d - 1, elem })),
        }
    }
}

/// A verification type. `Long` and `Double` take two local-variable slots
/// (the second is `Top`) but one operand-stack entry of size 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VType<'a> {
    Top,
    Int,
    Float,
    Long,
    Double,
    Null,
    /// `this` in a constructor before `super()`/`this()` returns.
    UninitThis,
    /// An object created by the `new` at this offset, not yet initialized.
    Uninit(u16),
    Ref(RefType<'a>),
}

impl<'a> VType<'a> {
    /// The type a value of primitive type `b` has on the stack or in a local.
    pub fn from_base(b: BaseType) -> Self {
        match b {
            BaseType::Boolean | BaseType::Byte | BaseType::Char | BaseType::Short | BaseType::Int => VType::Int,
            BaseType::Float => VType::Float,
            BaseType::Long => VType::Long,
            BaseType::Double => VType::Double,
        }
    }

    /// The type of a value of a descriptor type.
    pub fn from_field(t: FieldType<'a>) -> Self {
        match t {
            FieldType::Base(b) => VType::from_base(b),
            FieldType::Object(n) => VType::Ref(RefType::class(n)),
            FieldType::Array { dimensions, element } => VType::Ref(RefType { dims: dimensions, elem: element }),
        }
    }

    pub fn class(name: &'a [u8]) -> Self {
        VType::Ref(RefType::class(name))
    }

    /// Operand-stack slots / local variables the value occupies.
    pub fn size(&self) -> usize {
        match self {
            VType::Long | VType::Double => 2,
            _ => 1,
        }
    }

    /// Any reference, including null and uninitialized objects.
    pub fn is_reference(&self) -> bool {
        matches!(self, VType::Null | VType::UninitThis | VType::Uninit(_) | VType::Ref(_))
    }
}

fn base_name(b: BaseType) -> &'static str {
    match b {
        BaseType::Boolean => "boolean",
        BaseType::Byte => "byte",
        BaseType::Char => "char",
        BaseType::Short => "short",
        BaseType::Int => "int",
        BaseType::Long => "long",
        BaseType::Float => "float",
        BaseType::Double => "double",
    }
}

impl fmt::Display for RefType<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.elem {
            ElementType::Base(b) => f.write_str(base_name(b))?,
            ElementType::Object(n) => f.write_str(&decode_lossy(n))?,
        }
        for _ in 0..self.dims {
            f.write_str("[]")?;
        }
        Ok(())
    }
}

impl fmt::Display for VType<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VType::Top => f.write_str("top (unusable)"),
            VType::Int => f.write_str("int"),
            VType::Float => f.write_str("float"),
            VType::Long => f.write_str("long"),
            VType::Double => f.write_str("double"),
            VType::Null => f.write_str("null"),
            VType::UninitThis => f.write_str("uninitializedThis"),
            VType::Uninit(pc) => write!(f, "uninitialized object from new at {pc}"),
            VType::Ref(r) => write!(f, "{r}"),
        }
    }
}

/// isAssignable (JVMS 4.10.1.2): can a value of type `from` be used where
/// `to` is expected?
pub fn is_assignable(from: VType<'_>, to: VType<'_>, env: &dyn ClassEnv) -> Result<bool, EnvError> {
    Ok(match (from, to) {
        _ if from == to => true,
        (_, VType::Top) => true,
        (VType::Null, VType::Ref(_)) => true,
        (VType::Ref(f), VType::Ref(t)) => ref_assignable(f, t, env)?,
        _ => false,
    })
}

/// Reference assignability: subclassing through `env`, interfaces treated
/// like Object, arrays covariant in reference components and assignable to
/// Object, Cloneable and Serializable only.
pub fn ref_assignable(from: RefType<'_>, to: RefType<'_>, env: &dyn ClassEnv) -> Result<bool, EnvError> {
    let (mut from, mut to) = (from, to);
    loop {
        if from == to {
            return Ok(true);
        }
        if let Some(t) = to.class_name() {
            if t == OBJECT {
                return Ok(true);
            }
            return match from.class_name() {
                Some(f) => env.is_assignable(f, t),
                None => Ok(t == CLONEABLE || t == SERIALIZABLE),
            };
        }
        match (from.exact_component(), to.exact_component()) {
            (Some(Ok(f)), Some(Ok(t))) => (from, to) = (f, t),
            _ => return Ok(false),
        }
    }
}
