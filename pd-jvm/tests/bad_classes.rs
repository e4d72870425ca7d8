//! Malformed class files built in code by mutating a small valid class:
//! each must be rejected with the right error kind and a message naming
//! the problem, and no input may cause a panic.

use pd_jvm::classfile::{self, ErrorKind, NameKind};

/// Constant-pool builder.
#[derive(Default)]
struct Cp {
    bytes: Vec<u8>,
    count: u16,
}

impl Cp {
    fn raw(&mut self, entry: &[u8], slots: u16) -> u16 {
        let i = self.count + 1;
        self.bytes.extend_from_slice(entry);
        self.count += slots;
        i
    }
    fn utf8_bytes(&mut self, b: &[u8]) -> u16 {
        let mut e = vec![1];
        e.extend_from_slice(&(b.len() as u16).to_be_bytes());
        e.extend_from_slice(b);
        self.raw(&e, 1)
    }
    fn utf8(&mut self, s: &str) -> u16 {
        self.utf8_bytes(s.as_bytes())
    }
    fn two(&mut self, tag: u8, a: u16, b: u16) -> u16 {
        let mut e = vec![tag];
        e.extend_from_slice(&a.to_be_bytes());
        e.extend_from_slice(&b.to_be_bytes());
        self.raw(&e, 1)
    }
    fn class(&mut self, name: &str) -> u16 {
        let n = self.utf8(name);
        let mut e = vec![7];
        e.extend_from_slice(&n.to_be_bytes());
        self.raw(&e, 1)
    }
}

/// Knobs for the generated class; `Default` gives a valid class.
struct Opts {
    class_flags: u16,
    super_zero: bool,
    field_name: &'static str,
    method_flags: u16,
    method_name: &'static str,
    method_desc: &'static str,
    code: Vec<u8>,
    /// (start_pc, end_pc, handler_pc); catch_type is java/lang/Throwable.
    handler: (u16, u16, u16),
    code_len_delta: i32,
    /// Replaces the SourceFile attribute's index; `Tag` points at a Class entry.
    source_file: SourceFile,
    extra_utf8: Option<Vec<u8>>,
    /// Raw constant-pool entries appended from index 24 (one slot each).
    extra_cp: Vec<Vec<u8>>,
    /// Extra class attributes: (name index, contents).
    extra_class_attrs: Vec<(u16, Vec<u8>)>,
    /// The single StackMapTable frame of `bar`; `None` means the default.
    frame: Option<Vec<u8>>,
    major: u16,
    trailing: Vec<u8>,
    /// `bar` without the exception handler and (unless `frame` is set)
    /// without a StackMapTable: for code that the verifier should see as is.
    bare: bool,
    max_stack: u16,
    max_locals: u16,
    /// number_of_entries of the StackMapTable (`frame` holds them all).
    frames: u16,
}

#[derive(Clone, Copy)]
enum SourceFile {
    Valid,
    Index(u16),
    ClassEntry,
}

impl Default for Opts {
    fn default() -> Self {
        Opts {
            class_flags: 0x0021, // public super
            super_zero: false,
            field_name: "X",
            method_flags: 0x0009, // public static
            method_name: "bar",
            method_desc: "(I)I",
            code: vec![0x1a, 0xac], // iload_0; ireturn
            handler: (0, 1, 1),
            code_len_delta: 0,
            source_file: SourceFile::Valid,
            extra_utf8: None,
            extra_cp: Vec::new(),
            extra_class_attrs: Vec::new(),
            frame: None,
            major: 61,
            trailing: Vec::new(),
            bare: false,
            max_stack: 2,
            max_locals: 1,
            frames: 1,
        }
    }
}

/// Offsets of interesting fields in the generated class.
struct Layout {
    cp_count: usize,
    interfaces_count: usize,
    fields_count: usize,
    methods_count: usize,
}

fn u2(v: &mut Vec<u8>, x: u16) {
    v.extend_from_slice(&x.to_be_bytes());
}
fn u4(v: &mut Vec<u8>, x: u32) {
    v.extend_from_slice(&x.to_be_bytes());
}

