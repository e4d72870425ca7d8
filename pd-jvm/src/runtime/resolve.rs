//! Resolution of symbolic references (JVMS 5.4.3), access control (JVMS
//! 5.4.4, including nestmates) and method selection (JVMS 5.4.6).
//!
//! Results are cached in the runtime constant pool, errors too: a failed
//! resolution fails the same way every time. Errors name the member in the
//! JDK's format (`'void Foo.bar(int)'`).

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::classfile::descriptor::{parse_field_descriptor, parse_method_descriptor, BaseType, ElementType, FieldType};
use crate::classfile::flags::*;
use crate::classfile::mutf8::decode_lossy;
use crate::verify::env::package_of;

use super::class::*;
use super::loader::dotted;
use super::Vm;

fn java_type(t: &FieldType<'_>) -> String {
    let (dims, base) = match t {
        FieldType::Base(b) => (0, base_name(*b).into()),
        FieldType::Object(n) => (0, dotted(n)),
        FieldType::Array { dimensions, element } => (
            *dimensions,
            match element {
                ElementType::Base(b) => base_name(*b).into(),
                ElementType::Object(n) => dotted(n),
            },
        ),
    };
    let mut s: String = base;
    for _ in 0..dims {
        s.push_str("[]");
    }
    s
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

/// `'void pkg.Foo.bar(int, java.lang.String)'`, as HotSpot prints methods.
pub(crate) fn pretty_method(class: &[u8], name: &[u8], desc: &[u8]) -> String {
    match parse_method_descriptor(desc) {
        Some(md) => {
            let ret = md.return_type.as_ref().map_or_else(|| String::from("void"), java_type);
            let params: Vec<String> = md.parameters.iter().map(java_type).collect();
            format!("'{} {}.{}({})'", ret, dotted(class), decode_lossy(name), params.join(", "))
        }
        None => format!("'{}.{}{}'", dotted(class), decode_lossy(name), decode_lossy(desc)),
    }
}

/// `'abstract void bar(int)'`: a method without its class, with a modifier prefix.
pub(crate) fn pretty_method_unqualified(name: &[u8], desc: &[u8], prefix: &str) -> String {
    match parse_method_descriptor(desc) {
        Some(md) => {
            let ret = md.return_type.as_ref().map_or_else(|| String::from("void"), java_type);
            let params: Vec<String> = md.parameters.iter().map(java_type).collect();
            format!("'{prefix}{} {}({})'", ret, decode_lossy(name), params.join(", "))
        }
        None => format!("'{prefix}{}{}'", decode_lossy(name), decode_lossy(desc)),
    }
}

/// `'int pkg.Foo.x'`.
pub(crate) fn pretty_field(class: &[u8], name: &[u8], desc: &[u8]) -> String {
    let t = parse_field_descriptor(desc).map_or_else(|| decode_lossy(desc), |t| java_type(&t));
    format!("'{} {}.{}'", t, dotted(class), decode_lossy(name))
}

fn access_word(flags: u16) -> &'static str {
    if flags & ACC_PRIVATE != 0 {
        "private"
    } else if flags & ACC_PROTECTED != 0 {
        "protected"
    } else {
        "package-private"
    }
}

/// (class, name, descriptor) of a member reference, owned.
pub(crate) type MemberRef = (Box<[u8]>, Box<[u8]>, Box<[u8]>);

impl Vm {
    pub(crate) fn cp_utf8(&self, c: ClassId, idx: u16) -> &[u8] {
        match self.classes[c.ix()].cp.get(usize::from(idx)) {
            Some(CpEntry::Utf8(b)) => b,
            _ => b"",
        }
    }

    pub(crate) fn cp_class_name(&self, c: ClassId, idx: u16) -> &[u8] {
        match self.classes[c.ix()].cp.get(usize::from(idx)) {
            Some(CpEntry::Class { name, .. }) => self.cp_utf8(c, *name),
            _ => b"",
        }
    }

    pub(crate) fn cp_nat(&self, c: ClassId, idx: u16) -> (&[u8], &[u8]) {
        match self.classes[c.ix()].cp.get(usize::from(idx)) {
            Some(CpEntry::NameAndType { name, descriptor }) => (self.cp_utf8(c, *name), self.cp_utf8(c, *descriptor)),
            _ => (b"", b""),
        }
    }

