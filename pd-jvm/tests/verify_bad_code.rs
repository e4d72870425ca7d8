//! Bad code: small methods assembled in code (and a few patched javac
//! classes), each rejected with the right `VerifyErrorKind` and a message
//! that says what and where; plus a mutation run that must never panic.

mod common;

use std::collections::HashMap;

use pd_jvm::classfile::{self, flags::*, ClassFile};
use pd_jvm::verify::{
    verify_class, verify_method, ClassInfo, ClassSet, FrameNeed, Place, VerifyError, VerifyErrorKind as K,
};

// ---- a minimal class-file assembler ----

/// Constant pool plus the class being assembled.
struct Asm {
    cp: Vec<u8>,
    count: u16,
    seen: HashMap<Vec<u8>, u16>,
    name: String,
    super_name: String,
    flags: u16,
    major: u16,
    interfaces: Vec<u16>,
    fields: Vec<(u16, u16, u16)>,
    methods: Vec<Vec<u8>>,
}

/// A full_frame: (offset, locals, stack), each type already encoded.
type FullFrame = (u16, Vec<Vec<u8>>, Vec<Vec<u8>>);

/// One method's code.
struct M<'s> {
    flags: u16,
    name: &'s str,
    desc: &'s str,
    max_stack: u16,
    max_locals: u16,
    code: Vec<u8>,
    /// (start, end, handler, catch class index)
    handlers: Vec<(u16, u16, u16, u16)>,
    /// Full frames: (offset, locals, stack), each type already encoded.
    frames: Vec<FullFrame>,
}

impl Default for M<'_> {
    fn default() -> Self {
        M {
            flags: ACC_PUBLIC | ACC_STATIC,
            name: "bar",
            desc: "()V",
            max_stack: 4,
            max_locals: 4,
            code: vec![],
            handlers: vec![],
            frames: vec![],
        }
    }
}

fn be(v: u16) -> [u8; 2] {
    v.to_be_bytes()
}

impl Asm {
    fn new(name: &str) -> Asm {
        Asm::with_super(name, "java/lang/Object")
    }

    fn with_super(name: &str, super_name: &str) -> Asm {
        let mut a = Asm {
            cp: vec![],
            count: 0,
            seen: HashMap::new(),
            name: name.into(),
            super_name: super_name.into(),
            flags: ACC_PUBLIC | ACC_SUPER,
            major: 61,
            interfaces: vec![],
            fields: vec![],
            methods: vec![],
        };
        a.class(name);
        a.class(super_name);
        a
    }

    fn entry(&mut self, bytes: Vec<u8>, slots: u16) -> u16 {
        if let Some(&i) = self.seen.get(&bytes) {
            return i;
        }
        let i = self.count + 1;
        self.cp.extend_from_slice(&bytes);
        self.count += slots;
        self.seen.insert(bytes, i);
        i
    }
    fn utf8(&mut self, s: &str) -> u16 {
        let mut e = vec![1];
        e.extend(be(s.len() as u16));
        e.extend(s.as_bytes());
        self.entry(e, 1)
    }
    fn class(&mut self, name: &str) -> u16 {
        let n = self.utf8(name);
        let mut e = vec![7];
        e.extend(be(n));
        self.entry(e, 1)
    }
    fn int(&mut self, v: i32) -> u16 {
        let mut e = vec![3];
        e.extend(v.to_be_bytes());
        self.entry(e, 1)
    }
    fn long(&mut self, v: i64) -> u16 {
        let mut e = vec![5];
        e.extend(v.to_be_bytes());
        self.entry(e, 2)
    }
    fn string(&mut self, s: &str) -> u16 {
        let n = self.utf8(s);
        let mut e = vec![8];
        e.extend(be(n));
        self.entry(e, 1)
    }
    fn member(&mut self, tag: u8, class: &str, name: &str, desc: &str) -> u16 {
        let c = self.class(class);
        let (n, d) = (self.utf8(name), self.utf8(desc));
        let mut nat = vec![12];
        nat.extend(be(n));
        nat.extend(be(d));
        let nat = self.entry(nat, 1);
        let mut e = vec![tag];
        e.extend(be(c));
        e.extend(be(nat));
        self.entry(e, 1)
    }
    fn field_ref(&mut self, class: &str, name: &str, desc: &str) -> u16 {
        self.member(9, class, name, desc)
    }
    fn method_ref(&mut self, class: &str, name: &str, desc: &str) -> u16 {
        self.member(10, class, name, desc)
    }
    fn imethod_ref(&mut self, class: &str, name: &str, desc: &str) -> u16 {
        self.member(11, class, name, desc)
    }
    fn field(&mut self, flags: u16, name: &str, desc: &str) {
        let (n, d) = (self.utf8(name), self.utf8(desc));
        self.fields.push((flags, n, d));
    }

    fn method(&mut self, m: M<'_>) {
        let (n, d) = (self.utf8(m.name), self.utf8(m.desc));
        let code_name = self.utf8("Code");
        let mut code = vec![];
        code.extend(be(m.max_stack));
        code.extend(be(m.max_locals));
        code.extend((m.code.len() as u32).to_be_bytes());
        code.extend(&m.code);
        code.extend(be(m.handlers.len() as u16));
        for h in &m.handlers {
            for v in [h.0, h.1, h.2, h.3] {
                code.extend(be(v));
            }
        }
        if m.frames.is_empty() {
            code.extend(be(0));
        } else {
            let smt = self.utf8("StackMapTable");
            let mut body = vec![];
            body.extend(be(m.frames.len() as u16));
            let mut prev: Option<u16> = None;
            for (off, locals, stack) in &m.frames {
                let delta = match prev {
                    None => *off,
                    Some(p) => off - p - 1,
                };
                prev = Some(*off);
                body.push(255);
                body.extend(be(delta));
                body.extend(be(locals.len() as u16));
                locals.iter().for_each(|t| body.extend(t));
                body.extend(be(stack.len() as u16));
                stack.iter().for_each(|t| body.extend(t));
            }
            code.extend(be(1));
            code.extend(be(smt));
            code.extend((body.len() as u32).to_be_bytes());
            code.extend(body);
        }
        let mut out = vec![];
        out.extend(be(m.flags));
        out.extend(be(n));
        out.extend(be(d));
        out.extend(be(1));
        out.extend(be(code_name));
        out.extend((code.len() as u32).to_be_bytes());
        out.extend(code);
        self.methods.push(out);
    }