/// public class Foo { private static final int X = 7;
///   public static int bar(int) { ... } public Foo() { super(); } }
fn build(o: &Opts) -> (Vec<u8>, Layout) {
    let mut cp = Cp::default();
    let this = cp.class("Foo");
    let object = cp.class("java/lang/Object");
    let throwable = cp.class("java/lang/Throwable");
    let x = cp.utf8(o.field_name);
    let int_desc = cp.utf8("I");
    let seven = cp.raw(&[3, 0, 0, 0, 7], 1);
    let constant_value = cp.utf8("ConstantValue");
    let bar = cp.utf8(o.method_name);
    let bar_desc = cp.utf8(o.method_desc);
    let code_name = cp.utf8("Code");
    let lnt = cp.utf8("LineNumberTable");
    let smt = cp.utf8("StackMapTable");
    let init = cp.utf8("<init>");
    let void_desc = cp.utf8("()V");
    let nat = cp.two(12, init, void_desc);
    let object_init = cp.two(10, object, nat);
    let source_file = cp.utf8("SourceFile");
    let foo_java = cp.utf8("Foo.java");
    let _big = cp.raw(&[5, 0, 0, 0, 0, 0, 0, 0, 1], 2);
    assert_eq!(cp.count, 23);
    for e in &o.extra_cp {
        cp.raw(e, 1);
    }
    if let Some(b) = &o.extra_utf8 {
        cp.utf8_bytes(b);
    }

    let mut v = Vec::new();
    u4(&mut v, 0xCAFEBABE);
    u2(&mut v, 0);
    u2(&mut v, o.major);
    let cp_count = v.len();
    u2(&mut v, cp.count + 1);
    v.extend_from_slice(&cp.bytes);
    u2(&mut v, o.class_flags);
    u2(&mut v, this);
    u2(&mut v, if o.super_zero { 0 } else { object });
    let interfaces_count = v.len();
    u2(&mut v, 0);

    let fields_count = v.len();
    u2(&mut v, 1);
    u2(&mut v, 0x001a); // private static final
    u2(&mut v, x);
    u2(&mut v, int_desc);
    u2(&mut v, 1);
    u2(&mut v, constant_value);
    u4(&mut v, 2);
    u2(&mut v, seven);

    let methods_count = v.len();
    u2(&mut v, 2);
    // bar
    u2(&mut v, o.method_flags);
    u2(&mut v, bar);
    u2(&mut v, bar_desc);
    u2(&mut v, 1);
    let mut code = Vec::new();
    u2(&mut code, o.max_stack);
    u2(&mut code, o.max_locals);
    u4(&mut code, o.code.len() as u32);
    code.extend_from_slice(&o.code);
    if o.bare {
        u2(&mut code, 0); // no handlers
        u2(&mut code, u16::from(o.frame.is_some())); // attributes
    } else {
        u2(&mut code, 1);
        u2(&mut code, o.handler.0);
        u2(&mut code, o.handler.1);
        u2(&mut code, o.handler.2);
        u2(&mut code, throwable);
        u2(&mut code, 2); // attributes
        u2(&mut code, lnt);
        u4(&mut code, 6);
        u2(&mut code, 1);
        u2(&mut code, 0);
        u2(&mut code, 3);
    }
    if !o.bare || o.frame.is_some() {
        // same_locals_1_stack_item at offset 1 with an Object(Throwable) on the stack.
        let frame = o.frame.clone().unwrap_or_else(|| vec![65, 7, (throwable >> 8) as u8, throwable as u8]);
        u2(&mut code, smt);
        u4(&mut code, 2 + frame.len() as u32);
        u2(&mut code, o.frames);
        code.extend_from_slice(&frame);
    }
    u2(&mut v, code_name);
    u4(&mut v, (code.len() as i64 + i64::from(o.code_len_delta)) as u32);
    v.extend_from_slice(&code);
    // <init>
    u2(&mut v, 0x0001);
    u2(&mut v, init);
    u2(&mut v, void_desc);
    u2(&mut v, 1);
    u2(&mut v, code_name);
    let body = [0x2a, 0xb7, (object_init >> 8) as u8, object_init as u8, 0xb1];
    u4(&mut v, 8 + body.len() as u32 + 4);
    u2(&mut v, 1);
    u2(&mut v, 1);
    u4(&mut v, body.len() as u32);
    v.extend_from_slice(&body);
    u2(&mut v, 0);
    u2(&mut v, 0);

    // Class attributes.
    u2(&mut v, 1 + o.extra_class_attrs.len() as u16);
    for (name, data) in &o.extra_class_attrs {
        u2(&mut v, *name);
        u4(&mut v, data.len() as u32);
        v.extend_from_slice(data);
    }
    u2(&mut v, source_file);
    u4(&mut v, 2);
    u2(
        &mut v,
        match o.source_file {
            SourceFile::Valid => foo_java,
            SourceFile::Index(i) => i,
            SourceFile::ClassEntry => this,
        },
    );
    v.extend_from_slice(&o.trailing);
    (v, Layout { cp_count, interfaces_count, fields_count, methods_count })
}

fn valid() -> Vec<u8> {
    build(&Opts::default()).0
}

/// Parse, expect failure, and return (kind, message).
fn fail(bytes: &[u8]) -> (ErrorKind, String) {
    match classfile::parse(bytes) {
        Ok(_) => panic!("malformed class was accepted"),
        Err(e) => (e.kind().clone(), e.to_string()),
    }
}

fn fail_with(o: Opts) -> (ErrorKind, String) {
    fail(&build(&o).0)
}

#[test]
fn the_base_class_is_valid() {
    let bytes = valid();
    let c = classfile::parse(&bytes).expect("valid");
    assert_eq!(c.name(), b"Foo");
    let bar = c.method(b"bar", b"(I)I").unwrap();
    let code = bar.code().unwrap();
    assert_eq!(code.code, &[0x1a, 0xac]);
    assert_eq!(code.exception_table.len(), 1);
    assert_eq!(code.stack_map_table().unwrap().len(), 1);
    assert_eq!(c.field(b"X").unwrap().constant_value(), Some(9));
    // Index 22 is the Long, 23 its unusable second slot, 24 the pool count.
    assert!(matches!(c.constant_pool.get(22), Some(classfile::Constant::Long(1))));
    assert!(c.constant_pool.get(23).is_none());
    assert_eq!(c.constant_pool.count(), 24);
}

#[test]
fn wrong_magic() {
    let mut b = valid();
    b[0] = 0xCB;
    let (k, m) = fail(&b);
    assert_eq!(k, ErrorKind::BadMagic(0xCBFEBABE));
    assert!(m.contains("bad magic") && m.contains("offset 0x0"), "{m}");
}

#[test]
fn unsupported_version() {
    let mut b = valid();
    b[7] = 66;
    let (k, m) = fail(&b);
    assert!(matches!(k, ErrorKind::UnsupportedVersion { major: 66, .. }), "{m}");
    b[7] = 44;
    assert!(matches!(fail(&b).0, ErrorKind::UnsupportedVersion { major: 44, .. }));
}