    /// (class name, member name, descriptor) of a Fieldref/Methodref/InterfaceMethodref.
    pub(crate) fn cp_member(&self, c: ClassId, idx: u16) -> MemberRef {
        let (ci, nat) = match self.classes[c.ix()].cp.get(usize::from(idx)) {
            Some(CpEntry::Field { class, nat, .. }) | Some(CpEntry::Method { class, nat, .. }) => (*class, *nat),
            _ => (0, 0),
        };
        let (n, d) = self.cp_nat(c, nat);
        (self.cp_class_name(c, ci).into(), n.into(), d.into())
    }

    // ---- classes ----

    /// Resolves the CONSTANT_Class at `idx` of `cur`'s pool (JVMS 5.4.3.1).
    pub(crate) fn resolve_class(&mut self, cur: ClassId, idx: u16) -> Result<ClassId, LinkError> {
        match self.classes[cur.ix()].cp.get(usize::from(idx)) {
            Some(CpEntry::Class { res: Res::Ok(c), .. }) => return Ok(*c),
            Some(CpEntry::Class { res: Res::Err(e), .. }) => return Err(e.clone()),
            Some(CpEntry::Class { .. }) => {}
            _ => return Err(LinkError::new("java/lang/VerifyError", "bad constant pool class index")),
        }
        let name: Box<[u8]> = self.cp_class_name(cur, idx).into();
        let r = self.load_class(&name).and_then(|c| self.check_class_access(cur, c).map(|()| c));
        if let Some(CpEntry::Class { res, .. }) = self.classes[cur.ix()].cp.get_mut(usize::from(idx)) {
            *res = match &r {
                Ok(c) => Res::Ok(*c),
                Err(e) => Res::Err(e.clone()),
            };
        }
        r
    }

    /// Class accessibility (JVMS 5.4.4): public, or the same runtime package.
    pub(crate) fn check_class_access(&self, cur: ClassId, target: ClassId) -> Result<(), LinkError> {
        let mut t = target;
        while let ClassKind::Array { component, .. } = self.classes[t.ix()].kind {
            t = component;
        }
        let tc = &self.classes[t.ix()];
        if matches!(tc.kind, ClassKind::Primitive(_)) || tc.flags & ACC_PUBLIC != 0 || t == cur {
            return Ok(());
        }
        if package_of(&tc.name) == package_of(&self.classes[cur.ix()].name) {
            return Ok(());
        }
        // A dynamic nestmate (VM-synthesized class) may use its host's classes.
        if self.nest_host_of_resolved(cur) == self.nest_host_of_resolved(t) {
            return Ok(());
        }
        Err(LinkError::new(
            "java/lang/IllegalAccessError",
            format!("failed to access class {} from class {}", dotted(&tc.name), dotted(&self.classes[cur.ix()].name)),
        ))
    }

    // ---- nestmates (JVMS 5.4.4) ----

    /// The nest host if already determined (for checks that must not load).
    fn nest_host_of_resolved(&self, c: ClassId) -> ClassId {
        match self.classes[c.ix()].nest_host {
            NestHost::Resolved(h) => h,
            NestHost::Unresolved(_) => c,
        }
    }

    /// Determines the nest host; a class whose claimed host cannot be
    /// loaded or does not list it is its own host (JDK 15+ behavior).
    pub(crate) fn nest_host(&mut self, c: ClassId) -> ClassId {
        let idx = match self.classes[c.ix()].nest_host {
            NestHost::Resolved(h) => return h,
            NestHost::Unresolved(i) => i,
        };
        let mut host = c;
        if idx != 0 {
            let name: Box<[u8]> = self.cp_class_name(c, idx).into();
            if let Ok(h) = self.load_class(&name) {
                let hc = &self.classes[h.ix()];
                let me = &self.classes[c.ix()].name;
                if package_of(&hc.name) == package_of(me) && hc.nest_members.iter().any(|m| m == me) {
                    host = h;
                }
            }
        }
        self.classes[c.ix()].nest_host = NestHost::Resolved(host);
        host
    }

