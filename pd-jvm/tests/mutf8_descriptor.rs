//! Modified UTF-8 decoding and name/descriptor syntax.

use pd_jvm::classfile::descriptor::*;
use pd_jvm::classfile::mutf8::{self, Mutf8ErrorKind};
use std::borrow::Cow;

#[test]
fn ascii_and_bmp_borrow() {
    assert!(matches!(mutf8::decode(b"java/lang/Object"), Ok(Cow::Borrowed("java/lang/Object"))));
    let s = "h\u{e9}llo \u{4e16}\u{754c}";
    assert!(matches!(mutf8::decode(s.as_bytes()), Ok(Cow::Borrowed(x)) if x == s));
    assert_eq!(mutf8::encode(s), s.as_bytes());
    assert!(mutf8::decode(b"").unwrap().is_empty());
}

#[test]
fn nul_and_surrogate_pairs() {
    assert_eq!(mutf8::decode(&[b'a', 0xC0, 0x80, b'b']).unwrap(), "a\0b");
    // U+1F600 as a surrogate pair D83D DE00.
    let smile = [0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80];
    assert_eq!(mutf8::decode(&smile).unwrap(), "\u{1F600}");
    assert_eq!(mutf8::decode_utf16(&smile).unwrap(), [0xD83D, 0xDE00]);
    assert_eq!(mutf8::encode("\0\u{1F600}"), [0xC0, 0x80, 0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80]);
    for s in ["", "abc", "\0", "\u{7ff}\u{800}\u{ffff}", "\u{10000}\u{10ffff}x"] {
        assert_eq!(mutf8::decode(&mutf8::encode(s)).unwrap(), s);
    }
}

#[test]
fn unpaired_surrogates_are_valid_java_but_not_rust_strings() {
    let lone_high = [b'x', 0xED, 0xA0, 0xBD];
    assert!(mutf8::validate(&lone_high).is_ok());
    assert_eq!(mutf8::decode_utf16(&lone_high).unwrap(), [0x78, 0xD83D]);
    let e = mutf8::decode(&lone_high).unwrap_err();
    assert_eq!((e.kind, e.position), (Mutf8ErrorKind::UnpairedSurrogate, 1));
    let lone_low = [0xED, 0xB8, 0x80, b'y'];
    assert_eq!(mutf8::decode(&lone_low).unwrap_err().kind, Mutf8ErrorKind::UnpairedSurrogate);
    // High followed by a non-surrogate.
    let e = mutf8::decode(&[0xED, 0xA0, 0xBD, b'z']).unwrap_err();
    assert_eq!(e.kind, Mutf8ErrorKind::UnpairedSurrogate);
    assert_eq!(mutf8::decode_lossy(&lone_high), "x\u{fffd}");
}

#[test]
fn invalid_forms_are_rejected_with_position() {
    for (bytes, pos) in [
        (&[0x00][..], 0),
        (&[b'a', b'b', 0x00][..], 2),
        (&[0x80][..], 0),
        (&[0xC1, 0xBF][..], 0),       // overlong U+007F
        (&[0xE0, 0x9F, 0xBF][..], 0), // overlong U+07FF
        (&[0xF0, 0x9F, 0x98, 0x80][..], 0),
        (&[0xFF][..], 0),
        (&[b'a', 0xC3][..], 2), // truncated: missing continuation
        (&[0xE4, 0xB8][..], 2), // truncated 3-byte
        (&[0xC3, 0x28][..], 1), // bad continuation
    ] {
        let e = mutf8::validate(bytes).unwrap_err();
        assert_eq!(e.kind, Mutf8ErrorKind::Invalid, "{bytes:?}");
        // The position is the offending byte: the lead, or the bad/missing continuation.
        assert_eq!(e.position, pos, "{bytes:?}: {e}");
        assert!(mutf8::decode(bytes).is_err());
        assert!(mutf8::decode_utf16(bytes).is_err());
    }
}

#[test]
fn field_descriptors() {
    assert_eq!(parse_field_descriptor(b"I"), Some(FieldType::Base(BaseType::Int)));
    assert_eq!(parse_field_descriptor(b"Ljava/lang/String;"), Some(FieldType::Object(b"java/lang/String")));
    assert_eq!(
        parse_field_descriptor(b"[[J"),
        Some(FieldType::Array { dimensions: 2, element: ElementType::Base(BaseType::Long) })
    );
    let d255 = format!("{}I", "[".repeat(255));
    assert!(parse_field_descriptor(d255.as_bytes()).is_some());
    let d256 = format!("{}I", "[".repeat(256));
    assert!(parse_field_descriptor(d256.as_bytes()).is_none());
    for bad in ["", "V", "II", "L;", "Ljava/lang/String", "La//b;", "La.b;", "[", "Q", "Ljava/lang/String;I", "L[I;"] {
        assert!(parse_field_descriptor(bad.as_bytes()).is_none(), "{bad}");
    }
    assert_eq!(parse_field_descriptor(b"J").unwrap().slots(), 2);
}

#[test]
fn method_descriptors() {
    let m = parse_method_descriptor(b"(IDLjava/lang/Thread;[[Z)Ljava/lang/Object;").unwrap();
    assert_eq!(m.parameters.len(), 4);
    assert_eq!(m.parameter_slots(), 5);
    assert_eq!(m.return_type, Some(FieldType::Object(b"java/lang/Object")));
    assert_eq!(parse_method_descriptor(b"()V").unwrap().return_type, None);
    for bad in ["", "()", "(V)V", "(I)VV", "I", "(I", ")V", "(I)[V", "(L;)V"] {
        assert!(parse_method_descriptor(bad.as_bytes()).is_none(), "{bad}");
    }
}

#[test]
fn names() {
    assert!(is_unqualified_name(b"foo$bar"));
    assert!(is_unqualified_name("caf\u{e9}".as_bytes()));
    for bad in ["", "a.b", "a;b", "a[b", "a/b"] {
        assert!(!is_unqualified_name(bad.as_bytes()), "{bad}");
    }
    assert!(is_method_name(b"<init>") && is_method_name(b"<clinit>") && is_method_name(b"run"));
    assert!(!is_method_name(b"<foo>") && !is_method_name(b"a<b"));
    assert!(is_binary_class_name(b"java/lang/Object") && is_binary_class_name(b"Foo"));
    for bad in ["", "/a", "a/", "a//b", "a.b", "a;"] {
        assert!(!is_binary_class_name(bad.as_bytes()), "{bad}");
    }
    assert!(is_class_entry_name(b"[Ljava/lang/String;") && is_class_entry_name(b"[I"));
    assert!(!is_class_entry_name(b"[V") && !is_class_entry_name(b"["));
}