#[test]
fn every_truncation_fails_without_panic() {
    let b = valid();
    for len in 0..b.len() {
        let r = std::panic::catch_unwind(|| classfile::parse(&b[..len]).map(|_| ()));
        match r {
            Ok(Err(e)) => {
                let m = e.to_string();
                assert!(m.starts_with("ClassFormatError: "), "{m}");
            }
            Ok(Ok(())) => panic!("prefix of length {len} accepted"),
            Err(_) => panic!("panic on prefix of length {len}"),
        }
    }
    assert!(matches!(fail(&b[..b.len() - 1]).0, ErrorKind::Truncated { .. }));
}

#[test]
fn trailing_garbage() {
    let (k, m) = fail_with(Opts { trailing: vec![0xde, 0xad], ..Opts::default() });
    assert_eq!(k, ErrorKind::TrailingBytes { count: 2 });
    assert!(m.contains("Foo: 2 trailing bytes"), "{m}");
}

#[test]
fn bad_constant_pool_index() {
    let (k, m) = fail_with(Opts { source_file: SourceFile::Index(999), ..Opts::default() });
    assert!(matches!(k, ErrorKind::BadConstantIndex { index: 999, .. }), "{m}");
    assert!(m.contains("bad constant pool index 999 for SourceFile index"), "{m}");
    // Index 0 and the unusable slot after a Long are bad too.
    let (k, _) = fail_with(Opts { source_file: SourceFile::Index(0), ..Opts::default() });
    assert!(matches!(k, ErrorKind::BadConstantIndex { index: 0, .. }));
    let (k, _) = fail_with(Opts { source_file: SourceFile::Index(23), ..Opts::default() });
    assert!(matches!(k, ErrorKind::BadConstantIndex { index: 23, .. }), "{k:?}");
}

#[test]
fn wrong_constant_tag() {
    let (k, m) = fail_with(Opts { source_file: SourceFile::ClassEntry, ..Opts::default() });
    assert!(matches!(k, ErrorKind::WrongConstantTag { expected: "CONSTANT_Utf8", found: "CONSTANT_Class", .. }), "{m}");
    assert!(m.contains("is CONSTANT_Class, expected CONSTANT_Utf8"), "{m}");
}

#[test]
fn huge_counts_fail_fast() {
    let (b, l) = build(&Opts::default());
    for (at, what) in [
        (l.cp_count, "constant pool"),
        (l.interfaces_count, "interfaces"),
        (l.fields_count, "fields"),
        (l.methods_count, "methods"),
    ] {
        let mut m = b.clone();
        m[at] = 0xff;
        m[at + 1] = 0xff;
        let (k, msg) = fail(&m);
        assert!(matches!(k, ErrorKind::CountExceedsInput { count: 65535, what: w, .. } if w == what), "{what}: {msg}");
        assert!(msg.contains("count 65535 exceeds the remaining input"), "{msg}");
    }
}

#[test]
fn bad_modified_utf8() {
    for bad in [
        &[b'a', 0x00][..],             // NUL byte
        &[0xC1, 0x81][..],             // overlong 2-byte form
        &[0xE0, 0x80, 0x80][..],       // overlong 3-byte form
        &[0xF0, 0x9F, 0x98, 0x80][..], // 4-byte form (standard UTF-8 only)
        &[0xE2, 0x82][..],             // truncated sequence
        &[0x80][..],                   // lone continuation byte
    ] {
        let (k, m) = fail_with(Opts { extra_utf8: Some(bad.to_vec()), ..Opts::default() });
        assert!(matches!(k, ErrorKind::InvalidModifiedUtf8 { .. }), "{bad:?}: {m}");
        assert!(m.contains("invalid modified UTF-8"), "{m}");
    }
    // C0 80 (NUL) and a lone surrogate are legal modified UTF-8.
    for ok in [&[0xC0, 0x80][..], &[0xED, 0xA0, 0x80][..]] {
        classfile::parse(&build(&Opts { extra_utf8: Some(ok.to_vec()), ..Opts::default() }).0)
            .expect("legal modified UTF-8");
    }
}

#[test]
fn attribute_length_mismatch() {
    for delta in [-1, 1, 6] {
        let (k, m) = fail_with(Opts { code_len_delta: delta, ..Opts::default() });
        assert!(matches!(k, ErrorKind::AttributeLengthMismatch { name: "Code", .. }), "{delta}: {m}");
        assert!(m.starts_with("ClassFormatError: Foo.bar(I)I: Code attribute length "), "{m}");
        assert!(m.contains("does not match its contents (46) at offset 0x"), "{m}");
    }
}

#[test]
fn code_length_zero() {
    let (k, m) = fail_with(Opts { code: vec![], handler: (0, 0, 0), ..Opts::default() });
    assert_eq!(k, ErrorKind::BadCodeLength(0));
    assert!(m.contains("Foo.bar(I)I: code length 0"), "{m}");
}

#[test]
fn exception_range_outside_code() {
    for h in [(0, 3, 1), (1, 1, 1), (0, 1, 2)] {
        let (k, m) = fail_with(Opts { handler: h, ..Opts::default() });
        assert!(matches!(k, ErrorKind::ExceptionRangeOutsideCode { .. }), "{m}");
        assert!(m.contains("is outside the code (length 2)"), "{m}");
    }
}

#[test]
fn bad_descriptor() {
    for d in ["(I", "(I)", "(Q)V", "(I)II", "I", "(Ljava/lang/String)V", "(L;)V"] {
        let (k, m) = fail_with(Opts { method_desc: d, ..Opts::default() });
        assert!(matches!(k, ErrorKind::InvalidDescriptor { .. }), "{d}: {m}");
        assert!(m.contains(&format!("illegal method descriptor \"{d}\"")), "{m}");
    }
}

#[test]
fn bad_name() {
    let (k, m) = fail_with(Opts { field_name: "a.b", ..Opts::default() });
    assert!(matches!(k, ErrorKind::InvalidName { kind: NameKind::Field, .. }), "{m}");
    assert!(m.contains("illegal field name \"a.b\""), "{m}");
}