    fn finish(&mut self) -> Vec<u8> {
        let this = self.class(&self.name.clone());
        let sup = self.class(&self.super_name.clone());
        let mut v = vec![0xCA, 0xFE, 0xBA, 0xBE, 0, 0];
        v.extend(be(self.major));
        v.extend(be(self.count + 1));
        v.extend(&self.cp);
        v.extend(be(self.flags));
        v.extend(be(this));
        v.extend(be(sup));
        v.extend(be(self.interfaces.len() as u16));
        self.interfaces.iter().for_each(|i| v.extend(be(*i)));
        v.extend(be(self.fields.len() as u16));
        for (f, n, d) in &self.fields {
            v.extend(be(*f));
            v.extend(be(*n));
            v.extend(be(*d));
            v.extend(be(0));
        }
        v.extend(be(self.methods.len() as u16));
        self.methods.iter().for_each(|m| v.extend(m));
        v.extend(be(0));
        v
    }
}

// Verification type encodings for frames.
const T_INT: [u8; 1] = [1];
const T_FLOAT: [u8; 1] = [2];
fn t_obj(index: u16) -> Vec<u8> {
    let mut v = vec![7];
    v.extend(be(index));
    v
}
fn t_uninit(offset: u16) -> Vec<u8> {
    let mut v = vec![8];
    v.extend(be(offset));
    v
}

fn verify_bytes_with(bytes: &[u8], env: &mut ClassSet) -> Result<(), VerifyError> {
    let class = classfile::parse(bytes).unwrap_or_else(|e| panic!("test class does not parse: {e}"));
    env.add(&class);
    verify_class(&class, env)
}

fn verify_bytes(bytes: &[u8]) -> Result<(), VerifyError> {
    verify_bytes_with(bytes, &mut ClassSet::with_java_lang())
}

/// Assemble `Foo` with the single method `m` and verify it.
fn one(m: M<'_>) -> Result<(), VerifyError> {
    let mut a = Asm::new("Foo");
    a.method(m);
    verify_bytes(&a.finish())
}

fn code(code: &[u8]) -> M<'static> {
    M { code: code.to_vec(), ..M::default() }
}

#[track_caller]
fn expect_err(r: Result<(), VerifyError>) -> VerifyError {
    match r {
        Ok(()) => panic!("expected a VerifyError, but the code verified"),
        Err(e) => {
            println!("{e}");
            e
        }
    }
}

// ---- the corpus ----

#[test]
fn valid_assembled_methods_verify() {
    // Sanity: the assembler produces verifiable code.
    one(M { desc: "(I)I", code: vec![0x1a, 0x04, 0x60, 0xac], ..M::default() }).unwrap();
    // if/else with full frames: iload_0; ifeq 8; iconst_1; ireturn; [8] iconst_0; ireturn
    let mut a = Asm::new("Foo");
    a.method(M {
        desc: "(I)I",
        code: vec![0x1a, 0x99, 0x00, 0x05, 0x04, 0xac, 0x03, 0xac],
        frames: vec![(6, vec![T_INT.to_vec()], vec![])],
        ..M::default()
    });
    verify_bytes(&a.finish()).unwrap();
    // baload works on boolean[] and byte[].
    one(M { desc: "([Z[B)I", code: vec![0x2a, 0x03, 0x33, 0x2b, 0x03, 0x33, 0x60, 0xac], ..M::default() }).unwrap();
}

#[test]
fn stack_underflow() {
    let e = expect_err(one(M { desc: "()I", code: vec![0x04, 0x60, 0xac], ..M::default() }));
    assert!(matches!(e.kind(), K::StackUnderflow { .. }), "{e}");
    assert_eq!(e.offset(), Some(1));
    assert!(e.to_string().contains("(iadd): operand stack underflow: expected int"), "{e}");
}

#[test]
fn stack_overflow_past_max_stack() {
    let e = expect_err(one(M { desc: "()I", max_stack: 1, code: vec![0x04, 0x05, 0x60, 0xac], ..M::default() }));
    assert!(matches!(e.kind(), K::StackOverflow { max_stack: 1 }), "{e}");
    assert_eq!(e.offset(), Some(1));
    // A long needs two slots.
    let e = expect_err(one(M { desc: "()J", max_stack: 1, code: vec![0x09, 0xad], ..M::default() }));
    assert!(matches!(e.kind(), K::StackOverflow { .. }), "{e}");
}

#[test]
fn iadd_on_float() {
    // iload_0; fconst_1; nop x 10; iadd at offset 12
    let mut c = vec![0x1a, 0x0c];
    c.extend([0; 10]);
    c.extend([0x60, 0xac]);
    let e = expect_err(one(M { desc: "(I)I", code: c, ..M::default() }));
    assert_eq!(
        e.to_string(),
        "VerifyError: Foo.bar(I)I at bytecode offset 12 (iadd): expected int on the operand stack, found float"
    );
    assert!(matches!(e.kind(), K::TypeMismatch { place: Place::Stack, .. }));
    assert_eq!(e.class_name(), "Foo");
    assert_eq!(e.method(), Some("bar(I)I"));
}

#[test]
fn aload_of_an_int_local() {
    let e = expect_err(one(M { desc: "(I)Ljava/lang/Object;", code: vec![0x2a, 0xb0], ..M::default() }));
    assert!(matches!(e.kind(), K::TypeMismatch { place: Place::Local(0), .. }), "{e}");
    assert!(e.to_string().ends_with("(aload_0): expected a reference in local variable 0, found int"), "{e}");
    // And the other way round: iload of a reference.
    let e = expect_err(one(M { desc: "(Ljava/lang/String;)I", code: vec![0x1a, 0xac], ..M::default() }));
    assert!(e.to_string().ends_with("expected int in local variable 0, found java/lang/String"), "{e}");
}

