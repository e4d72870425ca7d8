//! A small class-file writer for the classes the VM synthesizes to
//! implement `invokedynamic` (lambdas, string concatenation, record
//! methods).
//!
//! Why class files rather than hand-built runtime structures: synthesized
//! classes then take the exact path of every other class (parsing, the
//! verifier, linking, resolution with nestmate access checks), so a bug in
//! the generator shows up as a `VerifyError`, not as heap corruption, and
//! the interpreter needs no special cases. Only forward branches and
//! `full_frame` stack map entries are needed.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use crate::verify::insn::op;

/// A verification type for stack map frames (only references are needed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum VType {
    /// A class or array type, by internal name / descriptor.
    Object(Vec<u8>),
}

/// Constant-pool builder with deduplication.
#[derive(Default)]
pub(crate) struct Pool {
    bytes: Vec<u8>,
    count: u16,
    index: BTreeMap<Vec<u8>, u16>,
}

impl Pool {
    fn add(&mut self, key: Vec<u8>) -> u16 {
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        self.count += 1;
        let i = self.count;
        self.bytes.extend_from_slice(&key);
        self.index.insert(key, i);
        i
    }

    pub fn utf8(&mut self, s: &[u8]) -> u16 {
        let mut k = alloc::vec![1];
        k.extend_from_slice(&(s.len() as u16).to_be_bytes());
        k.extend_from_slice(s);
        self.add(k)
    }

    pub fn class(&mut self, name: &[u8]) -> u16 {
        let n = self.utf8(name);
        let mut k = alloc::vec![7];
        k.extend_from_slice(&n.to_be_bytes());
        self.add(k)
    }

    pub fn nat(&mut self, name: &[u8], desc: &[u8]) -> u16 {
        let (n, d) = (self.utf8(name), self.utf8(desc));
        let mut k = alloc::vec![12];
        k.extend_from_slice(&n.to_be_bytes());
        k.extend_from_slice(&d.to_be_bytes());
        self.add(k)
    }

    fn member(&mut self, tag: u8, class: &[u8], name: &[u8], desc: &[u8]) -> u16 {
        let (c, nt) = (self.class(class), self.nat(name, desc));
        let mut k = alloc::vec![tag];
        k.extend_from_slice(&c.to_be_bytes());
        k.extend_from_slice(&nt.to_be_bytes());
        self.add(k)
    }

    pub fn field(&mut self, class: &[u8], name: &[u8], desc: &[u8]) -> u16 {
        self.member(9, class, name, desc)
    }

    pub fn method(&mut self, class: &[u8], name: &[u8], desc: &[u8], interface: bool) -> u16 {
        self.member(if interface { 11 } else { 10 }, class, name, desc)
    }
}

/// Bytecode of one method, with stack depth tracking and frames.
#[derive(Default)]
pub(crate) struct CodeBuf {
    pub bytes: Vec<u8>,
    depth: i32,
    max_stack: i32,
    pub max_locals: u16,
    frames: Vec<(u16, Vec<VType>, Vec<VType>)>,
}

impl CodeBuf {
    pub fn new(max_locals: u16) -> Self {
        CodeBuf { max_locals, ..CodeBuf::default() }
    }

    /// Emits `bytes` changing the stack depth by `delta` slots.
    pub fn emit(&mut self, bytes: &[u8], delta: i32) {
        self.bytes.extend_from_slice(bytes);
        self.depth += delta;
        self.max_stack = self.max_stack.max(self.depth);
    }

    pub fn op(&mut self, opcode: u8, delta: i32) {
        self.emit(&[opcode], delta);
    }

    pub fn op_u2(&mut self, opcode: u8, index: u16, delta: i32) {
        let [a, b] = index.to_be_bytes();
        self.emit(&[opcode, a, b], delta);
    }

    /// A forward branch; returns the instruction's offset for [`CodeBuf::patch`].
    pub fn branch(&mut self, opcode: u8, delta: i32) -> usize {
        let at = self.bytes.len();
        self.emit(&[opcode, 0, 0], delta);
        at
    }

    /// Points the branch at `insn` to the current offset.
    pub fn patch(&mut self, insn: usize) {
        let off = (self.bytes.len() - insn) as i16;
        self.bytes[insn + 1..insn + 3].copy_from_slice(&off.to_be_bytes());
    }

    /// Records a full frame at the current offset and resets the depth to it.
    pub fn frame(&mut self, locals: Vec<VType>, stack: Vec<VType>) {
        self.depth = stack.len() as i32;
        self.frames.push((self.bytes.len() as u16, locals, stack));
    }

    /// Loads local `slot` of a value with descriptor `d`.
    pub fn load(&mut self, d: &[u8], slot: u16) {
        let (opcode, size) = match d[0] {
            b'J' => (op::LLOAD, 2),
            b'D' => (op::DLOAD, 2),
            b'F' => (op::FLOAD, 1),
            b'L' | b'[' => (op::ALOAD, 1),
            _ => (op::ILOAD, 1),
        };
        if slot <= 255 {
            self.emit(&[opcode, slot as u8], size);
        } else {
            let [a, b] = slot.to_be_bytes();
            self.emit(&[op::WIDE, opcode, a, b], size);
        }
    }

    /// The return instruction for descriptor `d` (`V` for void).
    pub fn ret(&mut self, d: &[u8]) {
        let opcode = match d[0] {
            b'V' => op::RETURN,
            b'J' => op::LRETURN,
            b'D' => op::DRETURN,
            b'F' => op::FRETURN,
            b'L' | b'[' => op::ARETURN,
            _ => op::IRETURN,
        };
        self.op(opcode, -slots(d));
    }
}