#[test]
fn illegal_flag_combinations() {
    // Method both public and private.
    let (k, m) = fail_with(Opts { method_flags: 0x000b, ..Opts::default() });
    assert!(matches!(k, ErrorKind::IllegalFlags { what: "method", .. }), "{m}");
    assert!(m.contains("Foo.bar(I)I: illegal method access flags 0x000b"), "{m}");
    // Abstract and final.
    let (k, _) = fail_with(Opts { method_flags: 0x0411, ..Opts::default() });
    assert!(matches!(k, ErrorKind::IllegalFlags { what: "method", .. }));
    // Interface without ACC_ABSTRACT.
    let (k, m) = fail_with(Opts { class_flags: 0x0201, ..Opts::default() });
    assert!(matches!(k, ErrorKind::IllegalFlags { what: "class", .. }), "{m}");
    assert!(m.contains("interface is not ACC_ABSTRACT"), "{m}");
    // Final and abstract class.
    let (k, _) = fail_with(Opts { class_flags: 0x0431, ..Opts::default() });
    assert!(matches!(k, ErrorKind::IllegalFlags { what: "class", .. }));
    // Abstract method with a Code attribute.
    let (k, m) = fail_with(Opts { method_flags: 0x0401, ..Opts::default() });
    assert!(matches!(k, ErrorKind::CodeAttribute { .. }), "{m}");
}

#[test]
fn super_class_zero_only_for_object() {
    let (k, m) = fail_with(Opts { super_zero: true, ..Opts::default() });
    assert!(matches!(k, ErrorKind::BadSuperClass { .. }), "{m}");
    assert!(m.contains("super_class is 0"), "{m}");
}

/// Deterministic xorshift mutations of the small class: never a panic
/// (debug builds also trap arithmetic overflow).
#[test]
fn random_mutations_never_panic() {
    let base = valid();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut accepted = 0;
    for _ in 0..50_000 {
        let mut b = base.clone();
        let n = 1 + next() % 4;
        for _ in 0..n {
            let i = (next() % b.len() as u64) as usize;
            b[i] = next() as u8;
        }
        if next() % 8 == 0 {
            let cut = (next() % b.len() as u64) as usize;
            b.truncate(cut);
        }
        if classfile::parse(&b).is_ok() {
            accepted += 1;
        }
    }
    // Some mutations (e.g. in the Integer constant) are harmless.
    assert!(accepted < 50_000);
    // Every single-byte substitution as well.
    for i in 0..base.len() {
        for v in [0u8, 1, 0x7f, 0x80, 0xff] {
            let mut b = base.clone();
            b[i] = v;
            let _ = classfile::parse(&b);
        }
    }
}

#[test]
fn constant_tag_not_allowed_in_old_version() {
    // CONSTANT_Dynamic needs 55; CONSTANT_MethodHandle needs 51.
    let (k, m) = fail_with(Opts { major: 54, extra_cp: vec![vec![17, 0, 0, 0, 18]], ..Opts::default() });
    assert!(matches!(k, ErrorKind::ConstantTagNotAllowed { index: 24, tag: "CONSTANT_Dynamic", major: 54 }), "{m}");
    assert!(m.contains("is not allowed in class file version 54"), "{m}");
    let (k, _) = fail_with(Opts { major: 50, frame: None, extra_cp: vec![vec![15, 6, 0, 19]], ..Opts::default() });
    assert!(matches!(k, ErrorKind::ConstantTagNotAllowed { .. }), "{k:?}");
    let (k, _) = fail_with(Opts { extra_cp: vec![vec![2, 0, 0]], ..Opts::default() });
    assert_eq!(k, ErrorKind::UnknownConstantTag { index: 24, tag: 2 });
}

#[test]
fn invokedynamic_needs_bootstrap_methods() {
    // 24: NameAndType(bar, (I)I); 25: InvokeDynamic(#0, 24).
    let (k, m) = fail_with(Opts { extra_cp: vec![vec![12, 0, 11, 0, 12], vec![18, 0, 0, 0, 24]], ..Opts::default() });
    assert_eq!(k, ErrorKind::MissingBootstrapMethods, "{m}");
    // With a BootstrapMethods table of one entry, index 1 is out of range.
    // 26: Methodref(Foo, 24); 27: MethodHandle(REF_invokeStatic, 26); 28: "BootstrapMethods".
    let mut cp = vec![vec![12, 0, 11, 0, 12], vec![18, 0, 1, 0, 24], vec![10, 0, 2, 0, 24], vec![15, 6, 0, 26]];
    let mut name = vec![1, 0, 16];
    name.extend_from_slice(b"BootstrapMethods");
    cp.push(name);
    let bsm = vec![0, 1, 0, 27, 0, 0];
    let (k, m) =
        fail_with(Opts { extra_cp: cp.clone(), extra_class_attrs: vec![(28, bsm.clone())], ..Opts::default() });
    assert!(matches!(k, ErrorKind::BadBootstrapIndex { index: 25, bootstrap: 1, count: 1 }), "{m}");
    // Index 0 is fine.
    cp[1] = vec![18, 0, 0, 0, 24];
    let bytes = build(&Opts { extra_cp: cp, extra_class_attrs: vec![(28, bsm)], ..Opts::default() }).0;
    let c = classfile::parse(&bytes).expect("valid indy");
    assert_eq!(c.bootstrap_methods().len(), 1);
    assert_eq!(c.bootstrap_methods()[0].method_ref, 27);
}

