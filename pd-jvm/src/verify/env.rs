//! The class hierarchy the verifier consults ([`ClassEnv`]), implemented by
//! the VM's class loader, and [`ClassSet`], an implementation over parsed
//! class files plus a built-in minimal `java.lang` hierarchy.
//!
//! Class names are in internal form (`java/lang/String`) and are the
//! modified UTF-8 bytes of the class file, so no decoding is needed and
//! names that differ only in ways lossy decoding would hide stay distinct.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::classfile::flags::{ACC_ABSTRACT, ACC_FINAL, ACC_INTERFACE, ACC_PROTECTED, ACC_PUBLIC, ACC_SUPER};
use crate::classfile::mutf8::decode_lossy;
use crate::classfile::ClassFile;

pub(crate) const OBJECT: &[u8] = b"java/lang/Object";

/// Why the environment could not answer. In the VM these become linkage
/// errors (e.g. `NoClassDefFoundError`), not `VerifyError`s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvError {
    /// No class of that name can be found.
    NotFound { class: String },
    /// The class exists but could not be loaded.
    Failed { class: String, reason: String },
}

impl EnvError {
    pub fn not_found(class: &[u8]) -> Self {
        EnvError::NotFound { class: decode_lossy(class) }
    }
}

impl fmt::Display for EnvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EnvError::NotFound { class } => write!(f, "class {class} not found"),
            EnvError::Failed { class, reason } => write!(f, "class {class} could not be loaded: {reason}"),
        }
    }
}

/// Upper bound on superclass-chain walks, so a circular hierarchy handed to
/// the verifier cannot make it loop forever.
pub(crate) const MAX_DEPTH: usize = 4096;

/// The package part of an internal class name (`java/lang` of `java/lang/String`).
pub fn package_of(class: &[u8]) -> &[u8] {
    match class.iter().rposition(|&b| b == b'/') {
        Some(i) => &class[..i],
        None => &[],
    }
}

/// What the verifier needs to know about classes other than the one being
/// verified. Only the first three methods are required; the others have
/// definitions in terms of them that an implementation may replace with
/// faster ones.
pub trait ClassEnv {
    /// The direct superclass of `class`; `None` for `java/lang/Object`.
    /// Interfaces report `java/lang/Object`, as their class files do.
    fn superclass(&self, class: &[u8]) -> Result<Option<&[u8]>, EnvError>;

    /// The class's access flags (`ACC_INTERFACE`, `ACC_FINAL`, ...).
    fn access_flags(&self, class: &[u8]) -> Result<u16, EnvError>;

    /// The access flags of the member `name`/`descriptor` if `class` itself
    /// declares it (fields and methods are told apart by the descriptor).
    fn declared_member(&self, class: &[u8], name: &[u8], descriptor: &[u8]) -> Result<Option<u16>, EnvError>;

    fn is_interface(&self, class: &[u8]) -> Result<bool, EnvError> {
        Ok(self.access_flags(class)? & ACC_INTERFACE != 0)
    }

    /// True if `sup` is `sub` or one of its superclasses (not interfaces).
    fn is_subclass(&self, sub: &[u8], sup: &[u8]) -> Result<bool, EnvError> {
        let mut c = sub;
        for _ in 0..MAX_DEPTH {
            if c == sup {
                return Ok(true);
            }
            match self.superclass(c)? {
                Some(s) => c = s,
                None => return Ok(false),
            }
        }
        Err(EnvError::Failed { class: decode_lossy(sub), reason: "class hierarchy is circular or too deep".into() })
    }

    /// Assignability of class (not array) types for the verifier (JVMS
    /// 4.10.1.2): a subclass to its superclasses, anything to
    /// `java/lang/Object`, and anything to an interface, because the
    /// verifier treats interface types like `Object`.
    fn is_assignable(&self, from: &[u8], to: &[u8]) -> Result<bool, EnvError> {
        if from == to || to == OBJECT || self.is_interface(to)? {
            return Ok(true);
        }
        self.is_subclass(from, to)
    }

    /// Same runtime package (JVMS 5.3): same package name and same
    /// defining loader. The default assumes a single loader.
    fn same_runtime_package(&self, a: &[u8], b: &[u8]) -> Result<bool, EnvError> {
        Ok(package_of(a) == package_of(b))
    }
}

/// Answers for the class being verified from its class file, so the VM need
/// not have registered it yet, and delegates everything else.
pub(crate) struct WithCurrent<'e, 'c, 'a> {
    pub env: &'e dyn ClassEnv,
    pub class: &'c ClassFile<'a>,
    pub name: &'a [u8],
}