/// Slots of a value with descriptor `d`.
pub(crate) fn slots(d: &[u8]) -> i32 {
    match d.first() {
        Some(b'J' | b'D') => 2,
        Some(b'V') | None => 0,
        _ => 1,
    }
}

/// Splits a method descriptor into parameter and return descriptors.
pub(crate) fn split_descriptor(desc: &[u8]) -> Option<(Vec<Vec<u8>>, Vec<u8>)> {
    if desc.first() != Some(&b'(') {
        return None;
    }
    let mut params = Vec::new();
    let mut i = 1;
    while *desc.get(i)? != b')' {
        let start = i;
        while desc[i] == b'[' {
            i += 1;
        }
        if desc[i] == b'L' {
            i += desc[i..].iter().position(|&b| b == b';')?;
        }
        i += 1;
        params.push(desc[start..i].to_vec());
    }
    Some((params, desc[i + 1..].to_vec()))
}

/// A class being written.
pub(crate) struct ClassWriter {
    pub pool: Pool,
    flags: u16,
    this: u16,
    super_class: u16,
    interfaces: Vec<u16>,
    fields: Vec<u8>,
    field_count: u16,
    methods: Vec<u8>,
    method_count: u16,
}

impl ClassWriter {
    pub fn new(name: &[u8], super_name: &[u8], interfaces: &[Vec<u8>], flags: u16) -> Self {
        let mut pool = Pool::default();
        let this = pool.class(name);
        let super_class = pool.class(super_name);
        let interfaces = interfaces.iter().map(|i| pool.class(i)).collect();
        ClassWriter {
            pool,
            flags,
            this,
            super_class,
            interfaces,
            fields: Vec::new(),
            field_count: 0,
            methods: Vec::new(),
            method_count: 0,
        }
    }

    pub fn field(&mut self, flags: u16, name: &[u8], desc: &[u8]) {
        let (n, d) = (self.pool.utf8(name), self.pool.utf8(desc));
        for v in [flags, n, d, 0] {
            self.fields.extend_from_slice(&v.to_be_bytes());
        }
        self.field_count += 1;
    }

    /// A method; `code` is `None` for native and abstract methods.
    pub fn method(&mut self, flags: u16, name: &[u8], desc: &[u8], code: Option<CodeBuf>) {
        let (n, d) = (self.pool.utf8(name), self.pool.utf8(desc));
        for v in [flags, n, d] {
            self.methods.extend_from_slice(&v.to_be_bytes());
        }
        self.method_count += 1;
        let Some(code) = code else {
            self.methods.extend_from_slice(&0u16.to_be_bytes());
            return;
        };
        self.methods.extend_from_slice(&1u16.to_be_bytes());
        let mut attr = Vec::new();
        attr.extend_from_slice(&(code.max_stack.max(0) as u16).to_be_bytes());
        attr.extend_from_slice(&code.max_locals.to_be_bytes());
        attr.extend_from_slice(&(code.bytes.len() as u32).to_be_bytes());
        attr.extend_from_slice(&code.bytes);
        attr.extend_from_slice(&0u16.to_be_bytes());
        if code.frames.is_empty() {
            attr.extend_from_slice(&0u16.to_be_bytes());
        } else {
            attr.extend_from_slice(&1u16.to_be_bytes());
            let smt = self.pool.utf8(b"StackMapTable");
            let mut table = Vec::new();
            table.extend_from_slice(&(code.frames.len() as u16).to_be_bytes());
            let mut prev: Option<u16> = None;
            for (offset, locals, stack) in &code.frames {
                let delta = match prev {
                    None => *offset,
                    Some(p) => offset - p - 1,
                };
                prev = Some(*offset);
                table.push(255);
                table.extend_from_slice(&delta.to_be_bytes());
                for list in [locals, stack] {
                    table.extend_from_slice(&(list.len() as u16).to_be_bytes());
                    for t in list {
                        self.vtype(&mut table, t);
                    }
                }
            }
            attr.extend_from_slice(&smt.to_be_bytes());
            attr.extend_from_slice(&(table.len() as u32).to_be_bytes());
            attr.extend_from_slice(&table);
        }
        let code_name = self.pool.utf8(b"Code");
        self.methods.extend_from_slice(&code_name.to_be_bytes());
        self.methods.extend_from_slice(&(attr.len() as u32).to_be_bytes());
        self.methods.extend_from_slice(&attr);
    }

    fn vtype(&mut self, out: &mut Vec<u8>, t: &VType) {
        match t {
            VType::Object(n) => {
                let c = self.pool.class(n);
                out.push(7);
                out.extend_from_slice(&c.to_be_bytes());
            }
        }
    }

    pub fn finish(self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.pool.bytes.len() + self.methods.len() + 64);
        out.extend_from_slice(&0xCAFE_BABEu32.to_be_bytes());
        out.extend_from_slice(&0u16.to_be_bytes());
        out.extend_from_slice(&61u16.to_be_bytes());
        out.extend_from_slice(&(self.pool.count + 1).to_be_bytes());
        out.extend_from_slice(&self.pool.bytes);
        for v in [self.flags, self.this, self.super_class, self.interfaces.len() as u16] {
            out.extend_from_slice(&v.to_be_bytes());
        }
        for i in &self.interfaces {
            out.extend_from_slice(&i.to_be_bytes());
        }
        out.extend_from_slice(&self.field_count.to_be_bytes());
        out.extend_from_slice(&self.fields);
        out.extend_from_slice(&self.method_count.to_be_bytes());
        out.extend_from_slice(&self.methods);
        out.extend_from_slice(&0u16.to_be_bytes());
        out
    }
}
