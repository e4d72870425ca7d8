//! Preparation (JVMS 5.4.2) and the VM's own structures for a class: field
//! layout, statics, method table, vtable, the runtime constant pool, and
//! stack maps reduced to reference bits for the collector.
//!
//! Field layout: a subclass's fields follow its superclass's (so a field
//! has one offset in every subclass), declared instance fields sorted by
//! size (largest first, each naturally aligned) to keep objects small.
//! The VM injects hidden fields it needs into two library classes:
//! `java/lang/Class` gets the class id of the mirrored class, and
//! `java/lang/Throwable` a reference to its backtrace.
//!
//! Vtables: a copy of the superclass's, where each declared method takes
//! over every slot whose method it overrides (JVMS 5.4.5, package-private
//! methods only within their package) or gets a new slot. Interface
//! methods never get vtable slots: calls through them select by lookup
//! with a per-class cache (`Class::itable`), which also covers default
//! methods and maximally-specific selection.

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::rc::Rc;
use alloc::vec::Vec;
use core::cell::RefCell;

use crate::classfile::constant_pool::Constant;
use crate::classfile::flags::*;
use crate::classfile::{Attribute, ClassFile, StackMapFrame, VerificationType};
use crate::heap::{Layout, Ref};
use crate::verify::env::package_of;

use super::class::*;
use super::Vm;

/// Names of the injected hidden fields (not valid Java identifiers).
pub(crate) const HIDDEN_CLASS_ID: &[u8] = b"<classId>";
pub(crate) const HIDDEN_BACKTRACE: &[u8] = b"<backtrace>";

/// A field to lay out: name, descriptor, flags, kind, ConstantValue index.
type FieldDecl = (Box<[u8]>, Box<[u8]>, u16, ValueKind, Option<u16>);