#[test]
fn bad_method_handle() {
    for (kind, target, why) in [
        (10u8, 19u16, "reference_kind is not in 1..=9"),
        (1, 19, "field kinds must refer to a CONSTANT_Fieldref"),
        (6, 19, "may not name <init>"),
        (8, 2, "wrong tag"),
    ] {
        let (k, m) =
            fail_with(Opts { extra_cp: vec![vec![15, kind, (target >> 8) as u8, target as u8]], ..Opts::default() });
        assert!(matches!(k, ErrorKind::BadMethodHandle { index: 24, .. }), "{m}");
        assert!(m.contains(why), "{m}");
    }
}

#[test]
fn long_in_last_slot() {
    // The builder counts one slot, so the Long's second slot is past the end.
    let (k, m) = fail_with(Opts { extra_cp: vec![vec![5, 0, 0, 0, 0, 0, 0, 0, 1]], ..Opts::default() });
    assert!(matches!(k, ErrorKind::Malformed { .. }), "{m}");
    assert!(m.contains("last constant pool slot"), "{m}");
}

#[test]
fn duplicate_attribute() {
    let (k, m) = fail_with(Opts { extra_class_attrs: vec![(20, vec![0, 21])], ..Opts::default() });
    assert_eq!(k, ErrorKind::DuplicateAttribute { name: "SourceFile" }, "{m}");
    assert!(m.contains("Foo: duplicate SourceFile attribute"), "{m}");
}

#[test]
fn unknown_attributes_are_kept_and_skipped() {
    // Attribute named "Foo.java" (index 21): unknown, kept verbatim.
    let bytes = build(&Opts { extra_class_attrs: vec![(21, vec![1, 2, 3])], ..Opts::default() }).0;
    let c = classfile::parse(&bytes).unwrap();
    assert!(c
        .attributes
        .iter()
        .any(|a| matches!(a, classfile::Attribute::Unknown { name: b"Foo.java", data: &[1, 2, 3] })));
    // An unknown attribute whose length runs past the end is truncation.
    let mut b = bytes.clone();
    let n = b.len();
    // Layout at the end: unknown (name u2, length u4, 3 bytes), SourceFile (8 bytes).
    b[n - 15] = 0xff; // high byte of the unknown attribute's length
    assert!(matches!(fail(&b).0, ErrorKind::Truncated { .. }));
}

#[test]
fn bad_stack_map_frames() {
    let (k, m) = fail_with(Opts { frame: Some(vec![200]), ..Opts::default() });
    assert_eq!(k, ErrorKind::BadStackMapFrameType(200), "{m}");
    assert!(m.contains("Foo.bar(I)I: reserved StackMapTable frame type 200"), "{m}");
    let (k, _) = fail_with(Opts { frame: Some(vec![64, 9]), ..Opts::default() });
    assert_eq!(k, ErrorKind::BadVerificationType(9));
    // Frame at offset 5 in 2 bytes of code.
    let (k, _) = fail_with(Opts { frame: Some(vec![5]), ..Opts::default() });
    assert!(matches!(k, ErrorKind::PcOutsideCode { pc: 5, .. }));
    // Object_variable_info must name a Class entry.
    let (k, _) = fail_with(Opts { frame: Some(vec![65, 7, 0, 1]), ..Opts::default() });
    assert!(matches!(k, ErrorKind::WrongConstantTag { .. }), "{k:?}");
    // A full frame decodes.
    let bytes = build(&Opts { frame: Some(vec![255, 0, 1, 0, 1, 1, 0, 2, 5, 8, 0, 0]), ..Opts::default() }).0;
    let c = classfile::parse(&bytes).unwrap();
    let f = c.method(b"bar", b"(I)I").unwrap().code().unwrap().stack_map_table().unwrap();
    use classfile::{StackMapFrame, VerificationType as V};
    assert_eq!(
        f,
        &[StackMapFrame::Full {
            offset_delta: 1,
            locals: vec![V::Integer],
            stack: vec![V::Null, V::Uninitialized { offset: 0 }],
        }]
    );
}

#[test]
fn too_many_parameter_slots() {
    // 128 longs = 256 slots.
    let desc: &'static str = Box::leak(format!("({})I", "J".repeat(128)).into_boxed_str());
    let (k, m) = fail_with(Opts { method_desc: desc, ..Opts::default() });
    assert_eq!(k, ErrorKind::TooManyParameterSlots { slots: 256 }, "{m}");
}

#[test]
fn clinit_rules_depend_on_version() {
    let clinit = |major, flags| {
        build(&Opts { major, method_name: "<clinit>", method_desc: "()V", method_flags: flags, ..Opts::default() }).0
    };
    // Before 51 the flags of <clinit> are ignored.
    classfile::parse(&clinit(50, 0x0000)).expect("50: flags ignored");
    classfile::parse(&clinit(61, 0x0008)).expect("61: static");
    let (k, m) = fail(&clinit(51, 0x0001));
    assert!(matches!(k, ErrorKind::IllegalFlags { what: "method", .. }), "{m}");
    assert!(m.contains("Foo.<clinit>()V: illegal method access flags 0x0001: <clinit> is not static"), "{m}");
    // <clinit> must return void.
    let (k, _) = fail_with(Opts { method_name: "<clinit>", method_desc: "()I", ..Opts::default() });
    assert!(matches!(k, ErrorKind::InvalidDescriptor { .. }));
    // Other names with '<' are illegal.
    let (k, _) = fail_with(Opts { method_name: "<bar>", ..Opts::default() });
    assert!(matches!(k, ErrorKind::InvalidName { kind: NameKind::Method, .. }));
}

