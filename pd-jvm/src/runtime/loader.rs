//! Class loading (JVMS 5.3) and verification at link time (JVMS 5.4.1).
//!
//! `load_class` *creates* a class: finds its bytes, parses them, loads the
//! superclass and superinterfaces (detecting circularity), and prepares it
//! (layout, vtable; see `link.rs`). Verification is deferred to
//! `link_class`, run before initialization, because the verifier may need
//! to load further classes, and those may refer back to classes still
//! being created. The bytes are kept until then and dropped after.
//!
//! The verifier asks about other classes through [`ClassEnv`]; the VM's
//! implementation answers from created classes and, when asked about one
//! that is not loaded yet, records it and fails softly; the linker loads it
//! and verifies the method again. Each retry loads one more class, so this
//! terminates.

use alloc::borrow::ToOwned;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;

use crate::classfile::descriptor::{parse_field_descriptor, BaseType, ElementType, FieldType};
use crate::classfile::flags::*;
use crate::classfile::mutf8::decode_lossy;
use crate::heap::{ElementKind, Layout};
use crate::verify::{self, ClassEnv, EnvError, VerifyErrorKind};

use super::class::*;
use super::Vm;

/// How deeply class creation may recurse through superclasses (a guard
/// against hostile hierarchies exhausting the native stack).
const MAX_LOADING_DEPTH: usize = 256;

pub(crate) fn dotted(name: &[u8]) -> String {
    decode_lossy(name).replace('/', ".")
}

impl Vm {
    pub(crate) fn create_primitive_classes(&mut self) {
        let names: [(&[u8], u8); 9] = [
            (b"boolean", b'Z'),
            (b"byte", b'B'),
            (b"char", b'C'),
            (b"short", b'S'),
            (b"int", b'I'),
            (b"float", b'F'),
            (b"long", b'J'),
            (b"double", b'D'),
            (b"void", b'V'),
        ];
        for (i, (name, code)) in names.iter().enumerate() {
            let id = self.push_class(Class {
                name: (*name).into(),
                flags: ACC_PUBLIC | ACC_FINAL | ACC_ABSTRACT,
                kind: ClassKind::Primitive(*code),
                major: 0,
                super_class: None,
                interfaces: Vec::new(),
                all_interfaces: Vec::new(),
                supers: Vec::new(),
                state: InitState::Initialized,
                link_error: None,
                layout: None,
                field_bytes: 0,
                ref_offsets: Vec::new(),
                fields: Vec::new(),
                methods: Vec::new(),
                vtable: Vec::new(),
                itable: BTreeMap::new(),
                cp: Vec::new(),
                bootstraps: Vec::new(),
                source_file: None,
                nest_host: NestHost::Unresolved(0),
                nest_members: Vec::new(),
                clinit: None,
                pending_bytes: None,
                array_class: None,
                synthetic: None,
            });
            // Primitive classes are not found by name (a class may be called `int`).
            self.by_name.remove(*name);
            self.wk.primitives[i] = id;
        }
    }

    /// Appends a class to the tables and registers its name.
    pub(crate) fn push_class(&mut self, c: Class) -> ClassId {
        let id = ClassId(self.classes.len() as u32);
        self.by_name.insert(c.name.clone(), id);
        self.classes.push(c);
        self.mirrors.push(crate::heap::Ref::NULL);
        id
    }

    /// The primitive pseudo-class for a descriptor letter.
    pub(crate) fn primitive_class(&self, code: u8) -> ClassId {
        let i = match code {
            b'Z' => 0,
            b'B' => 1,
            b'C' => 2,
            b'S' => 3,
            b'I' => 4,
            b'F' => 5,
            b'J' => 6,
            b'D' => 7,
            _ => 8,
        };
        self.wk.primitives[i]
    }