impl Vm {
    /// Builds the runtime class for a parsed class file whose superclass
    /// and superinterfaces are loaded.
    pub(crate) fn prepare_class(
        &mut self,
        cf: &ClassFile<'_>,
        super_class: Option<ClassId>,
        interfaces: Vec<ClassId>,
    ) -> Result<ClassId, LinkError> {
        let id = ClassId(self.classes.len() as u32);
        let name: &[u8] = cf.name();
        let is_interface = cf.is_interface();
        // Its statics and methods join arrays the JIT context points into.
        self.note_moved();

        // ---- fields ----
        let (mut field_bytes, mut ref_offsets) = match super_class {
            Some(s) => (self.classes[s.ix()].field_bytes, self.classes[s.ix()].ref_offsets.clone()),
            None => (0, Vec::new()),
        };
        let mut field_ids = Vec::with_capacity(cf.fields.len());
        let mut instance: Vec<(usize, ValueKind)> = Vec::new();
        let mut decls: Vec<FieldDecl> = Vec::new();
        for f in &cf.fields {
            let kind = ValueKind::from_descriptor_byte(f.descriptor[0]);
            decls.push((f.name.into(), f.descriptor.into(), f.access_flags, kind, f.constant_value()));
        }
        if name == b"java/lang/Class" {
            decls.push((
                HIDDEN_CLASS_ID.into(),
                (*b"I").into(),
                ACC_PRIVATE | ACC_FINAL | ACC_SYNTHETIC,
                ValueKind::Int,
                None,
            ));
        }
        if name == b"java/lang/Throwable" {
            decls.push((
                HIDDEN_BACKTRACE.into(),
                (*b"Ljava/lang/Object;").into(),
                ACC_PRIVATE | ACC_TRANSIENT | ACC_SYNTHETIC,
                ValueKind::Ref,
                None,
            ));
        }
        let first_field = self.fields.len();
        for (i, (fname, desc, flags, kind, cv)) in decls.into_iter().enumerate() {
            let offset = if flags & ACC_STATIC != 0 {
                if kind == ValueKind::Ref {
                    self.static_refs.push(Ref::NULL);
                    (self.static_refs.len() - 1) as u32
                } else {
                    self.static_prims.push(0);
                    (self.static_prims.len() - 1) as u32
                }
            } else {
                instance.push((i, kind));
                0
            };
            let fid = FieldId(self.fields.len() as u32);
            self.fields.push(Field {
                class: id,
                name: fname,
                descriptor: desc,
                flags,
                kind,
                offset,
                constant_value: if flags & ACC_STATIC != 0 { cv } else { None },
            });
            field_ids.push(fid);
        }
        // Largest first; stable, so declaration order breaks ties.
        instance.sort_by_key(|&(_, k)| core::cmp::Reverse(k.size()));
        for (i, kind) in instance {
            let size = kind.size();
            let at = (field_bytes + size - 1) & !(size - 1);
            if at.checked_add(size).is_none_or(|e| e > crate::heap::MAX_FIELD_BYTES) {
                return Err(LinkError::new("java/lang/ClassFormatError", "too many instance fields"));
            }
            self.fields[first_field + i].offset = at;
            if kind == ValueKind::Ref {
                ref_offsets.push(at);
            }
            field_bytes = at + size;
        }

        // ---- methods ----
        let mut method_ids = Vec::with_capacity(cf.methods.len());
        let mut clinit = None;
        for m in &cf.methods {
            let Some(info) = desc_info(m.descriptor) else {
                return Err(LinkError::new("java/lang/ClassFormatError", "bad method descriptor"));
            };
            let is_static = m.access_flags & ACC_STATIC != 0;
            let mut arg_refs = Vec::with_capacity(info.arg_refs.len() + 1);
            if !is_static {
                arg_refs.push(1);
            }
            arg_refs.extend_from_slice(&info.arg_refs);
            let code = m.code().map(|c| Rc::new(convert_code(cf, m, c)));
            let mid = MethodId(self.methods.len() as u32);
            if m.name == b"<clinit>" && is_static {
                clinit = Some(mid);
            }
            self.methods.push(Method {
                class: id,
                name: m.name.into(),
                descriptor: m.descriptor.into(),
                flags: m.access_flags,
                arg_slots: arg_refs.len() as u16,
                arg_ref_mask: arg_refs.iter().take(64).enumerate().fold(0, |m, (i, &r)| m | u64::from(r) << i),
                arg_refs: arg_refs.into_boxed_slice(),
                ret: info.ret,
                vtable_index: NO_VTABLE,
                code,
                native: None,
                twin: None,
                quick_twin: None,
                raw: None,
                leaf: None,
            });
            method_ids.push(mid);
        }

        // ---- vtable ----
        let mut vtable = match super_class {
            Some(s) if !is_interface => self.classes[s.ix()].vtable.clone(),
            _ => Vec::new(),
        };
        if !is_interface {
            for &mid in &method_ids {
                let m = &self.methods[mid.ix()];
                if m.is_static() || m.is_private() || m.name.first() == Some(&b'<') {
                    continue;
                }
                let mut assigned = NO_VTABLE;
                for (i, slot) in vtable.iter_mut().enumerate() {
                    let s = &self.methods[slot.ix()];
                    if s.name != m.name || s.descriptor != m.descriptor {
                        continue;
                    }
                    let overrides = s.flags & (ACC_PUBLIC | ACC_PROTECTED) != 0
                        || package_of(&self.classes[s.class.ix()].name) == package_of(name);
                    if overrides {
                        *slot = mid;
                        if assigned == NO_VTABLE {
                            assigned = i as u32;
                        }
                    }
                }
                if assigned == NO_VTABLE {
                    assigned = vtable.len() as u32;
                    vtable.push(mid);
                }
                self.methods[mid.ix()].vtable_index = assigned;
            }
        }

        // ---- hierarchy ----
        let mut all_interfaces: Vec<ClassId> = interfaces.clone();
        if let Some(s) = super_class {
            all_interfaces.extend_from_slice(&self.classes[s.ix()].all_interfaces);
        }
        for &i in &interfaces {
            all_interfaces.extend_from_slice(&self.classes[i.ix()].all_interfaces);
        }
        all_interfaces.sort_unstable();
        all_interfaces.dedup();
        let mut supers = match super_class {
            Some(s) => self.classes[s.ix()].supers.clone(),
            None => Vec::new(),
        };
        supers.push(id);

        // ---- heap layout ----
        let layout = if is_interface {
            None
        } else {
            let l = self
                .heap
                .register_layout(&Layout::instance(field_bytes, &ref_offsets))
                .map_err(|e| LinkError::new("java/lang/ClassFormatError", format!("{e}")))?;
            debug_assert_eq!(l.index() as usize, self.layout_class.len());
            self.layout_class.push(id);
            Some(l)
        };

        // ---- constant pool and attributes ----
        let cp = convert_cp(cf);
        let mut bootstraps = Vec::new();
        let mut source_file = None;
        let mut nest_host = NestHost::Resolved(id);
        let mut nest_members = Vec::new();
        for a in &cf.attributes {
            match a {
                Attribute::SourceFile { index } => source_file = cf.constant_pool.utf8(*index).map(Box::from),
                Attribute::NestHost { class_index } => nest_host = NestHost::Unresolved(*class_index),
                Attribute::NestMembers(list) => {
                    nest_members = list.iter().filter_map(|&i| cf.constant_pool.class_name(i)).map(Box::from).collect()
                }
                Attribute::BootstrapMethods(list) => {
                    bootstraps = list
                        .iter()
                        .map(|b| Bootstrap {
                            method_handle: b.method_ref,
                            args: b.arguments.clone().into_boxed_slice(),
                        })
                        .collect()
                }
                _ => {}
            }
        }

        let class = Class {
            name: name.into(),
            flags: cf.access_flags,
            kind: ClassKind::Instance,
            major: cf.major_version,
            super_class,
            interfaces,
            all_interfaces,
            supers,
            state: InitState::Loaded,
            link_error: None,
            layout,
            field_bytes,
            ref_offsets,
            fields: field_ids,
            methods: method_ids,
            vtable,
            itable: BTreeMap::new(),
            cp,
            bootstraps,
            source_file,
            nest_host,
            nest_members,
            clinit,
            pending_bytes: None,
            array_class: None,
            synthetic: None,
        };
        let pushed = self.push_class(class);
        debug_assert_eq!(pushed, id);
        self.note_well_known(id);
        Ok(id)
    }