#[test]
fn error_display_names_class_member_and_offset() {
    let bytes = build(&Opts { code_len_delta: 4, ..Opts::default() }).0;
    let e = classfile::parse(&bytes).unwrap_err();
    assert_eq!(e.class_name(), Some("Foo"));
    assert_eq!(e.member(), Some("bar(I)I"));
    assert_eq!(
        e.to_string(),
        format!(
            "ClassFormatError: Foo.bar(I)I: Code attribute length 50 does not match its contents (46) at offset {:#x}",
            e.offset()
        )
    );
    // The offset is that of the attribute header: its name index is "Code".
    let name_index = u16::from_be_bytes([bytes[e.offset()], bytes[e.offset() + 1]]);
    let base = valid();
    let c = classfile::parse(&base).unwrap();
    assert_eq!(c.constant_pool.utf8(name_index), Some(&b"Code"[..]));
    // Before this_class is known, there is no class name.
    let mut b = valid();
    b[10] = 2; // first entry's tag: unknown
    let e = classfile::parse(&b).unwrap_err();
    assert_eq!(e.class_name(), None);
    assert_eq!(e.to_string(), "ClassFormatError: unknown constant pool tag 2 at index 1 at offset 0xa");
}

// ---- the checklist of the JVM issue: what is not covered above ----

#[test]
fn unsupported_version_messages() {
    for (major, minor) in [(44u16, 0u16), (66, 0), (61, 65535)] {
        let mut b = valid();
        b[4..6].copy_from_slice(&minor.to_be_bytes());
        b[6..8].copy_from_slice(&major.to_be_bytes());
        let (k, m) = fail(&b);
        assert_eq!(k, ErrorKind::UnsupportedVersion { major, minor });
        assert_eq!(
            m,
            format!(
                "ClassFormatError: unsupported class file version {major}.{minor} (supported: 45.0 to 65.0) at offset 0x4"
            )
        );
    }
}

#[test]
fn constant_pool_count_65535_in_a_tiny_file() {
    let b = [0xCA, 0xFE, 0xBA, 0xBE, 0, 0, 0, 61, 0xff, 0xff, 1, 0, 0];
    let (k, m) = fail(&b);
    assert_eq!(k, ErrorKind::CountExceedsInput { what: "constant pool", count: 65535, remaining: 3 });
    assert_eq!(m, "ClassFormatError: constant pool count 65535 exceeds the remaining input (3 bytes) at offset 0x8");
    // A count of 0 is malformed too.
    let (k, _) = fail(&[0xCA, 0xFE, 0xBA, 0xBE, 0, 0, 0, 61, 0, 0]);
    assert_eq!(k, ErrorKind::BadConstantPoolCount);
}

/// Byte offset of `bar`'s Code attribute name index and of its code_length.
fn bar_code_offsets(l: &Layout) -> (usize, usize) {
    // methods_count, then access_flags, name, descriptor, attributes_count.
    let attr_name = l.methods_count + 2 + 8;
    // attribute name, attribute_length, max_stack, max_locals.
    (attr_name, attr_name + 2 + 4 + 4)
}

#[test]
fn code_length_over_65535() {
    let (b, l) = build(&Opts::default());
    let (_, len_at) = bar_code_offsets(&l);
    assert_eq!(&b[len_at..len_at + 4], &[0, 0, 0, 2]);
    let mut m = b.clone();
    m[len_at..len_at + 4].copy_from_slice(&65536u32.to_be_bytes());
    let (k, msg) = fail(&m);
    assert_eq!(k, ErrorKind::BadCodeLength(65536));
    assert!(msg.starts_with("ClassFormatError: Foo.bar(I)I: code length 65536 is not in 1..=65535 at offset"), "{msg}");
    let mut m = b.clone();
    m[len_at..len_at + 4].copy_from_slice(&u32::MAX.to_be_bytes());
    assert_eq!(fail(&m).0, ErrorKind::BadCodeLength(u32::MAX));
    // 65535 is a legal length, but these bytes are not there.
    let mut m = b;
    m[len_at..len_at + 4].copy_from_slice(&65535u32.to_be_bytes());
    let (k, _) = fail(&m);
    assert!(matches!(k, ErrorKind::Truncated { needed: 65535, .. }), "{k:?}");
}

#[test]
fn other_huge_counts_fail_fast() {
    let (b, l) = build(&Opts::default());
    let (_, len_at) = bar_code_offsets(&l);
    // exception_table_length after the two bytes of code.
    let handlers_at = len_at + 4 + 2;
    assert_eq!(&b[handlers_at..handlers_at + 2], &[0, 1]);
    // The class's attributes_count: before the last attribute (SourceFile, 8 bytes).
    let attrs_at = b.len() - 8 - 2;
    assert_eq!(&b[attrs_at..attrs_at + 2], &[0, 1]);
    for (at, what) in [(handlers_at, "exception table"), (attrs_at, "attributes")] {
        let mut m = b.clone();
        m[at..at + 2].copy_from_slice(&[0xff, 0xff]);
        let (k, msg) = fail(&m);
        assert!(matches!(k, ErrorKind::CountExceedsInput { what: w, count: 65535, .. } if w == what), "{msg}");
    }
    // A StackMapTable full_frame claiming 65535 locals.
    let (k, _) = fail_with(Opts { frame: Some(vec![255, 0, 1, 0xff, 0xff]), ..Opts::default() });
    assert!(matches!(k, ErrorKind::CountExceedsInput { what: "verification_type_info", count: 65535, .. }), "{k:?}");
}

#[test]
fn missing_code_attribute() {
    let (b, l) = build(&Opts::default());
    let (name_at, _) = bar_code_offsets(&l);
    assert_eq!(&b[name_at..name_at + 2], &[0, 13]); // "Code"
                                                    // Rename bar's Code attribute to "Foo.java": an unknown attribute, so bar has no code.
    let mut m = b;
    m[name_at..name_at + 2].copy_from_slice(&[0, 21]);
    let (k, msg) = fail(&m);
    assert_eq!(
        k,
        ErrorKind::CodeAttribute { reason: "missing Code attribute in a method that is not abstract or native" }
    );
    assert!(
        msg.starts_with(
            "ClassFormatError: Foo.bar(I)I: missing Code attribute in a method that is not abstract or native at offset"
        ),
        "{msg}"
    );
    // And the converse: a native method with code.
    let (k, _) = fail_with(Opts { method_flags: 0x0109, ..Opts::default() });
    assert_eq!(k, ErrorKind::CodeAttribute { reason: "Code attribute in an abstract or native method" });
}