    /// Loads (creates) the class, interface or array class named `name`
    /// (internal form), or returns the one already loaded.
    pub(crate) fn load_class(&mut self, name: &[u8]) -> Result<ClassId, LinkError> {
        if let Some(&id) = self.by_name.get(name) {
            return Ok(id);
        }
        if name.first() == Some(&b'[') {
            return self.load_array_class(name);
        }
        if self.loading.iter().any(|n| &**n == name) {
            return Err(LinkError::new("java/lang/ClassCircularityError", dotted(name)));
        }
        if self.loading.len() >= MAX_LOADING_DEPTH {
            return Err(LinkError::new(
                "java/lang/NoClassDefFoundError",
                format!("{} (hierarchy too deep)", dotted(name)),
            ));
        }
        // `from`: the index of the source, `None` for a class defined at run time.
        let (bytes, from): (Vec<u8>, Option<usize>) = match self.synthesized.remove(name) {
            Some(b) => (b, None),
            None => match self.sources.iter().enumerate().find_map(|(i, s)| s.find(name).map(|b| (i, b))) {
                Some((i, b)) => (b.into_owned(), Some(i)),
                None => return Err(LinkError::new("java/lang/NoClassDefFoundError", decode_lossy(name))),
            },
        };
        self.loading.push(name.into());
        let r = self.create_class(name, bytes);
        self.loading.pop();
        if self.config.verbose_class && r.is_ok() {
            self.log_class_load(name, from);
        }
        r
    }

    /// `-verbose:class`: `[0.012s][info][class,load] java.lang.Object source: capuchin image`.
    fn log_class_load(&mut self, name: &[u8], from: Option<usize>) {
        let nanos = self.config.nano_clock.map_or(0, |c| c().saturating_sub(self.started_nanos));
        let source = match from {
            None => "defined at run time",
            Some(i) => self.sources.get(i).and_then(|s| s.location()).unwrap_or("unknown"),
        };
        let line = format!(
            "[{}.{:03}s][info][class,load] {} source: {source}\n",
            nanos / 1_000_000_000,
            nanos / 1_000_000 % 1000,
            dotted(name)
        );
        self.output.write(1, line.as_bytes());
    }

    fn create_class(&mut self, name: &[u8], bytes: Vec<u8>) -> Result<ClassId, LinkError> {
        let cf = crate::classfile::parse(&bytes)
            .map_err(|e| LinkError::new("java/lang/ClassFormatError", format!("{e}")))?;
        if cf.name() != name {
            return Err(LinkError::new(
                "java/lang/NoClassDefFoundError",
                format!("{} (wrong name: {})", decode_lossy(name), decode_lossy(cf.name())),
            ));
        }
        if cf.access_flags & ACC_MODULE != 0 {
            return Err(LinkError::new("java/lang/NoClassDefFoundError", format!("{} is a module-info", dotted(name))));
        }
        // Superclass and superinterfaces (JVMS 5.3.5 steps 3-4).
        let super_class = match cf.super_name() {
            None => None,
            Some(s) => {
                let sc = self.load_class(s)?;
                let sup = &self.classes[sc.ix()];
                if sup.is_interface() {
                    return Err(LinkError::new(
                        "java/lang/IncompatibleClassChangeError",
                        format!("class {} has interface {} as super class", dotted(name), dotted(s)),
                    ));
                }
                if sup.flags & ACC_FINAL != 0 {
                    return Err(LinkError::new(
                        "java/lang/IncompatibleClassChangeError",
                        format!("class {} cannot inherit from final class {}", dotted(name), dotted(s)),
                    ));
                }
                Some(sc)
            }
        };
        let mut interfaces = Vec::with_capacity(cf.interfaces.len());
        for iname in cf.interface_names() {
            let ic = self.load_class(iname)?;
            if !self.classes[ic.ix()].is_interface() {
                return Err(LinkError::new(
                    "java/lang/IncompatibleClassChangeError",
                    format!(
                        "class {} can not implement {}, because it is not an interface",
                        dotted(name),
                        dotted(iname)
                    ),
                ));
            }
            interfaces.push(ic);
        }
        if cf.is_interface() && super_class.is_some_and(|s| Some(s) != self.wk.object) {
            return Err(LinkError::new("java/lang/ClassFormatError", "interface superclass is not java/lang/Object"));
        }
        self.check_final_overrides(&cf, super_class)?;
        let id = self.prepare_class(&cf, super_class, interfaces)?;
        drop(cf);
        self.classes[id.ix()].pending_bytes = Some(bytes.into_boxed_slice());
        Ok(id)
    }