    /// Records classes and field offsets the VM depends on.
    fn note_well_known(&mut self, id: ClassId) {
        let name: &[u8] = &self.classes[id.ix()].name;
        let field = |vm: &Vm, n: &[u8], d: &[u8]| {
            vm.classes[id.ix()]
                .fields
                .iter()
                .map(|f| &vm.fields[f.ix()])
                .find(|f| &*f.name == n && &*f.descriptor == d && !f.is_static())
                .map(|f| f.offset)
        };
        match name {
            b"java/lang/Object" => self.wk.object = Some(id),
            b"java/lang/String" => {
                self.wk.string = Some(id);
                self.wk.string_value = field(self, b"value", b"[C");
                self.wk.string_hash = field(self, b"hash", b"I");
            }
            b"java/lang/Class" => {
                self.wk.class = Some(id);
                self.wk.class_id_field = field(self, HIDDEN_CLASS_ID, b"I");
            }
            b"java/lang/Throwable" => {
                self.wk.throwable = Some(id);
                self.wk.backtrace_field = field(self, HIDDEN_BACKTRACE, b"Ljava/lang/Object;");
            }
            b"java/lang/Error" => self.wk.error = Some(id),
            b"java/lang/Cloneable" => self.wk.cloneable = Some(id),
            b"java/io/Serializable" => self.wk.serializable = Some(id),
            b"java/lang/Thread" => self.wk.thread = Some(id),
            _ => {}
        }
    }
}

fn convert_cp(cf: &ClassFile<'_>) -> Vec<CpEntry> {
    let pool = &cf.constant_pool;
    let mut out = alloc::vec![CpEntry::Empty; usize::from(pool.count())];
    for (i, c) in pool.iter() {
        out[usize::from(i)] = match *c {
            Constant::Unusable => CpEntry::Empty,
            Constant::Utf8(b) => CpEntry::Utf8(b.into()),
            Constant::Integer(v) => CpEntry::Int(v),
            Constant::Float(v) => CpEntry::Float(v),
            Constant::Long(v) => CpEntry::Long(v),
            Constant::Double(v) => CpEntry::Double(v),
            Constant::Class { name_index } => CpEntry::Class { name: name_index, res: Res::Unresolved },
            Constant::String { string_index } => CpEntry::String { utf8: string_index, interned: None },
            Constant::Fieldref { class_index, name_and_type_index } => {
                CpEntry::Field { class: class_index, nat: name_and_type_index, res: Res::Unresolved }
            }
            Constant::Methodref { class_index, name_and_type_index } => {
                CpEntry::Method { class: class_index, nat: name_and_type_index, interface: false, res: Res::Unresolved }
            }
            Constant::InterfaceMethodref { class_index, name_and_type_index } => {
                CpEntry::Method { class: class_index, nat: name_and_type_index, interface: true, res: Res::Unresolved }
            }
            Constant::NameAndType { name_index, descriptor_index } => {
                CpEntry::NameAndType { name: name_index, descriptor: descriptor_index }
            }
            Constant::MethodHandle { reference_kind, reference_index } => {
                CpEntry::MethodHandle { kind: reference_kind, index: reference_index }
            }
            Constant::MethodType { descriptor_index } => CpEntry::MethodType { descriptor: descriptor_index },
            Constant::Dynamic { bootstrap_method_attr_index, name_and_type_index } => {
                CpEntry::Dynamic { bsm: bootstrap_method_attr_index, nat: name_and_type_index }
            }
            Constant::InvokeDynamic { bootstrap_method_attr_index, name_and_type_index } => CpEntry::InvokeDynamic {
                bsm: bootstrap_method_attr_index,
                nat: name_and_type_index,
                res: Res::Unresolved,
            },
            Constant::Module { .. } | Constant::Package { .. } => CpEntry::Other,
        };
    }
    out
}