impl<'e, 'c, 'a> WithCurrent<'e, 'c, 'a> {
    pub fn new(env: &'e dyn ClassEnv, class: &'c ClassFile<'a>) -> Self {
        WithCurrent { env, class, name: class.name() }
    }

    /// Default-rule assignability, walking chains through `self`.
    fn assignable_here(&self, from: &[u8], to: &[u8]) -> Result<bool, EnvError> {
        if from == to || to == OBJECT || self.is_interface(to)? {
            return Ok(true);
        }
        self.is_subclass(from, to)
    }
}

impl ClassEnv for WithCurrent<'_, '_, '_> {
    fn superclass(&self, class: &[u8]) -> Result<Option<&[u8]>, EnvError> {
        if class == self.name {
            Ok(self.class.super_name())
        } else {
            self.env.superclass(class)
        }
    }

    fn access_flags(&self, class: &[u8]) -> Result<u16, EnvError> {
        if class == self.name {
            Ok(self.class.access_flags)
        } else {
            self.env.access_flags(class)
        }
    }

    fn declared_member(&self, class: &[u8], name: &[u8], descriptor: &[u8]) -> Result<Option<u16>, EnvError> {
        if class != self.name {
            return self.env.declared_member(class, name, descriptor);
        }
        let c = self.class;
        Ok(if descriptor.first() == Some(&b'(') {
            c.method(name, descriptor).map(|m| m.access_flags)
        } else {
            c.fields.iter().find(|f| f.name == name && f.descriptor == descriptor).map(|f| f.access_flags)
        })
    }

    fn is_subclass(&self, sub: &[u8], sup: &[u8]) -> Result<bool, EnvError> {
        if sub == self.name || sup == self.name {
            let mut c = sub;
            for _ in 0..MAX_DEPTH {
                if c == sup {
                    return Ok(true);
                }
                match self.superclass(c)? {
                    Some(s) => c = s,
                    None => return Ok(false),
                }
            }
            Err(EnvError::Failed { class: decode_lossy(sub), reason: "class hierarchy is circular or too deep".into() })
        } else {
            self.env.is_subclass(sub, sup)
        }
    }

    fn is_assignable(&self, from: &[u8], to: &[u8]) -> Result<bool, EnvError> {
        if from == self.name || to == self.name {
            self.assignable_here(from, to)
        } else {
            self.env.is_assignable(from, to)
        }
    }

    fn same_runtime_package(&self, a: &[u8], b: &[u8]) -> Result<bool, EnvError> {
        self.env.same_runtime_package(a, b)
    }
}

/// What [`ClassSet`] keeps of each class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassInfo {
    pub superclass: Option<Vec<u8>>,
    pub access_flags: u16,
    /// (name, descriptor, access flags) of declared fields and methods.
    pub members: Vec<(Vec<u8>, Vec<u8>, u16)>,
}

/// A [`ClassEnv`] over a fixed set of classes, for tests and tools.
#[derive(Debug, Clone, Default)]
pub struct ClassSet {
    classes: BTreeMap<Vec<u8>, ClassInfo>,
}

const PUB: u16 = ACC_PUBLIC | ACC_SUPER;
const PUB_FINAL: u16 = ACC_PUBLIC | ACC_SUPER | ACC_FINAL;
const PUB_ABSTRACT: u16 = ACC_PUBLIC | ACC_SUPER | ACC_ABSTRACT;
const PUB_INTERFACE: u16 = ACC_PUBLIC | ACC_INTERFACE | ACC_ABSTRACT;