    /// No method may override an accessible final method of a superclass
    /// (JVMS 4.10 classIsTypeSafe; checked at creation, as HotSpot does).
    fn check_final_overrides(
        &self,
        cf: &crate::classfile::ClassFile<'_>,
        super_class: Option<ClassId>,
    ) -> Result<(), LinkError> {
        if cf.is_interface() {
            return Ok(());
        }
        for m in &cf.methods {
            if m.access_flags & (ACC_PRIVATE | ACC_STATIC) != 0 || m.name.first() == Some(&b'<') {
                continue;
            }
            let mut c = super_class;
            while let Some(s) = c {
                let sc = &self.classes[s.ix()];
                for &sm in &sc.methods {
                    let sm = &self.methods[sm.ix()];
                    if &*sm.name == m.name && &*sm.descriptor == m.descriptor {
                        let accessible = sm.flags & (ACC_PUBLIC | ACC_PROTECTED) != 0
                            || verify::env::package_of(&sc.name) == verify::env::package_of(cf.name());
                        if sm.flags & ACC_FINAL != 0 && sm.flags & (ACC_STATIC | ACC_PRIVATE) == 0 && accessible {
                            return Err(LinkError::new(
                                "java/lang/IncompatibleClassChangeError",
                                format!(
                                    "class {} overrides final method {}.{}{}",
                                    dotted(cf.name()),
                                    dotted(&sc.name),
                                    decode_lossy(m.name),
                                    decode_lossy(m.descriptor)
                                ),
                            ));
                        }
                    }
                }
                c = sc.super_class;
            }
        }
        Ok(())
    }

    /// The array class named by the descriptor `name` (`[I`, `[[Ljava/lang/String;`).
    fn load_array_class(&mut self, name: &[u8]) -> Result<ClassId, LinkError> {
        let Some(FieldType::Array { dimensions, element }) = parse_field_descriptor(name) else {
            return Err(LinkError::new("java/lang/NoClassDefFoundError", decode_lossy(name)));
        };
        let component = if dimensions > 1 {
            self.load_class(&name[1..])?
        } else {
            match element {
                ElementType::Object(n) => self.load_class(n)?,
                ElementType::Base(b) => self.primitive_class(base_code(b)),
            }
        };
        self.array_class_of(component)
    }