    /// Member accessibility (JVMS 5.4.4) of a member of `decl` with `flags`
    /// from code in `cur`.
    pub(crate) fn member_accessible(&mut self, cur: ClassId, decl: ClassId, flags: u16) -> bool {
        if flags & ACC_PUBLIC != 0 || cur == decl {
            return true;
        }
        if flags & ACC_PRIVATE != 0 {
            return self.nest_host(cur) == self.nest_host(decl);
        }
        let same_package = package_of(&self.classes[cur.ix()].name) == package_of(&self.classes[decl.ix()].name);
        if same_package {
            return true;
        }
        if flags & ACC_PROTECTED != 0 {
            // A subclass, or a nested class of one (through its nest host,
            // as javac relies on for protected access from inner classes).
            if self.is_subclass_of(cur, decl) {
                return true;
            }
            let host = self.nest_host(cur);
            return self.is_subclass_of(host, decl);
        }
        false
    }

    /// `sup` is `sub` or a superclass of it.
    pub(crate) fn is_subclass_of(&self, sub: ClassId, sup: ClassId) -> bool {
        let s = &self.classes[sup.ix()];
        self.classes[sub.ix()].supers.get(s.depth()) == Some(&sup) && !s.supers.is_empty()
    }

    // ---- fields (JVMS 5.4.3.2) ----

    fn lookup_field(&self, c: ClassId, name: &[u8], desc: &[u8]) -> Option<FieldId> {
        let cls = &self.classes[c.ix()];
        if let Some(&f) =
            cls.fields.iter().find(|f| &*self.fields[f.ix()].name == name && &*self.fields[f.ix()].descriptor == desc)
        {
            return Some(f);
        }
        for &i in &cls.interfaces {
            if let Some(f) = self.lookup_field(i, name, desc) {
                return Some(f);
            }
        }
        cls.super_class.and_then(|s| self.lookup_field(s, name, desc))
    }

    /// Resolves the Fieldref at `idx`; `is_static`/`is_put` come from the
    /// instruction and are checked on every call (the cache is shared).
    pub(crate) fn resolve_field(&mut self, cur: ClassId, idx: u16) -> Result<FieldRef, LinkError> {
        let class_idx = match self.classes[cur.ix()].cp.get(usize::from(idx)) {
            Some(CpEntry::Field { res: Res::Ok(f), .. }) => return Ok(*f),
            Some(CpEntry::Field { res: Res::Err(e), .. }) => return Err(e.clone()),
            Some(CpEntry::Field { class, .. }) => *class,
            _ => return Err(LinkError::new("java/lang/VerifyError", "bad constant pool field index")),
        };
        let r = self.resolve_field_uncached(cur, idx, class_idx);
        if let Some(CpEntry::Field { res, .. }) = self.classes[cur.ix()].cp.get_mut(usize::from(idx)) {
            *res = match &r {
                Ok(f) => Res::Ok(*f),
                Err(e) => Res::Err(e.clone()),
            };
        }
        r
    }

    fn resolve_field_uncached(&mut self, cur: ClassId, idx: u16, class_idx: u16) -> Result<FieldRef, LinkError> {
        let c = self.resolve_class(cur, class_idx)?;
        let (_, name, desc) = self.cp_member(cur, idx);
        let Some(f) = self.lookup_field(c, &name, &desc) else {
            return Err(LinkError::new("java/lang/NoSuchFieldError", decode_lossy(&name)));
        };
        let field = &self.fields[f.ix()];
        let (decl, flags) = (field.class, field.flags);
        if !self.member_accessible(cur, decl, flags) {
            let decl_name = self.classes[decl.ix()].name.clone();
            return Err(LinkError::new(
                "java/lang/IllegalAccessError",
                format!(
                    "class {} tried to access {} field {}",
                    dotted(&self.classes[cur.ix()].name),
                    access_word(flags),
                    pretty_field(&decl_name, &name, &desc)
                ),
            ));
        }
        let field = &self.fields[f.ix()];
        Ok(FieldRef {
            field: f,
            class: field.class,
            offset: field.offset,
            kind: field.kind,
            is_static: field.is_static(),
            put_ok: false,
        })
    }

    /// Resolves the Fieldref at `idx` for an instruction of `method` that
    /// uses it (`is_static`, `put`): resolution, then the checks of the
    /// instruction's every slow-path run; a put that passed them marks the
    /// entry (`put_ok`), so the fast paths may write.
    pub(crate) fn resolve_field_use(
        &mut self,
        cls: ClassId,
        method: MethodId,
        idx: u16,
        is_static: bool,
        put: bool,
    ) -> Result<FieldRef, LinkError> {
        let mut fr = self.resolve_field(cls, idx)?;
        self.check_field_use(cls, method, &fr, is_static, put)?;
        if put && !fr.put_ok {
            fr.put_ok = true;
            if let Some(CpEntry::Field { res: Res::Ok(f), .. }) = self.classes[cls.ix()].cp.get_mut(usize::from(idx)) {
                f.put_ok = true;
            }
        }
        Ok(fr)
    }