/// The built-in hierarchy: (name, superclass, flags).
const JAVA_LANG: &[(&str, &str, u16)] = &[
    ("java/lang/Object", "", PUB),
    ("java/io/Serializable", "java/lang/Object", PUB_INTERFACE),
    ("java/lang/Cloneable", "java/lang/Object", PUB_INTERFACE),
    ("java/lang/Comparable", "java/lang/Object", PUB_INTERFACE),
    ("java/lang/CharSequence", "java/lang/Object", PUB_INTERFACE),
    ("java/lang/Runnable", "java/lang/Object", PUB_INTERFACE),
    ("java/lang/AutoCloseable", "java/lang/Object", PUB_INTERFACE),
    ("java/lang/Iterable", "java/lang/Object", PUB_INTERFACE),
    ("java/lang/String", "java/lang/Object", PUB_FINAL),
    ("java/lang/Class", "java/lang/Object", PUB_FINAL),
    ("java/lang/Enum", "java/lang/Object", PUB_ABSTRACT),
    ("java/lang/Record", "java/lang/Object", PUB_ABSTRACT),
    ("java/lang/Number", "java/lang/Object", PUB_ABSTRACT),
    ("java/lang/Boolean", "java/lang/Object", PUB_FINAL),
    ("java/lang/Character", "java/lang/Object", PUB_FINAL),
    ("java/lang/Byte", "java/lang/Number", PUB_FINAL),
    ("java/lang/Short", "java/lang/Number", PUB_FINAL),
    ("java/lang/Integer", "java/lang/Number", PUB_FINAL),
    ("java/lang/Long", "java/lang/Number", PUB_FINAL),
    ("java/lang/Float", "java/lang/Number", PUB_FINAL),
    ("java/lang/Double", "java/lang/Number", PUB_FINAL),
    ("java/lang/Math", "java/lang/Object", PUB_FINAL),
    ("java/lang/System", "java/lang/Object", PUB_FINAL),
    ("java/lang/AbstractStringBuilder", "java/lang/Object", ACC_SUPER | ACC_ABSTRACT),
    ("java/lang/StringBuilder", "java/lang/AbstractStringBuilder", PUB_FINAL),
    ("java/lang/Throwable", "java/lang/Object", PUB),
    ("java/lang/Exception", "java/lang/Throwable", PUB),
    ("java/lang/Error", "java/lang/Throwable", PUB),
    ("java/lang/RuntimeException", "java/lang/Exception", PUB),
    ("java/lang/ArithmeticException", "java/lang/RuntimeException", PUB),
    ("java/lang/ArrayStoreException", "java/lang/RuntimeException", PUB),
    ("java/lang/ClassCastException", "java/lang/RuntimeException", PUB),
    ("java/lang/IllegalArgumentException", "java/lang/RuntimeException", PUB),
    ("java/lang/IllegalStateException", "java/lang/RuntimeException", PUB),
    ("java/lang/IndexOutOfBoundsException", "java/lang/RuntimeException", PUB),
    ("java/lang/ArrayIndexOutOfBoundsException", "java/lang/IndexOutOfBoundsException", PUB),
    ("java/lang/NegativeArraySizeException", "java/lang/RuntimeException", PUB),
    ("java/lang/NullPointerException", "java/lang/RuntimeException", PUB),
    ("java/lang/UnsupportedOperationException", "java/lang/RuntimeException", PUB),
    ("java/lang/InterruptedException", "java/lang/Exception", PUB),
    ("java/lang/CloneNotSupportedException", "java/lang/Exception", PUB),
    ("java/lang/ReflectiveOperationException", "java/lang/Exception", PUB),
    ("java/lang/ClassNotFoundException", "java/lang/ReflectiveOperationException", PUB),
    ("java/lang/LinkageError", "java/lang/Error", PUB),
    ("java/lang/IncompatibleClassChangeError", "java/lang/LinkageError", PUB),
    ("java/lang/NoSuchFieldError", "java/lang/IncompatibleClassChangeError", PUB),
    ("java/lang/NoSuchMethodError", "java/lang/IncompatibleClassChangeError", PUB),
    ("java/lang/VirtualMachineError", "java/lang/Error", ACC_PUBLIC | ACC_SUPER | ACC_ABSTRACT),
    ("java/lang/OutOfMemoryError", "java/lang/VirtualMachineError", PUB),
    ("java/lang/StackOverflowError", "java/lang/VirtualMachineError", PUB),
    ("java/lang/AssertionError", "java/lang/Error", PUB),
    ("java/lang/invoke/MethodHandle", "java/lang/Object", PUB_ABSTRACT),
    ("java/lang/invoke/MethodType", "java/lang/Object", PUB_FINAL),
    ("java/lang/invoke/MethodHandles", "java/lang/Object", PUB),
    ("java/lang/invoke/MethodHandles$Lookup", "java/lang/Object", PUB_FINAL),
    ("java/lang/invoke/CallSite", "java/lang/Object", PUB_ABSTRACT),
    ("java/lang/invoke/LambdaMetafactory", "java/lang/Object", PUB_FINAL),
    ("java/lang/invoke/StringConcatFactory", "java/lang/Object", PUB_FINAL),
    ("java/lang/runtime/ObjectMethods", "java/lang/Object", PUB),
];