#[test]
fn putfield_wrong_type() {
    let mut a = Asm::new("Foo");
    a.field(0, "x", "I");
    let x = a.field_ref("Foo", "x", "I");
    a.method(M { flags: ACC_PUBLIC, code: vec![0x2a, 0x0b, 0xb5, be(x)[0], be(x)[1], 0xb1], ..M::default() });
    let e = expect_err(verify_bytes(&a.finish()));
    assert!(
        e.to_string().ends_with("at bytecode offset 2 (putfield): expected int on the operand stack, found float"),
        "{e}"
    );
    // putfield on an object of the wrong class.
    let mut a = Asm::new("Foo");
    a.field(0, "x", "I");
    let x = a.field_ref("Foo", "x", "I");
    a.method(M {
        flags: ACC_PUBLIC,
        desc: "(Ljava/lang/String;)V",
        code: vec![0x2b, 0x03, 0xb5, be(x)[0], be(x)[1], 0xb1],
        ..M::default()
    });
    let e = expect_err(verify_bytes(&a.finish()));
    assert!(e.to_string().ends_with("expected Foo on the operand stack, found java/lang/String"), "{e}");
}

#[test]
fn return_type_mismatch() {
    let e = expect_err(one(M { desc: "()I", code: vec![0x0b, 0xae], ..M::default() }));
    assert!(matches!(e.kind(), K::BadReturn { .. }), "{e}");
    assert!(e.to_string().ends_with("(freturn): wrong return instruction: the method returns int"), "{e}");
    let e = expect_err(one(M { desc: "()V", code: vec![0x03, 0xac], ..M::default() }));
    assert!(matches!(e.kind(), K::BadReturn { .. }), "{e}");
    let e =
        expect_err(one(M { desc: "(Ljava/lang/Object;)Ljava/lang/String;", code: vec![0x2a, 0xb0], ..M::default() }));
    assert!(e
        .to_string()
        .ends_with("(areturn): expected java/lang/String on the operand stack, found java/lang/Object"));
    let e = expect_err(one(M { desc: "()J", code: vec![0x03, 0xad], ..M::default() }));
    assert!(e.to_string().ends_with("(lreturn): expected long on the operand stack, found int"), "{e}");
}

#[test]
fn branch_into_the_middle_of_an_instruction() {
    // goto 4; sipush (3..6); return
    let e = expect_err(one(code(&[0xa7, 0x00, 0x04, 0x11, 0x00, 0x01, 0xb1])));
    assert!(matches!(e.kind(), K::BranchIntoInstruction { target: 4 }), "{e}");
    assert_eq!(e.offset(), Some(0));
    assert!(e.to_string().ends_with("at bytecode offset 0 (goto): branch target 4 is in the middle of an instruction"));
    // A tableswitch case into the middle of an instruction.
    let mut c = vec![0x03, 0xaa, 0, 0]; // iconst_0; tableswitch + padding to 4
    for v in [22i32, 0, 0, 20] {
        c.extend(v.to_be_bytes());
    }
    c.extend([0x11, 0, 0, 0xb1]); // [20] sipush; [23] return; case 0 -> 21 is inside sipush
    let e = expect_err(one(code(&c)));
    assert!(matches!(e.kind(), K::BranchIntoInstruction { target: 21 }), "{e}");
}

#[test]
fn branch_outside_the_code() {
    let e = expect_err(one(code(&[0xa7, 0x00, 0x64, 0xb1])));
    assert!(matches!(e.kind(), K::BranchOutsideCode { target: 100 }), "{e}");
    let e = expect_err(one(code(&[0xb1, 0xa7, 0xff, 0xfe])));
    assert!(matches!(e.kind(), K::BranchOutsideCode { target: -1 }), "{e}");
    let e = expect_err(one(code(&[0xc8, 0x7f, 0xff, 0xff, 0xff])));
    assert!(matches!(e.kind(), K::BranchOutsideCode { .. }), "{e}");
}

#[test]
fn falling_off_the_end_of_the_code() {
    let e = expect_err(one(code(&[0x04, 0x57])));
    assert!(matches!(e.kind(), K::FallsOffEnd), "{e}");
    assert!(e.to_string().ends_with("at bytecode offset 1 (pop): execution falls off the end of the code"));
    // A conditional branch as the last instruction also falls off.
    let mut a = Asm::new("Foo");
    a.method(M {
        desc: "(I)V",
        code: vec![0x1a, 0x99, 0xff, 0xff],
        frames: vec![(0, vec![T_INT.to_vec()], vec![])],
        ..M::default()
    });
    let e = expect_err(verify_bytes(&a.finish()));
    assert!(matches!(e.kind(), K::FallsOffEnd), "{e}");
}

#[test]
fn uninitialized_object_used_before_init() {
    let mut a = Asm::new("Foo");
    let object = a.class("java/lang/Object");
    let hash = a.method_ref("java/lang/Object", "hashCode", "()I");
    a.method(M {
        desc: "()I",
        code: vec![0xbb, be(object)[0], be(object)[1], 0x59, 0xb6, be(hash)[0], be(hash)[1], 0xac],
        ..M::default()
    });
    let e = expect_err(verify_bytes(&a.finish()));
    assert!(
        e.to_string().ends_with(
            "at bytecode offset 4 (invokevirtual): expected java/lang/Object on the operand stack, found uninitialized object from new at 0"
        ),
        "{e}"
    );
    // Storing it in a field is no better.
    let mut a = Asm::new("Foo");
    a.field(ACC_STATIC, "o", "Ljava/lang/Object;");
    let object = a.class("java/lang/Object");
    let o = a.field_ref("Foo", "o", "Ljava/lang/Object;");
    a.method(code(&[0xbb, be(object)[0], be(object)[1], 0xb3, be(o)[0], be(o)[1], 0xb1]));
    let e = expect_err(verify_bytes(&a.finish()));
    assert!(matches!(e.kind(), K::TypeMismatch { .. }), "{e}");
}