fn convert_code(cf: &ClassFile<'_>, m: &crate::classfile::Method<'_>, code: &crate::classfile::Code<'_>) -> Code {
    let handlers: Vec<Handler> = code
        .exception_table
        .iter()
        .map(|h| Handler { start: h.start_pc, end: h.end_pc, pc: h.handler_pc, catch_type: h.catch_type })
        .collect();
    let mut lines: Vec<(u16, u16)> = code.line_numbers().map(|l| (l.start_pc, l.line_number)).collect();
    lines.sort_unstable();
    let frames = convert_frames(cf, m, code);
    Code {
        bytes: code.code.into(),
        max_stack: code.max_stack,
        max_locals: code.max_locals,
        handlers: handlers.into_boxed_slice(),
        lines: lines.into_boxed_slice(),
        frames: frames.into_boxed_slice(),
        refmaps: RefCell::new(BTreeMap::new()),
        quick: core::cell::OnceCell::new(),
        getter: core::cell::OnceCell::new(),
    }
}

/// (is reference, size) of a verification type.
fn vt_bits(v: &VerificationType) -> (u8, u8) {
    match v {
        VerificationType::Top | VerificationType::Integer | VerificationType::Float => (0, 1),
        VerificationType::Long | VerificationType::Double => (0, 2),
        VerificationType::Null
        | VerificationType::UninitializedThis
        | VerificationType::Object { .. }
        | VerificationType::Uninitialized { .. } => (1, 1),
    }
}

fn expand(values: &[(u8, u8)]) -> Box<[u8]> {
    let mut out = Vec::with_capacity(values.len() + 2);
    for &(r, size) in values {
        out.push(r);
        if size == 2 {
            out.push(0);
        }
    }
    out.into_boxed_slice()
}

/// The StackMapTable as reference bits per slot (see `interp::refmap`).
fn convert_frames(
    _cf: &ClassFile<'_>,
    m: &crate::classfile::Method<'_>,
    code: &crate::classfile::Code<'_>,
) -> Vec<MapFrame> {
    let Some(frames) = code.stack_map_table() else {
        return Vec::new();
    };
    let mut locals: Vec<(u8, u8)> = Vec::new();
    if m.access_flags & ACC_STATIC == 0 {
        locals.push((1, 1));
    }
    if let Some(md) = crate::classfile::descriptor::parse_method_descriptor(m.descriptor) {
        for p in &md.parameters {
            locals.push(match p {
                crate::classfile::descriptor::FieldType::Base(
                    crate::classfile::descriptor::BaseType::Long | crate::classfile::descriptor::BaseType::Double,
                ) => (0, 2),
                crate::classfile::descriptor::FieldType::Base(_) => (0, 1),
                _ => (1, 1),
            });
        }
    }
    let mut out = Vec::with_capacity(frames.len());
    for (f, offset) in frames.iter().zip(StackMapFrame::offsets(frames)) {
        let mut stack: Vec<(u8, u8)> = Vec::new();
        match f {
            StackMapFrame::Same { .. } => {}
            StackMapFrame::SameLocals1StackItem { stack: s, .. } => stack.push(vt_bits(s)),
            StackMapFrame::Chop { k, .. } => {
                let k = usize::from(*k).min(locals.len());
                locals.truncate(locals.len() - k);
            }
            StackMapFrame::Append { locals: add, .. } => locals.extend(add.iter().map(vt_bits)),
            StackMapFrame::Full { locals: l, stack: s, .. } => {
                locals = l.iter().map(vt_bits).collect();
                stack = s.iter().map(vt_bits).collect();
            }
        }
        out.push(MapFrame { pc: offset as u16, locals: expand(&locals), stack: expand(&stack) });
    }
    out
}