    /// Errors for a field used by the wrong instruction (checked on every
    /// execution of the slow path; the fast path re-checks `is_static`).
    pub(crate) fn check_field_use(
        &self,
        cur: ClassId,
        cur_method: MethodId,
        fr: &FieldRef,
        want_static: bool,
        is_put: bool,
    ) -> Result<(), LinkError> {
        let f = &self.fields[fr.field.ix()];
        let decl = &self.classes[f.class.ix()];
        if fr.is_static != want_static {
            let what = if want_static { "static" } else { "non-static" };
            return Err(LinkError::new(
                "java/lang/IncompatibleClassChangeError",
                format!("Expected {} field {}.{}", what, dotted(&decl.name), decode_lossy(&f.name)),
            ));
        }
        if is_put && f.flags & ACC_FINAL != 0 {
            let m = &self.methods[cur_method.ix()];
            let in_init = if want_static { &*m.name == b"<clinit>" } else { &*m.name == b"<init>" };
            let what = if want_static { "static" } else { "non-static" };
            if f.class != cur {
                return Err(LinkError::new(
                    "java/lang/IllegalAccessError",
                    format!(
                        "Update to {what} final field {}.{} attempted from a different class ({}) than the field's declaring class",
                        dotted(&decl.name),
                        decode_lossy(&f.name),
                        dotted(&self.classes[cur.ix()].name)
                    ),
                ));
            }
            if decl.major >= 53 && !in_init {
                return Err(LinkError::new(
                    "java/lang/IllegalAccessError",
                    format!(
                        "Update to {what} final field {}.{} attempted from a different method ({}) than the initializer method {} ",
                        dotted(&decl.name),
                        decode_lossy(&f.name),
                        decode_lossy(&m.name),
                        if want_static { "<clinit>" } else { "<init>" }
                    ),
                ));
            }
        }
        Ok(())
    }

    // ---- methods (JVMS 5.4.3.3, 5.4.3.4) ----

    /// A method declared by `c` itself.
    pub(crate) fn declared_method(&self, c: ClassId, name: &[u8], desc: &[u8]) -> Option<MethodId> {
        self.classes[c.ix()]
            .methods
            .iter()
            .copied()
            .find(|m| &*self.methods[m.ix()].name == name && &*self.methods[m.ix()].descriptor == desc)
    }

    /// Lookup in `c` and its superclasses.
    pub(crate) fn lookup_in_classes(&self, c: ClassId, name: &[u8], desc: &[u8]) -> Option<MethodId> {
        let mut k = Some(c);
        while let Some(x) = k {
            if let Some(m) = self.declared_method(x, name, desc) {
                return Some(m);
            }
            k = self.classes[x.ix()].super_class;
        }
        None
    }

    /// The maximally-specific superinterface methods of `c` (non-private,
    /// non-static), JVMS 5.4.3.3.
    pub(crate) fn maximally_specific(&self, c: ClassId, name: &[u8], desc: &[u8]) -> Vec<MethodId> {
        let cands: Vec<MethodId> = self.classes[c.ix()]
            .all_interfaces
            .iter()
            .filter_map(|&i| self.declared_method(i, name, desc))
            .filter(|&m| !self.methods[m.ix()].is_private() && !self.methods[m.ix()].is_static())
            .collect();
        cands
            .iter()
            .copied()
            .filter(|&m| {
                let mi = self.methods[m.ix()].class;
                !cands.iter().any(|&o| {
                    let oi = self.methods[o.ix()].class;
                    oi != mi && self.classes[oi.ix()].all_interfaces.binary_search(&mi).is_ok()
                })
            })
            .collect()
    }

    fn superinterface_method(&self, c: ClassId, name: &[u8], desc: &[u8]) -> Option<MethodId> {
        let ms = self.maximally_specific(c, name, desc);
        let concrete: Vec<MethodId> = ms.iter().copied().filter(|&m| !self.methods[m.ix()].is_abstract()).collect();
        if concrete.len() == 1 {
            return Some(concrete[0]);
        }
        ms.first().copied().or_else(|| {
            self.classes[c.ix()]
                .all_interfaces
                .iter()
                .filter_map(|&i| self.declared_method(i, name, desc))
                .find(|&m| !self.methods[m.ix()].is_private() && !self.methods[m.ix()].is_static())
        })
    }