// ---- verifier cases (verify_bad_code.rs has many more) ----

use pd_jvm::verify::{verify_class, ClassSet, VerifyErrorKind as K};

/// Parse (must succeed) and verify against java.lang; the error message.
fn verify_fail(o: Opts) -> (K, String) {
    let bytes = build(&o).0;
    let class = classfile::parse(&bytes).unwrap_or_else(|e| panic!("does not parse: {e}"));
    let mut env = ClassSet::with_java_lang();
    env.add(&class);
    match verify_class(&class, &env) {
        Ok(()) => panic!("bad code verified"),
        Err(e) => (e.kind().clone(), e.to_string()),
    }
}

/// `bar` with exactly this code, descriptor and limits.
fn bare(desc: &'static str, code: &[u8], max_stack: u16, max_locals: u16) -> Opts {
    Opts { bare: true, method_desc: desc, code: code.to_vec(), max_stack, max_locals, ..Opts::default() }
}

#[test]
fn a_bare_class_verifies() {
    let bytes = build(&bare("(I)I", &[0x1a, 0xac], 1, 1)).0;
    let class = classfile::parse(&bytes).unwrap();
    let mut env = ClassSet::with_java_lang();
    env.add(&class);
    verify_class(&class, &env).unwrap();
}

#[test]
fn verify_bad_branch_targets() {
    // goto 4, into the middle of sipush at 3.
    let (k, m) = verify_fail(bare("()V", &[0xa7, 0, 4, 0x11, 0, 1, 0xb1], 1, 0));
    assert_eq!(k, K::BranchIntoInstruction { target: 4 });
    assert_eq!(
        m,
        "VerifyError: Foo.bar()V at bytecode offset 0 (goto): branch target 4 is in the middle of an instruction"
    );
    // goto +100 and goto -1: outside the code.
    let (k, m) = verify_fail(bare("()V", &[0xa7, 0, 100, 0xb1], 1, 0));
    assert_eq!(k, K::BranchOutsideCode { target: 100 });
    assert_eq!(m, "VerifyError: Foo.bar()V at bytecode offset 0 (goto): branch target 100 is outside the code");
    let (k, _) = verify_fail(bare("()V", &[0xb1, 0xa7, 0xff, 0xfe], 1, 0));
    assert_eq!(k, K::BranchOutsideCode { target: -1 });
}

#[test]
fn verify_stack_underflow_and_overflow() {
    let (k, m) = verify_fail(bare("()I", &[0x04, 0x60, 0xac], 2, 0));
    assert_eq!(k, K::StackUnderflow { expected: "int".into() });
    assert_eq!(m, "VerifyError: Foo.bar()I at bytecode offset 1 (iadd): operand stack underflow: expected int");
    let (k, m) = verify_fail(bare("()I", &[0x04, 0x04, 0x60, 0xac], 1, 0));
    assert_eq!(k, K::StackOverflow { max_stack: 1 });
    assert_eq!(m, "VerifyError: Foo.bar()I at bytecode offset 1 (iconst_1): operand stack overflow: max_stack is 1");
    // A long takes two slots of max_stack.
    let (k, _) = verify_fail(bare("()J", &[0x09, 0xad], 1, 0));
    assert_eq!(k, K::StackOverflow { max_stack: 1 });
}

#[test]
fn verify_type_confusion() {
    // An int used as a reference.
    let (_, m) = verify_fail(bare("(I)Ljava/lang/Object;", &[0x2a, 0xb0], 1, 1));
    assert_eq!(
        m,
        "VerifyError: Foo.bar(I)Ljava/lang/Object; at bytecode offset 0 (aload_0): expected a reference in local variable 0, found int"
    );
    // An uninitialized object returned: new java/lang/Object; areturn.
    let (_, m) = verify_fail(bare("()Ljava/lang/Object;", &[0xbb, 0, 4, 0xb0], 1, 0));
    assert_eq!(
        m,
        "VerifyError: Foo.bar()Ljava/lang/Object; at bytecode offset 3 (areturn): expected java/lang/Object on the operand stack, found uninitialized object from new at 0"
    );
    // The wrong return instruction, and the wrong type returned.
    let (k, m) = verify_fail(bare("()I", &[0x0b, 0xae], 1, 0));
    assert_eq!(k, K::BadReturn { expected: "int".into() });
    assert_eq!(
        m,
        "VerifyError: Foo.bar()I at bytecode offset 1 (freturn): wrong return instruction: the method returns int"
    );
    let (_, m) = verify_fail(bare("(Ljava/lang/Object;)Ljava/lang/String;", &[0x2a, 0xb0], 1, 1));
    assert!(m.ends_with("(areturn): expected java/lang/String on the operand stack, found java/lang/Object"), "{m}");
    // putfield Foo.X:I on a String. 24: NameAndType(X, I); 25: Fieldref(Foo, 24).
    let (_, m) = verify_fail(Opts {
        extra_cp: vec![vec![12, 0, 7, 0, 8], vec![9, 0, 2, 0, 24]],
        ..bare("(Ljava/lang/String;)V", &[0x2a, 0x03, 0xb5, 0, 25, 0xb1], 2, 1)
    });
    assert_eq!(
        m,
        "VerifyError: Foo.bar(Ljava/lang/String;)V at bytecode offset 2 (putfield): expected Foo on the operand stack, found java/lang/String"
    );
}