#[test]
fn constructor_must_call_super_or_this() {
    // <init>()V: return
    let mut a = Asm::new("Foo");
    a.method(M { flags: ACC_PUBLIC, name: "<init>", code: vec![0xb1], ..M::default() });
    let e = expect_err(verify_bytes(&a.finish()));
    assert!(matches!(e.kind(), K::ThisUninitialized), "{e}");
    assert_eq!(
        e.to_string(),
        "VerifyError: Foo.<init>()V at bytecode offset 0 (return): constructor returns before calling super() or this()"
    );
    // Using `this` before super(): aload_0; invokevirtual hashCode
    let mut a = Asm::new("Foo");
    let hash = a.method_ref("java/lang/Object", "hashCode", "()I");
    a.method(M {
        flags: ACC_PUBLIC,
        name: "<init>",
        code: vec![0x2a, 0xb6, be(hash)[0], be(hash)[1], 0x57, 0xb1],
        ..M::default()
    });
    let e = expect_err(verify_bytes(&a.finish()));
    assert!(e.to_string().ends_with("found uninitializedThis"), "{e}");
    // super() must name the direct superclass.
    let mut a = Asm::new("Foo");
    let init = a.method_ref("java/lang/String", "<init>", "()V");
    a.method(M {
        flags: ACC_PUBLIC,
        name: "<init>",
        code: vec![0x2a, 0xb7, be(init)[0], be(init)[1], 0xb1],
        ..M::default()
    });
    let e = expect_err(verify_bytes(&a.finish()));
    assert!(matches!(e.kind(), K::BadInit(_)), "{e}");
    // new X; invokespecial Y.<init> is a call to the wrong constructor.
    let mut a = Asm::new("Foo");
    let object = a.class("java/lang/Object");
    let init = a.method_ref("java/lang/String", "<init>", "()V");
    a.method(code(&[0xbb, be(object)[0], be(object)[1], 0xb7, be(init)[0], be(init)[1], 0xb1]));
    let e = expect_err(verify_bytes(&a.finish()));
    assert!(matches!(e.kind(), K::BadInit(_)), "{e}");
    // Valid: super() then return; and a field store before super().
    let mut a = Asm::new("Foo");
    a.field(0, "x", "I");
    let x = a.field_ref("Foo", "x", "I");
    let init = a.method_ref("java/lang/Object", "<init>", "()V");
    a.method(M {
        flags: ACC_PUBLIC,
        name: "<init>",
        code: vec![0x2a, 0x04, 0xb5, be(x)[0], be(x)[1], 0x2a, 0xb7, be(init)[0], be(init)[1], 0xb1],
        ..M::default()
    });
    verify_bytes(&a.finish()).unwrap();
}

#[test]
fn missing_stack_map_frame() {
    // iload_0; ifeq 6; iconst_1; ireturn; [6] iconst_0; ireturn -- no StackMapTable
    let c = [0x1a, 0x99, 0x00, 0x05, 0x04, 0xac, 0x03, 0xac];
    let e = expect_err(one(M { desc: "(I)I", code: c.to_vec(), ..M::default() }));
    assert!(matches!(e.kind(), K::MissingFrame { target: 6, need: FrameNeed::BranchTarget }), "{e}");
    assert!(e.to_string().ends_with("at bytecode offset 1 (ifeq): no stack map frame at branch target 6"), "{e}");
    // Code after an unconditional transfer needs a frame too.
    let e = expect_err(one(M { desc: "()I", code: vec![0x03, 0xac, 0x04, 0xac], ..M::default() }));
    assert!(matches!(e.kind(), K::MissingFrame { target: 2, need: FrameNeed::AfterUnconditional }), "{e}");
    // And exception handlers.
    let mut a = Asm::new("Foo");
    let thr = a.class("java/lang/Throwable");
    a.method(M { code: vec![0x00, 0xb1, 0x57, 0xb1], handlers: vec![(0, 1, 2, thr)], ..M::default() });
    let e = expect_err(verify_bytes(&a.finish()));
    assert!(matches!(e.kind(), K::MissingFrame { target: 2, need: FrameNeed::Handler }), "{e}");
}

#[test]
fn frame_mismatch() {
    let c = vec![0x1a, 0x99, 0x00, 0x05, 0x04, 0xac, 0x03, 0xac];
    let mut a = Asm::new("Foo");
    a.method(M { desc: "(I)I", code: c.clone(), frames: vec![(6, vec![T_FLOAT.to_vec()], vec![])], ..M::default() });
    let e = expect_err(verify_bytes(&a.finish()));
    assert!(matches!(e.kind(), K::FrameMismatch { target: 6, .. }), "{e}");
    assert!(
        e.to_string().ends_with(
            "(ifeq): type state does not match the stack map frame at branch target 6: local variable 0 is int, the frame has float"
        ),
        "{e}"
    );
    // A frame with a different stack depth.
    let mut a = Asm::new("Foo");
    a.method(M {
        desc: "(I)I",
        code: c,
        frames: vec![(6, vec![T_INT.to_vec()], vec![T_INT.to_vec()])],
        ..M::default()
    });
    let e = expect_err(verify_bytes(&a.finish()));
    assert!(e.to_string().contains("the operand stack has 0 values, the frame has 1"), "{e}");
    // A long on the stack does not match a one-slot top: lconst_0; goto 4; [4] pop2; return
    let mut a = Asm::new("Foo");
    a.method(M {
        max_stack: 2,
        code: vec![0x09, 0xa7, 0x00, 0x03, 0x58, 0xb1],
        frames: vec![(4, vec![], vec![vec![0]])],
        ..M::default()
    });
    let e = expect_err(verify_bytes(&a.finish()));
    assert!(e.to_string().contains("operand stack entry 0 (from the bottom) is long, the frame has top"), "{e}");
    // Falling through into a frame that does not match.
    let mut a = Asm::new("Foo");
    a.method(M {
        desc: "(I)I",
        code: vec![0x0b, 0x57, 0x1a, 0xac],
        frames: vec![(2, vec![T_FLOAT.to_vec()], vec![])],
        ..M::default()
    });
    let e = expect_err(verify_bytes(&a.finish()));
    assert!(matches!(e.kind(), K::FrameMismatch { target: 2, need: FrameNeed::FallThrough, .. }), "{e}");
    // A handler frame that expects a narrower exception than is caught.
    let mut a = Asm::new("Foo");
    let thr = a.class("java/lang/Throwable");
    let exc = a.class("java/lang/Exception");
    a.method(M {
        code: vec![0x00, 0xb1, 0x57, 0xb1],
        handlers: vec![(0, 1, 2, thr)],
        frames: vec![(2, vec![], vec![t_obj(exc)])],
        ..M::default()
    });
    let e = expect_err(verify_bytes(&a.finish()));
    assert!(matches!(e.kind(), K::FrameMismatch { need: FrameNeed::Handler, .. }), "{e}");
}