/// Members of the built-in classes that matter to access checks.
const JAVA_LANG_MEMBERS: &[(&str, &str, &str, u16)] = &[
    ("java/lang/Object", "<init>", "()V", ACC_PUBLIC),
    ("java/lang/Object", "clone", "()Ljava/lang/Object;", ACC_PROTECTED),
    ("java/lang/Object", "finalize", "()V", ACC_PROTECTED),
    ("java/lang/Object", "getClass", "()Ljava/lang/Class;", ACC_PUBLIC | ACC_FINAL),
    ("java/lang/Object", "hashCode", "()I", ACC_PUBLIC),
    ("java/lang/Object", "equals", "(Ljava/lang/Object;)Z", ACC_PUBLIC),
    ("java/lang/Object", "toString", "()Ljava/lang/String;", ACC_PUBLIC),
    ("java/lang/Object", "notify", "()V", ACC_PUBLIC | ACC_FINAL),
    ("java/lang/Object", "notifyAll", "()V", ACC_PUBLIC | ACC_FINAL),
    ("java/lang/Object", "wait", "()V", ACC_PUBLIC | ACC_FINAL),
    ("java/lang/Object", "wait", "(J)V", ACC_PUBLIC | ACC_FINAL),
    ("java/lang/Object", "wait", "(JI)V", ACC_PUBLIC | ACC_FINAL),
    ("java/lang/Enum", "<init>", "(Ljava/lang/String;I)V", ACC_PROTECTED),
    ("java/lang/Enum", "clone", "()Ljava/lang/Object;", ACC_PROTECTED | ACC_FINAL),
    ("java/lang/Enum", "ordinal", "()I", ACC_PUBLIC | ACC_FINAL),
    ("java/lang/Enum", "name", "()Ljava/lang/String;", ACC_PUBLIC | ACC_FINAL),
    ("java/lang/Record", "<init>", "()V", ACC_PROTECTED),
    ("java/lang/Throwable", "<init>", "()V", ACC_PUBLIC),
    ("java/lang/Throwable", "<init>", "(Ljava/lang/String;)V", ACC_PUBLIC),
    ("java/lang/Exception", "<init>", "()V", ACC_PUBLIC),
    ("java/lang/Exception", "<init>", "(Ljava/lang/String;)V", ACC_PUBLIC),
    ("java/lang/RuntimeException", "<init>", "()V", ACC_PUBLIC),
    ("java/lang/RuntimeException", "<init>", "(Ljava/lang/String;)V", ACC_PUBLIC),
];

impl ClassSet {
    /// An empty set.
    pub fn new() -> Self {
        ClassSet::default()
    }

    /// A set holding a minimal `java.lang` hierarchy: Object, String,
    /// Class, the boxes, Throwable and the common exceptions and errors,
    /// the array interfaces and what lambdas and string concatenation use.
    pub fn with_java_lang() -> Self {
        let mut s = ClassSet::new();
        for &(name, sup, flags) in JAVA_LANG {
            let superclass = (!sup.is_empty()).then(|| sup.as_bytes().to_vec());
            s.insert(name.as_bytes(), ClassInfo { superclass, access_flags: flags, members: Vec::new() });
        }
        for &(class, name, desc, flags) in JAVA_LANG_MEMBERS {
            if let Some(c) = s.classes.get_mut(class.as_bytes()) {
                c.members.push((name.as_bytes().to_vec(), desc.as_bytes().to_vec(), flags));
            }
        }
        s
    }

    /// Add or replace a class.
    pub fn insert(&mut self, name: &[u8], info: ClassInfo) {
        self.classes.insert(name.to_vec(), info);
    }

    /// Add or replace a parsed class.
    pub fn add(&mut self, class: &ClassFile<'_>) {
        let members = class
            .fields
            .iter()
            .map(|f| (f.name, f.descriptor, f.access_flags))
            .chain(class.methods.iter().map(|m| (m.name, m.descriptor, m.access_flags)))
            .map(|(n, d, f)| (n.to_vec(), d.to_vec(), f))
            .collect();
        let info =
            ClassInfo { superclass: class.super_name().map(<[u8]>::to_vec), access_flags: class.access_flags, members };
        self.insert(class.name(), info);
    }

    pub fn get(&self, name: &[u8]) -> Option<&ClassInfo> {
        self.classes.get(name)
    }

    pub fn len(&self) -> usize {
        self.classes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.classes.is_empty()
    }

    fn info(&self, name: &[u8]) -> Result<&ClassInfo, EnvError> {
        self.classes.get(name).ok_or_else(|| EnvError::not_found(name))
    }
}

impl ClassEnv for ClassSet {
    fn superclass(&self, class: &[u8]) -> Result<Option<&[u8]>, EnvError> {
        Ok(self.info(class)?.superclass.as_deref())
    }

    fn access_flags(&self, class: &[u8]) -> Result<u16, EnvError> {
        Ok(self.info(class)?.access_flags)
    }

    fn declared_member(&self, class: &[u8], name: &[u8], descriptor: &[u8]) -> Result<Option<u16>, EnvError> {
        Ok(self.info(class)?.members.iter().find(|m| m.0 == name && m.1 == descriptor).map(|m| m.2))
    }
}