    /// The class of arrays whose components are `component`.
    pub(crate) fn array_class_of(&mut self, component: ClassId) -> Result<ClassId, LinkError> {
        if let Some(a) = self.classes[component.ix()].array_class {
            return Ok(a);
        }
        let object = self.object_class()?;
        let comp = &self.classes[component.ix()];
        let (name, elem): (Vec<u8>, ElementKind) = match comp.kind {
            ClassKind::Primitive(code) => {
                if code == b'V' {
                    return Err(LinkError::new("java/lang/NoClassDefFoundError", "[V"));
                }
                (alloc::vec![b'[', code], ValueKind::from_descriptor_byte(code).element_kind())
            }
            ClassKind::Array { .. } => {
                let mut n = alloc::vec![b'['];
                n.extend_from_slice(&comp.name);
                (n, ElementKind::Reference)
            }
            ClassKind::Instance => {
                let mut n = alloc::vec![b'[', b'L'];
                n.extend_from_slice(&comp.name);
                n.push(b';');
                (n, ElementKind::Reference)
            }
        };
        if name.len() > 255 && name.iter().take_while(|&&b| b == b'[').count() > 255 {
            return Err(LinkError::new("java/lang/NoClassDefFoundError", "array type with more than 255 dimensions"));
        }
        let access = comp.flags & (ACC_PUBLIC | ACC_PRIVATE | ACC_PROTECTED);
        let mut interfaces = Vec::new();
        for n in [&b"java/lang/Cloneable"[..], b"java/io/Serializable"] {
            // Optional: a minimal class library may lack them.
            if let Some(&i) = self.by_name.get(n) {
                interfaces.push(i);
            } else if self.sources.iter().any(|s| s.find(n).is_some()) {
                if let Ok(i) = self.load_class(n) {
                    interfaces.push(i);
                }
            }
        }
        let mut all_interfaces = interfaces.clone();
        all_interfaces.sort_unstable();
        let layout = self
            .heap
            .register_layout(&Layout::array(elem))
            .map_err(|e| LinkError::new("java/lang/OutOfMemoryError", format!("{e}")))?;
        let obj = &self.classes[object.ix()];
        let vtable = obj.vtable.clone();
        let mut supers = obj.supers.clone();
        let id = ClassId(self.classes.len() as u32);
        supers.push(id);
        let c = Class {
            name: name.into_boxed_slice(),
            flags: access | ACC_FINAL | ACC_ABSTRACT,
            kind: ClassKind::Array { component, elem },
            major: 0,
            super_class: Some(object),
            interfaces,
            all_interfaces,
            supers,
            state: InitState::Initialized,
            link_error: None,
            layout: Some(layout),
            field_bytes: 0,
            ref_offsets: Vec::new(),
            fields: Vec::new(),
            methods: Vec::new(),
            vtable,
            itable: BTreeMap::new(),
            cp: Vec::new(),
            bootstraps: Vec::new(),
            source_file: None,
            nest_host: NestHost::Resolved(id),
            nest_members: Vec::new(),
            clinit: None,
            pending_bytes: None,
            array_class: None,
            synthetic: None,
        };
        let id2 = self.push_class(c);
        debug_assert_eq!(id, id2);
        self.layout_class.push(id);
        debug_assert_eq!(self.layout_class.len() as u32, layout.index() + 1);
        self.classes[component.ix()].array_class = Some(id);
        Ok(id)
    }

    pub(crate) fn object_class(&mut self) -> Result<ClassId, LinkError> {
        match self.wk.object {
            Some(o) => Ok(o),
            None => self.load_class(b"java/lang/Object"),
        }
    }

    /// Links a class (JVMS 5.4): its superclass and superinterfaces first,
    /// then verification, then native binding. A failure is remembered and
    /// rethrown on every later attempt.
    pub(crate) fn link_class(&mut self, c: ClassId) -> Result<(), LinkError> {
        let cls = &self.classes[c.ix()];
        if let Some(e) = &cls.link_error {
            return Err(e.clone());
        }
        if cls.state != InitState::Loaded {
            return Ok(());
        }
        let supers: Vec<ClassId> = cls.super_class.into_iter().chain(cls.interfaces.iter().copied()).collect();
        for s in supers {
            self.link_class(s)?;
        }
        if self.classes[c.ix()].state != InitState::Loaded {
            return Ok(());
        }
        if let Err(e) = self.verify_pending(c) {
            self.classes[c.ix()].link_error = Some(e.clone());
            self.classes[c.ix()].pending_bytes = None;
            return Err(e);
        }
        self.bind_natives(c);
        let cls = &mut self.classes[c.ix()];
        cls.pending_bytes = None;
        cls.state = InitState::Linked;
        Ok(())
    }

    fn verify_pending(&mut self, c: ClassId) -> Result<(), LinkError> {
        let Some(bytes) = self.classes[c.ix()].pending_bytes.take() else {
            return Ok(());
        };
        let r = self.verify_bytes(&bytes);
        self.classes[c.ix()].pending_bytes = Some(bytes);
        r
    }

    fn verify_bytes(&mut self, bytes: &[u8]) -> Result<(), LinkError> {
        let cf =
            crate::classfile::parse(bytes).map_err(|e| LinkError::new("java/lang/ClassFormatError", format!("{e}")))?;
        let mut next = 0usize;
        // Each retry loads one more class, so this is bounded; the cap is a backstop.
        for _ in 0..100_000 {
            let Some(m) = cf.methods.get(next) else {
                return Ok(());
            };
            let missing = {
                let env = VerifyEnv { vm: self, missing: RefCell::new(None) };
                match verify::verify_method(&cf, m, &env) {
                    Ok(()) => {
                        next += 1;
                        continue;
                    }
                    Err(e) => match (env.missing.into_inner(), e.kind()) {
                        (Some(name), VerifyErrorKind::Env(_)) => name,
                        _ => return Err(LinkError::new("java/lang/VerifyError", format!("{e}"))),
                    },
                }
            };
            self.load_class(&missing)?;
        }
        Err(LinkError::new("java/lang/VerifyError", "verification did not terminate"))
    }