    /// Resolves a Methodref or InterfaceMethodref; returns the resolved
    /// method (cached with its inline cache in the pool entry).
    pub(crate) fn resolve_method(&mut self, cur: ClassId, idx: u16) -> Result<MethodRef, LinkError> {
        let (class_idx, interface) = match self.classes[cur.ix()].cp.get(usize::from(idx)) {
            Some(CpEntry::Method { res: Res::Ok(m), .. }) => return Ok(*m),
            Some(CpEntry::Method { res: Res::Err(e), .. }) => return Err(e.clone()),
            Some(CpEntry::Method { class, interface, .. }) => (*class, *interface),
            _ => return Err(LinkError::new("java/lang/VerifyError", "bad constant pool method index")),
        };
        let r = self.resolve_method_uncached(cur, idx, class_idx, interface).map(|m| MethodRef {
            method: m,
            cache_class: u32::MAX,
            cache_target: m,
        });
        if let Some(CpEntry::Method { res, .. }) = self.classes[cur.ix()].cp.get_mut(usize::from(idx)) {
            *res = match &r {
                Ok(m) => Res::Ok(*m),
                Err(e) => Res::Err(e.clone()),
            };
        }
        r
    }

    pub(crate) fn set_method_cache(&mut self, cur: ClassId, idx: u16, class: ClassId, target: MethodId) {
        if let Some(CpEntry::Method { res: Res::Ok(m), .. }) = self.classes[cur.ix()].cp.get_mut(usize::from(idx)) {
            m.cache_class = class.0;
            m.cache_target = target;
        }
    }

    fn resolve_method_uncached(
        &mut self,
        cur: ClassId,
        idx: u16,
        class_idx: u16,
        interface: bool,
    ) -> Result<MethodId, LinkError> {
        let c = self.resolve_class(cur, class_idx)?;
        let (_, name, desc) = self.cp_member(cur, idx);
        let cname = self.classes[c.ix()].name.clone();
        let is_iface = self.classes[c.ix()].is_interface();
        if interface != is_iface {
            let want = if interface { "Methodref" } else { "InterfaceMethodref" };
            return Err(LinkError::new(
                "java/lang/IncompatibleClassChangeError",
                format!("Method {} must be {} constant", pretty_method(&cname, &name, &desc), want),
            ));
        }
        let found = if interface {
            self.declared_method(c, &name, &desc)
                .or_else(|| {
                    let obj = self.wk.object?;
                    self.declared_method(obj, &name, &desc).filter(|&m| {
                        let f = self.methods[m.ix()].flags;
                        f & ACC_PUBLIC != 0 && f & ACC_STATIC == 0
                    })
                })
                .or_else(|| self.superinterface_method(c, &name, &desc))
        } else {
            self.lookup_in_classes(c, &name, &desc).or_else(|| self.superinterface_method(c, &name, &desc))
        };
        let Some(m) = found else {
            return Err(LinkError::new("java/lang/NoSuchMethodError", pretty_method(&cname, &name, &desc)));
        };
        let (decl, flags) = (self.methods[m.ix()].class, self.methods[m.ix()].flags);
        if !self.member_accessible(cur, decl, flags) {
            // Arrays' clone() is public even though Object's is protected.
            let array_clone = self.classes[c.ix()].is_array() && &*name == b"clone";
            if !array_clone {
                let decl_name = self.classes[decl.ix()].name.clone();
                return Err(LinkError::new(
                    "java/lang/IllegalAccessError",
                    format!(
                        "class {} tried to access {} method {}",
                        dotted(&self.classes[cur.ix()].name),
                        access_word(flags),
                        pretty_method(&decl_name, &name, &desc)
                    ),
                ));
            }
        }
        Ok(m)
    }

    // ---- selection (JVMS 5.4.6) ----

    /// Selects the method an interface (or interface-resolved virtual) call
    /// runs for a receiver of class `rc`, with a per-class cache.
    pub(crate) fn select_interface(&mut self, rc: ClassId, resolved: MethodId) -> Selected {
        if let Some(&s) = self.classes[rc.ix()].itable.get(&resolved) {
            return s;
        }
        let s = self.select_uncached(rc, resolved);
        self.classes[rc.ix()].itable.insert(resolved, s);
        s
    }