#[test]
fn verify_long_split_across_slots() {
    // The second slot of a long parameter read as an int.
    let (_, m) = verify_fail(bare("(J)I", &[0x1b, 0xac], 1, 2));
    assert_eq!(
        m,
        "VerifyError: Foo.bar(J)I at bytecode offset 0 (iload_1): expected int in local variable 1, found top (unusable)"
    );
    // The long read as an int.
    let (_, m) = verify_fail(bare("(J)I", &[0x1a, 0xac], 1, 2));
    assert_eq!(
        m,
        "VerifyError: Foo.bar(J)I at bytecode offset 0 (iload_0): expected int in local variable 0, found long"
    );
    // Overwriting its second half destroys the long: iconst_0; istore_1; lload_0; lreturn.
    let (_, m) = verify_fail(bare("(J)J", &[0x03, 0x3c, 0x1e, 0xad], 2, 2));
    assert_eq!(
        m,
        "VerifyError: Foo.bar(J)J at bytecode offset 2 (lload_0): expected long in local variable 0, found top (unusable)"
    );
    // A long in the last local slot does not fit: lconst_0; lstore_1 with max_locals 2.
    let (k, _) = verify_fail(bare("(I)V", &[0x09, 0x40, 0xb1], 2, 2));
    assert_eq!(k, K::BadLocalIndex { index: 2, max_locals: 2 });
}

#[test]
fn verify_bad_stack_map_frames() {
    use pd_jvm::verify::FrameNeed;
    // iload_0; ifeq 6; iconst_1; ireturn; [6] iconst_0; ireturn
    let code = [0x1a, 0x99, 0, 5, 0x04, 0xac, 0x03, 0xac];
    let with_frame = |frame: Option<Vec<u8>>| Opts { frame, ..bare("(I)I", &code, 1, 1) };
    let bytes = build(&with_frame(Some(vec![6]))).0;
    let class = classfile::parse(&bytes).unwrap();
    let mut env = ClassSet::with_java_lang();
    env.add(&class);
    verify_class(&class, &env).expect("same_frame at 6 is right");
    // No frame at the branch target.
    let (k, m) = verify_fail(with_frame(None));
    assert_eq!(k, K::MissingFrame { target: 6, need: FrameNeed::BranchTarget });
    assert_eq!(m, "VerifyError: Foo.bar(I)I at bytecode offset 1 (ifeq): no stack map frame at branch target 6");
    // A frame that does not match: a float on the stack.
    let (k, m) = verify_fail(with_frame(Some(vec![64 + 6, 2])));
    assert!(matches!(k, K::FrameMismatch { target: 6, need: FrameNeed::BranchTarget, .. }), "{m}");
    assert!(m.ends_with("(ifeq): type state does not match the stack map frame at branch target 6: the operand stack has 0 values, the frame has 1"), "{m}");
    // chop_frame of 3 locals when there is one.
    let (k, _) = verify_fail(with_frame(Some(vec![248, 0, 6])));
    assert_eq!(k, K::BadStackMapFrame { offset: 6, reason: "chop_frame removes 3 locals but there are only 1".into() });
    // Uninitialized(0), but offset 0 is not a `new`.
    let (k, _) = verify_fail(with_frame(Some(vec![64 + 6, 8, 0, 0])));
    assert_eq!(
        k,
        K::BadStackMapFrame { offset: 6, reason: "uninitialized(0) does not refer to a new instruction".into() }
    );
    // A frame inside the ifeq instruction.
    let (k, m) = verify_fail(with_frame(Some(vec![2])));
    assert_eq!(k, K::FrameNotAtInstruction { offset: 2 });
    assert_eq!(m, "VerifyError: Foo.bar(I)I: stack map frame at offset 2 is not at an instruction boundary");
    // More locals than max_locals.
    let (k, _) = verify_fail(with_frame(Some(vec![255, 0, 6, 0, 2, 1, 1, 0, 0])));
    assert_eq!(k, K::BadStackMapFrame { offset: 6, reason: "2 local variable slots exceed max_locals 1".into() });
}

/// Found by reading the verifier while fuzzing it: the current type state
/// used to hold all `max_locals` slots, so every stack map frame and every
/// instruction under a handler cost 65535 steps when a class said
/// max_locals = 65535. An 8 KB class took 2 s to verify (release build).
/// Now the work is bounded by the locals actually used.
#[test]
fn verification_cost_does_not_scale_with_max_locals() {
    use std::time::{Duration, Instant};
    let n = 8000;
    let verify = |o: Opts| {
        let bytes = build(&o).0;
        let class = classfile::parse(&bytes).unwrap();
        let mut env = ClassSet::with_java_lang();
        env.add(&class);
        let t = Instant::now();
        verify_class(&class, &env).unwrap();
        t.elapsed()
    };
    // A same_frame at each of n nops.
    let mut code = vec![0u8; n];
    code.push(0xb1);
    let frames = verify(Opts { frame: Some(vec![0; n]), frames: n as u16, ..bare("()V", &code, 1, 65535) });
    // n nops under one handler (a `return`, then the handler's athrow).
    let mut code = vec![0u8; n];
    code.extend([0xb1, 0xbf]);
    let target = (n + 1) as u16;
    let handler = verify(Opts {
        method_desc: "()V",
        code,
        handler: (0, n as u16, target),
        frame: Some(vec![247, (target >> 8) as u8, target as u8, 7, 0, 6]),
        max_locals: 65535,
        ..Opts::default()
    });
    // Milliseconds now (debug builds included); seconds before.
    assert!(frames < Duration::from_secs(1) && handler < Duration::from_secs(1), "{frames:?} {handler:?}");
}