#[test]
fn invalid_local_index() {
    let e = expect_err(one(M { desc: "()I", max_locals: 1, code: vec![0x15, 0x05, 0xac], ..M::default() }));
    assert!(matches!(e.kind(), K::BadLocalIndex { index: 5, max_locals: 1 }), "{e}");
    assert!(e.to_string().ends_with("(iload): local variable index 5 is out of range (max_locals 1)"), "{e}");
    // A long needs two locals.
    let e = expect_err(one(M { desc: "()V", max_locals: 1, code: vec![0x09, 0x3f, 0xb1], ..M::default() }));
    assert!(matches!(e.kind(), K::BadLocalIndex { index: 1, .. }), "{e}");
    // wide iinc past max_locals
    let e = expect_err(one(M { max_locals: 2, code: vec![0xc4, 0x84, 0x01, 0x00, 0x00, 0x01, 0xb1], ..M::default() }));
    assert!(matches!(e.kind(), K::BadLocalIndex { index: 256, .. }), "{e}");
}

#[test]
fn bad_constant_for_ldc() {
    let mut a = Asm::new("Foo");
    let l = a.long(5);
    a.method(M { desc: "()V", code: vec![0x12, l as u8, 0x57, 0xb1], ..M::default() });
    let e = expect_err(verify_bytes(&a.finish()));
    assert!(
        matches!(
            e.kind(),
            K::BadConstant { expected: "a loadable constant other than long or double", found: "CONSTANT_Long", .. }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("(ldc): constant pool index"), "{e}");
    let mut a = Asm::new("Foo");
    let i = a.int(5);
    a.method(M { desc: "()V", code: vec![0x14, 0, i as u8, 0x58, 0xb1], ..M::default() });
    let e = expect_err(verify_bytes(&a.finish()));
    assert!(matches!(e.kind(), K::BadConstant { found: "CONSTANT_Integer", .. }), "{e}");
    let mut a = Asm::new("Foo");
    let u = a.utf8("text");
    a.method(M { desc: "()V", code: vec![0x13, 0, u as u8, 0x57, 0xb1], ..M::default() });
    let e = expect_err(verify_bytes(&a.finish()));
    assert!(matches!(e.kind(), K::BadConstant { found: "CONSTANT_Utf8", .. }), "{e}");
    // A valid ldc pushes the constant's type: String is not an int.
    let mut a = Asm::new("Foo");
    let s = a.string("s");
    a.method(M { desc: "()I", code: vec![0x12, s as u8, 0xac], ..M::default() });
    let e = expect_err(verify_bytes(&a.finish()));
    assert!(e.to_string().ends_with("expected int on the operand stack, found java/lang/String"), "{e}");
}

#[test]
fn jsr_is_rejected_by_version() {
    // jsr 4; return; [4] astore_0; ret 0
    let c = vec![0xa8, 0x00, 0x04, 0xb1, 0x4b, 0xa9, 0x00];
    for (major, text) in
        [(51, "jsr/ret are not allowed in class file version 51"), (50, "need verification by type inference")]
    {
        let mut a = Asm::new("Foo");
        a.major = major;
        a.method(M { code: c.clone(), ..M::default() });
        let e = expect_err(verify_bytes(&a.finish()));
        assert!(matches!(e.kind(), K::JsrRet { .. }), "{e}");
        assert!(e.to_string().contains(text), "{e}");
        assert_eq!(e.offset(), Some(0));
    }
    // Version 50 without jsr is verified by type checking like any later version.
    let mut a = Asm::new("Foo");
    a.major = 50;
    a.method(M { desc: "(I)I", code: vec![0x1a, 0x04, 0x60, 0xac], ..M::default() });
    verify_bytes(&a.finish()).unwrap();
    let mut a = Asm::new("Foo");
    a.major = 49;
    a.method(code(&[0xb1]));
    let e = expect_err(verify_bytes(&a.finish()));
    assert_eq!(e.to_string(), "VerifyError: Foo: verification by type inference is not supported; class version 49");
}

#[test]
fn malformed_instructions() {
    let e = expect_err(one(code(&[0xcb, 0xb1])));
    assert!(matches!(e.kind(), K::IllegalOpcode(0xcb)), "{e}");
    let e = expect_err(one(code(&[0xc4, 0x00, 0x00, 0x00, 0xb1])));
    assert!(matches!(e.kind(), K::IllegalWide(0)), "{e}");
    let e = expect_err(one(code(&[0x10])));
    assert!(matches!(e.kind(), K::TruncatedInstruction), "{e}");
    // lookupswitch with unsorted keys: iconst_0; lookupswitch default 28, 2 pairs (5 -> 28), (3 -> 28)
    let mut c = vec![0x03, 0xab, 0, 0];
    for v in [27i32, 2, 5, 27, 3, 27] {
        c.extend(v.to_be_bytes());
    }
    c.push(0xb1);
    let e = expect_err(one(code(&c)));
    assert!(matches!(e.kind(), K::BadSwitch(_)), "{e}");
    assert!(e.to_string().contains("(lookupswitch): lookupswitch keys are not sorted"), "{e}");
    // tableswitch low > high
    let mut c = vec![0x03, 0xaa, 0, 0];
    for v in [15i32, 2, 1] {
        c.extend(v.to_be_bytes());
    }
    c.push(0xb1);
    let e = expect_err(one(code(&c)));
    assert!(matches!(e.kind(), K::BadSwitch(_)), "{e}");
    // invokeinterface with a count that does not match the descriptor.
    let mut a = Asm::new("Foo");
    let m = a.imethod_ref("java/lang/Runnable", "run", "()V");
    a.method(M {
        desc: "(Ljava/lang/Runnable;)V",
        code: vec![0x2a, 0xb9, be(m)[0], be(m)[1], 2, 0, 0xb1],
        ..M::default()
    });
    let e = expect_err(verify_bytes(&a.finish()));
    assert!(matches!(e.kind(), K::BadOperand(_)), "{e}");
    // invokeinterface with a nonzero fourth byte.
    let mut a = Asm::new("Foo");
    let m = a.imethod_ref("java/lang/Runnable", "run", "()V");
    a.method(M {
        desc: "(Ljava/lang/Runnable;)V",
        code: vec![0x2a, 0xb9, be(m)[0], be(m)[1], 1, 1, 0xb1],
        ..M::default()
    });
    let e = expect_err(verify_bytes(&a.finish()));
    assert!(matches!(e.kind(), K::BadOperand(_)), "{e}");
    // invokevirtual of a CONSTANT_InterfaceMethodref.
    let mut a = Asm::new("Foo");
    let m = a.imethod_ref("java/lang/Runnable", "run", "()V");
    a.method(M { desc: "(Ljava/lang/Runnable;)V", code: vec![0x2a, 0xb6, be(m)[0], be(m)[1], 0xb1], ..M::default() });
    let e = expect_err(verify_bytes(&a.finish()));
    assert!(matches!(e.kind(), K::BadConstant { expected: "CONSTANT_Methodref", .. }), "{e}");
}

#[test]
fn handlers_and_frames_on_instruction_boundaries() {
    let mut a = Asm::new("Foo");
    let thr = a.class("java/lang/Throwable");
    // sipush (0..3); pop; return; handler range starts inside sipush
    a.method(M { code: vec![0x11, 0, 1, 0x57, 0xb1], handlers: vec![(1, 3, 4, thr)], ..M::default() });
    let e = expect_err(verify_bytes(&a.finish()));
    assert!(matches!(e.kind(), K::BadHandlerRange { start_pc: 1, .. }), "{e}");
    let mut a = Asm::new("Foo");
    a.method(M { code: vec![0x11, 0, 1, 0x57, 0xb1], frames: vec![(2, vec![], vec![])], ..M::default() });
    let e = expect_err(verify_bytes(&a.finish()));
    assert!(matches!(e.kind(), K::FrameNotAtInstruction { offset: 2 }), "{e}");
    // Uninitialized(1) where offset 1 is not a new instruction.
    let mut a = Asm::new("Foo");
    a.method(M { code: vec![0x00, 0x00, 0xb1], frames: vec![(2, vec![t_uninit(1)], vec![])], ..M::default() });
    let e = expect_err(verify_bytes(&a.finish()));
    assert!(matches!(e.kind(), K::BadStackMapFrame { .. }), "{e}");
    // A catch type that is not Throwable.
    let mut a = Asm::new("Foo");
    let s = a.class("java/lang/String");
    a.method(M {
        code: vec![0x00, 0xb1, 0x57, 0xb1],
        handlers: vec![(0, 1, 2, s)],
        frames: vec![(2, vec![], vec![t_obj(s)])],
        ..M::default()
    });
    let e = expect_err(verify_bytes(&a.finish()));
    assert!(matches!(e.kind(), K::BadCatchType { .. }), "{e}");
}

#[test]
fn other_type_rules() {
    // athrow of a non-Throwable.
    let e = expect_err(one(M { desc: "(Ljava/lang/String;)V", code: vec![0x2a, 0xbf], ..M::default() }));
    assert!(
        e.to_string().ends_with("(athrow): expected java/lang/Throwable on the operand stack, found java/lang/String"),
        "{e}"
    );
    // aastore into an int[].
    let e = expect_err(one(M {
        desc: "([ILjava/lang/Object;)V",
        code: vec![0x2a, 0x03, 0x2b, 0x53, 0xb1],
        ..M::default()
    }));
    assert!(
        e.to_string().ends_with("(aastore): expected an array of references on the operand stack, found int[]"),
        "{e}"
    );
    // iaload on a byte[]
    let e = expect_err(one(M { desc: "([B)I", code: vec![0x2a, 0x03, 0x2e, 0xac], ..M::default() }));
    assert!(e.to_string().ends_with("expected an int array on the operand stack, found byte[]"), "{e}");
    // pop of a long.
    let e = expect_err(one(code(&[0x09, 0x57, 0xb1])));
    assert!(
        e.to_string()
            .ends_with("(pop): expected a category 1 value (not long or double) on the operand stack, found long"),
        "{e}"
    );
    // Arrays are not assignable to arbitrary interfaces, only Cloneable and Serializable.
    let e = expect_err(one(M { desc: "([I)Ljava/lang/Runnable;", code: vec![0x2a, 0xb0], ..M::default() }));
    assert!(matches!(e.kind(), K::TypeMismatch { .. }), "{e}");
    one(M { desc: "([I)Ljava/lang/Cloneable;", code: vec![0x2a, 0xb0], ..M::default() }).unwrap();
    // Interfaces are treated like Object: any class passes for an interface type.
    one(M { desc: "(Ljava/lang/String;)Ljava/lang/Runnable;", code: vec![0x2a, 0xb0], ..M::default() }).unwrap();
    // Array covariance.
    one(M { desc: "([Ljava/lang/Integer;)[Ljava/lang/Number;", code: vec![0x2a, 0xb0], ..M::default() }).unwrap();
    let e = expect_err(one(M {
        desc: "([Ljava/lang/Number;)[Ljava/lang/Integer;",
        code: vec![0x2a, 0xb0],
        ..M::default()
    }));
    assert!(matches!(e.kind(), K::TypeMismatch { .. }), "{e}");
    // invokespecial of a method of an unrelated class.
    let mut a = Asm::new("Foo");
    let m = a.method_ref("java/lang/String", "length", "()I");
    a.method(M { flags: ACC_PUBLIC, desc: "()I", code: vec![0x2a, 0xb7, be(m)[0], be(m)[1], 0xac], ..M::default() });
    let e = expect_err(verify_bytes(&a.finish()));
    assert!(matches!(e.kind(), K::BadInvokeSpecial(_)), "{e}");
    // new of an array class
    let mut a = Asm::new("Foo");
    let arr = a.class("[I");
    a.method(code(&[0xbb, be(arr)[0], be(arr)[1], 0x57, 0xb1]));
    let e = expect_err(verify_bytes(&a.finish()));
    assert!(matches!(e.kind(), K::BadConstantUse { .. }), "{e}");
}

fn protected_env() -> ClassSet {
    let mut env = ClassSet::with_java_lang();
    env.insert(
        b"p1/Base",
        ClassInfo {
            superclass: Some(b"java/lang/Object".to_vec()),
            access_flags: ACC_PUBLIC | ACC_SUPER,
            members: vec![
                (b"count".to_vec(), b"I".to_vec(), ACC_PROTECTED),
                (b"bump".to_vec(), b"()V".to_vec(), ACC_PROTECTED),
                (b"<init>".to_vec(), b"()V".to_vec(), ACC_PROTECTED),
                (b"fin".to_vec(), b"()V".to_vec(), ACC_PUBLIC | ACC_FINAL),
            ],
        },
    );
    env
}

#[test]
fn protected_access_checks() {
    let build = |desc: &str, code: fn(u16, u16, u16) -> Vec<u8>| {
        let mut a = Asm::with_super("p2/Sub", "p1/Base");
        let f = a.field_ref("p1/Base", "count", "I");
        let m = a.method_ref("p1/Base", "bump", "()V");
        let base = a.class("p1/Base");
        a.method(M { flags: ACC_PUBLIC, desc, code: code(f, m, base), ..M::default() });
        verify_bytes_with(&a.finish(), &mut protected_env())
    };
    // getfield Base.count on a Base that is not a Sub: rejected.
    let e = expect_err(build("(Lp1/Base;)I", |f, _, _| vec![0x2b, 0xb4, be(f)[0], be(f)[1], 0xac]));
    assert!(matches!(e.kind(), K::ProtectedAccess { .. }), "{e}");
    assert!(e.to_string().contains("(getfield): bad access to protected member p1/Base.count:I"), "{e}");
    // ... but fine through this or another Sub.
    build("(Lp2/Sub;)I", |f, _, _| vec![0x2b, 0xb4, be(f)[0], be(f)[1], 0xac]).unwrap();
    build("()I", |f, _, _| vec![0x2a, 0xb4, be(f)[0], be(f)[1], 0xac]).unwrap();
    // invokevirtual Base.bump on a Base: rejected.
    let e = expect_err(build("(Lp1/Base;)V", |_, m, _| vec![0x2b, 0xb6, be(m)[0], be(m)[1], 0xb1]));
    assert!(matches!(e.kind(), K::ProtectedAccess { .. }), "{e}");
    // new p1/Base with its protected constructor from another package: rejected.
    let mut a = Asm::with_super("p2/Sub", "p1/Base");
    let base = a.class("p1/Base");
    let init = a.method_ref("p1/Base", "<init>", "()V");
    a.method(M { code: vec![0xbb, be(base)[0], be(base)[1], 0xb7, be(init)[0], be(init)[1], 0xb1], ..M::default() });
    let e = expect_err(verify_bytes_with(&a.finish(), &mut protected_env()));
    assert!(matches!(e.kind(), K::ProtectedAccess { .. }), "{e}");
}

#[test]
fn class_hierarchy_rules() {
    let mut a = Asm::with_super("Foo", "java/lang/String");
    a.method(code(&[0xb1]));
    let e = expect_err(verify_bytes(&a.finish()));
    assert!(matches!(e.kind(), K::FinalSuperclass { .. }), "{e}");
    assert_eq!(e.to_string(), "VerifyError: Foo: cannot inherit from final class java/lang/String");
    let mut a = Asm::with_super("p2/Sub", "p1/Base");
    a.method(M { flags: ACC_PUBLIC, name: "fin", code: vec![0xb1], ..M::default() });
    let e = expect_err(verify_bytes_with(&a.finish(), &mut protected_env()));
    assert!(matches!(e.kind(), K::OverridesFinal { .. }), "{e}");
    assert_eq!(e.to_string(), "VerifyError: p2/Sub.fin()V: overrides a final method of p1/Base");
    // A missing superclass is an environment error, not a panic.
    let mut a = Asm::with_super("Foo", "does/not/Exist");
    a.method(code(&[0xb1]));
    let e = expect_err(verify_bytes(&a.finish()));
    assert!(matches!(e.kind(), K::Env(_)), "{e}");
    assert!(e.to_string().contains("class does/not/Exist not found"), "{e}");
}

// ---- patched javac output ----

const PATCH_ME: &str = r#"
public class PatchMe {
    int f;
    PatchMe() { super(); }
    static int add(int a, int b) { return a + b; }
    static int pick(int a) { if (a > 0) { return 1; } return 2; }
}
"#;

/// The byte offset of `method`'s code inside the class file.
fn code_offset(bytes: &[u8], class: &ClassFile<'_>, name: &str) -> usize {
    let m = class.methods.iter().find(|m| m.name == name.as_bytes()).unwrap();
    m.code().unwrap().code.as_ptr() as usize - bytes.as_ptr() as usize
}

#[test]
fn patched_javac_classes() {
    let Some(classes) = common::compile(&[("PatchMe.java", PATCH_ME)]) else {
        return;
    };
    let bytes = &classes.iter().find(|(n, _)| n == "PatchMe").unwrap().1;
    let class = classfile::parse(bytes).unwrap();
    verify_bytes(bytes).unwrap();
    let add = code_offset(bytes, &class, "add");
    let init = code_offset(bytes, &class, "<init>");
    let pick = code_offset(bytes, &class, "pick");

    // add: iload_0 iload_1 iadd ireturn -> fadd
    let mut b = bytes.clone();
    assert_eq!(b[add + 2], 0x60);
    b[add + 2] = 0x62;
    let e = expect_err(verify_bytes(&b));
    assert_eq!(
        e.to_string(),
        "VerifyError: PatchMe.add(II)I at bytecode offset 2 (fadd): expected float on the operand stack, found int"
    );

    // <init>: aload_0 invokespecial #n return -> drop the super() call
    let mut b = bytes.clone();
    assert_eq!(b[init + 1], 0xb7);
    b[init + 1..init + 4].copy_from_slice(&[0, 0, 0]);
    let e = expect_err(verify_bytes(&b));
    assert!(matches!(e.kind(), K::ThisUninitialized), "{e}");

    // pick: iload_0 ifle L ... ; retarget the branch one byte off.
    let mut b = bytes.clone();
    assert_eq!(b[pick + 1], 0x9e);
    b[pick + 3] += 1;
    let e = expect_err(verify_bytes(&b));
    assert!(matches!(e.kind(), K::MissingFrame { .. } | K::BranchIntoInstruction { .. }), "{e}");
}

// ---- robustness ----

/// A small deterministic generator (no extra dependency).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn mutated_code_never_panics() {
    let Some(classes) = common::compile(&[("Fuzz.java", FUZZ)]) else {
        return;
    };
    let env = ClassSet::with_java_lang();
    let mut rng = Lcg(0x5eed);
    let mut verified = 0usize;
    let mut rejected = 0usize;
    for (_, bytes) in &classes {
        let class = classfile::parse(bytes).unwrap();
        // Mutate only inside code arrays and StackMapTables so most mutants still parse.
        let ranges: Vec<(usize, usize)> = class
            .methods
            .iter()
            .filter_map(|m| m.code())
            .map(|c| {
                let start = c.code.as_ptr() as usize - bytes.as_ptr() as usize;
                (start, start + c.code.len() + 64)
            })
            .collect();
        for _ in 0..4000 {
            let mut b = bytes.clone();
            for _ in 0..1 + rng.next() % 4 {
                let (s, e) = ranges[(rng.next() as usize) % ranges.len()];
                let at = s + (rng.next() as usize) % (e.min(b.len()) - s);
                b[at] = rng.next() as u8;
            }
            let Ok(c) = classfile::parse(&b) else { continue };
            for m in &c.methods {
                match verify_method(&c, m, &env) {
                    Ok(()) => verified += 1,
                    Err(e) => {
                        rejected += 1;
                        let _ = e.to_string();
                    }
                }
            }
        }
    }
    println!("mutants: {verified} methods verified, {rejected} rejected");
    assert!(rejected > 1000);
}