    fn select_uncached(&self, rc: ClassId, resolved: MethodId) -> Selected {
        let mr = &self.methods[resolved.ix()];
        if mr.is_private() {
            return Selected::Method(resolved);
        }
        let (name, desc) = (&*mr.name, &*mr.descriptor);
        let mut k = Some(rc);
        while let Some(x) = k {
            if let Some(m) = self.declared_method(x, name, desc) {
                let mm = &self.methods[m.ix()];
                if !mm.is_static() && !mm.is_private() {
                    return if mm.is_abstract() { Selected::Abstract } else { Selected::Method(m) };
                }
            }
            k = self.classes[x.ix()].super_class;
        }
        let ms = self.maximally_specific(rc, name, desc);
        let concrete: Vec<MethodId> = ms.iter().copied().filter(|&m| !self.methods[m.ix()].is_abstract()).collect();
        match concrete.len() {
            1 => Selected::Method(concrete[0]),
            0 => Selected::Abstract,
            _ => Selected::Conflict,
        }
    }

    /// `invokespecial` selection (JVMS 6.5): the superclass's method for
    /// `super.m()` calls, else the symbolic class's.
    pub(crate) fn select_special(&self, cur: ClassId, symbolic: ClassId, resolved: MethodId) -> Selected {
        let mr = &self.methods[resolved.ix()];
        let (name, desc) = (&*mr.name, &*mr.descriptor);
        let sym = &self.classes[symbolic.ix()];
        let c = if &*mr.name != b"<init>"
            && !sym.is_interface()
            && symbolic != cur
            && self.is_subclass_of(cur, symbolic)
            && self.classes[cur.ix()].flags & ACC_SUPER != 0
        {
            self.classes[cur.ix()].super_class.unwrap_or(symbolic)
        } else {
            symbolic
        };
        let is_iface = self.classes[c.ix()].is_interface();
        let found = if is_iface {
            self.declared_method(c, name, desc).or_else(|| {
                let obj = self.wk.object?;
                self.declared_method(obj, name, desc).filter(|&m| {
                    let f = self.methods[m.ix()].flags;
                    f & ACC_PUBLIC != 0 && f & ACC_STATIC == 0
                })
            })
        } else {
            self.lookup_in_classes(c, name, desc)
        };
        if let Some(m) = found {
            return if self.methods[m.ix()].is_abstract() { Selected::Abstract } else { Selected::Method(m) };
        }
        let ms = self.maximally_specific(c, name, desc);
        let concrete: Vec<MethodId> = ms.iter().copied().filter(|&m| !self.methods[m.ix()].is_abstract()).collect();
        match concrete.len() {
            1 => Selected::Method(concrete[0]),
            0 => Selected::Abstract,
            _ => Selected::Conflict,
        }
    }

    /// Is an object of class `s` an instance of `t` (`instanceof`,
    /// `checkcast`, `aastore`, catch clauses)? JVMS 6.5 checkcast rules.
    pub(crate) fn is_instance_of(&self, s: ClassId, t: ClassId) -> bool {
        if s == t {
            return true;
        }
        let tc = &self.classes[t.ix()];
        let sc = &self.classes[s.ix()];
        match (sc.kind, tc.kind) {
            (_, ClassKind::Primitive(_)) | (ClassKind::Primitive(_), _) => false,
            (ClassKind::Array { component: sc_comp, .. }, ClassKind::Array { component: tc_comp, .. }) => {
                let (a, b) = (&self.classes[sc_comp.ix()], &self.classes[tc_comp.ix()]);
                match (a.kind, b.kind) {
                    (ClassKind::Primitive(x), ClassKind::Primitive(y)) => x == y,
                    (ClassKind::Primitive(_), _) | (_, ClassKind::Primitive(_)) => false,
                    _ => self.is_instance_of(sc_comp, tc_comp),
                }
            }
            (ClassKind::Array { .. }, _) => {
                Some(t) == self.wk.object || tc.is_interface() && sc.all_interfaces.binary_search(&t).is_ok()
            }
            (_, ClassKind::Array { .. }) => false,
            _ => {
                if tc.is_interface() {
                    sc.all_interfaces.binary_search(&t).is_ok()
                } else {
                    sc.supers.get(tc.depth()) == Some(&t) && !tc.supers.is_empty()
                }
            }
        }
    }
}