    fn bind_natives(&mut self, c: ClassId) {
        let methods = self.classes[c.ix()].methods.clone();
        for m in methods {
            let method = &self.methods[m.ix()];
            if method.code.is_some() && !method.is_synchronized() {
                let twin = self.natives.twin(&self.classes[c.ix()].name, &method.name, &method.descriptor);
                self.methods[m.ix()].twin = twin.map(|t| t.0);
                self.methods[m.ix()].quick_twin = twin.and_then(|t| t.1);
                continue;
            }
            if method.is_native() && method.native.is_none() {
                let class = &self.classes[c.ix()].name;
                let f = self.natives.lookup(class, &method.name, &method.descriptor);
                // Raw memory and leaf natives only as `private static`
                // (raw.rs, leaf.rs).
                let raw = self.natives.raw(class, &method.name, &method.descriptor);
                let leaf = self.natives.leaf(class, &method.name, &method.descriptor);
                let bind = (raw.is_none() && leaf.is_none()) || (method.is_private() && method.is_static());
                self.methods[m.ix()].native = f.filter(|_| bind);
                self.methods[m.ix()].raw = raw.filter(|_| bind);
                self.methods[m.ix()].leaf = leaf.filter(|_| bind);
            }
        }
    }
}

fn base_code(b: BaseType) -> u8 {
    match b {
        BaseType::Boolean => b'Z',
        BaseType::Byte => b'B',
        BaseType::Char => b'C',
        BaseType::Short => b'S',
        BaseType::Int => b'I',
        BaseType::Float => b'F',
        BaseType::Long => b'J',
        BaseType::Double => b'D',
    }
}

/// The verifier's view of the VM's classes.
struct VerifyEnv<'v> {
    vm: &'v Vm,
    /// The first class asked about that is not loaded yet.
    missing: RefCell<Option<Vec<u8>>>,
}

impl VerifyEnv<'_> {
    fn class(&self, name: &[u8]) -> Result<&Class, EnvError> {
        match self.vm.by_name.get(name) {
            Some(&id) => Ok(&self.vm.classes[id.ix()]),
            None => {
                let mut m = self.missing.borrow_mut();
                if m.is_none() {
                    *m = Some(name.to_owned());
                }
                Err(EnvError::not_found(name))
            }
        }
    }
}

impl ClassEnv for VerifyEnv<'_> {
    fn superclass(&self, class: &[u8]) -> Result<Option<&[u8]>, EnvError> {
        let c = self.class(class)?;
        Ok(c.super_class.map(|s| &*self.vm.classes[s.ix()].name))
    }

    fn access_flags(&self, class: &[u8]) -> Result<u16, EnvError> {
        Ok(self.class(class)?.flags)
    }

    fn declared_member(&self, class: &[u8], name: &[u8], descriptor: &[u8]) -> Result<Option<u16>, EnvError> {
        let c = self.class(class)?;
        if descriptor.first() == Some(&b'(') {
            Ok(c.methods
                .iter()
                .map(|&m| &self.vm.methods[m.ix()])
                .find(|m| &*m.name == name && &*m.descriptor == descriptor)
                .map(|m| m.flags))
        } else {
            Ok(c.fields
                .iter()
                .map(|&f| &self.vm.fields[f.ix()])
                .find(|f| &*f.name == name && &*f.descriptor == descriptor)
                .map(|f| f.flags))
        }
    }

    fn is_subclass(&self, sub: &[u8], sup: &[u8]) -> Result<bool, EnvError> {
        if sub == sup {
            return Ok(true);
        }
        let a = self.class(sub)?;
        let b = self.class(sup)?;
        let Some(&bid) = b.supers.last() else {
            return Ok(false);
        };
        Ok(a.supers.get(b.depth()) == Some(&bid))
    }
}