#[test]
fn random_code_never_panics() {
    let mut rng = Lcg(0xC0FFEE);
    let (mut verified, mut rejected) = (0usize, 0usize);
    let mut kinds: HashMap<String, usize> = HashMap::new();
    for _ in 0..20_000 {
        let mut a = Asm::new("Foo");
        let refs = [
            a.class("java/lang/String"),
            a.class("[I"),
            a.class("[[Ljava/lang/Object;"),
            a.method_ref("java/lang/Object", "<init>", "()V"),
            a.method_ref("java/lang/Object", "hashCode", "()I"),
            a.method_ref("Foo", "bar", "(IJ)I"),
            a.imethod_ref("java/lang/Runnable", "run", "()V"),
            a.field_ref("Foo", "f", "J"),
            a.int(7),
            a.long(8),
            a.string("s"),
        ];
        a.field(ACC_STATIC, "f", "J");
        let len = 1 + rng.next() as usize % 48;
        let mut c = Vec::with_capacity(len);
        while c.len() < len {
            let r = rng.next();
            if r % 3 == 0 {
                // An opcode with a plausible constant-pool operand.
                c.push(
                    [0x12, 0x13, 0x14, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xbb, 0xbd, 0xc0, 0xc1]
                        [(r >> 8) as usize % 14],
                );
                let i = refs[(r >> 16) as usize % refs.len()];
                if c.last() == Some(&0x12) {
                    c.push(i as u8);
                } else {
                    c.extend(be(i));
                }
            } else if r % 3 == 1 {
                // Mostly operand-free opcodes: loads, stores, arithmetic, stack ops, returns.
                c.push((r >> 8) as u8 % 0x9a);
            } else {
                c.push((r >> 8) as u8 % 202);
            }
        }
        let frames = (0..rng.next() % 3)
            .map(|k| {
                let off = (k as u16 * 7 + rng.next() as u16 % 7).min(len as u16 - 1);
                let ty = |r: u64| match r % 6 {
                    0 => vec![1],
                    1 => vec![4],
                    2 => t_obj(refs[0]),
                    3 => t_uninit((r >> 8) as u16 % len as u16),
                    4 => vec![6],
                    _ => vec![0],
                };
                let locals = (0..rng.next() % 3).map(|_| ty(rng.next())).collect();
                let stack = (0..rng.next() % 2).map(|_| ty(rng.next())).collect();
                (off, locals, stack)
            })
            .collect::<Vec<FullFrame>>();
        // Frame offsets must increase for the table to parse.
        let mut frames = frames;
        frames.dedup_by_key(|f| f.0);
        frames.sort_by_key(|f| f.0);
        frames.dedup_by_key(|f| f.0);
        let throwable = a.class("java/lang/Throwable");
        let handlers = if rng.next() % 4 == 0 {
            vec![(0, len as u16, (rng.next() % len as u64) as u16, throwable)]
        } else {
            vec![]
        };
        let name = if rng.next() % 5 == 0 { "<init>" } else { "bar" };
        let flags = if name == "<init>" { ACC_PUBLIC } else { ACC_PUBLIC | ACC_STATIC };
        a.method(M {
            flags,
            name,
            desc: if name == "<init>" { "()V" } else { "(IJ)I" },
            max_stack: (rng.next() % 6) as u16,
            max_locals: 3 + (rng.next() % 3) as u16,
            code: c,
            handlers,
            frames,
        });
        let bytes = a.finish();
        let Ok(class) = classfile::parse(&bytes) else { continue };
        let env = ClassSet::with_java_lang();
        match verify_class(&class, &env) {
            Ok(()) => verified += 1,
            Err(e) => {
                rejected += 1;
                assert!(!e.to_string().is_empty());
                let kind = format!("{:?}", e.kind());
                let kind = kind.split([' ', '(', '{']).next().unwrap_or("").to_string();
                *kinds.entry(kind).or_insert(0usize) += 1;
            }
        }
    }
    let mut kinds: Vec<_> = kinds.into_iter().collect();
    kinds.sort_by_key(|k| std::cmp::Reverse(k.1));
    println!("random methods: {verified} verified, {rejected} rejected: {kinds:?}");
    // The mutants must reach the type rules, not only the decoder.
    assert!(kinds.len() > 15, "{kinds:?}");
    assert!(rejected > 10_000);
}

const FUZZ: &str = r#"
public class Fuzz {
    private long y;
    Fuzz(int x) { this.y = x * 2L; }
    static int loop(int[] a, String s) {
        int t = 0;
        for (int i = 0; i < a.length; i++) {
            switch (a[i]) { case 1: t++; break; case 7: t += 7; break; case 100: t--; break; default: t ^= i; }
        }
        try { t += s.length(); } catch (RuntimeException e) { t = -1; } finally { t *= 2; }
        long l = t; double d = l * 1.5;
        Object o = t > 0 ? s : new StringBuilder();
        return (int) d + o.hashCode() + new Fuzz(t).hashCode();
    }
}
"#;
