//! Classes compiled by `javac --release 17` from small sources that use
//! records, enums, sealed interfaces, lambdas, default/private interface
//! methods, nested classes and string switches; checks specific contents.

mod common;

use pd_jvm::classfile::{self, flags::*, mutf8, Attribute, ClassFile, Constant, StackMapFrame, VerificationType};

const SHAPE: &str = r#"
public sealed interface Shape permits Circle, Square {
    double area();
    default String describe() { return helper() + area(); }
    private String helper() { return "shape:"; }
    static Shape unit() { return new Square(1); }
}
"#;

const CIRCLE: &str = r#"
public record Circle(double r) implements Shape {
    public double area() { return Math.PI * r * r; }
}
"#;

const SQUARE: &str = r#"
public record Square(double side) implements Shape {
    public Square {
        if (side < 0) throw new IllegalArgumentException("negative");
    }
    public double area() { return side * side; }
}
"#;

const FIXTURE: &str = r#"
import java.util.function.*;

public class Fixture {
    enum Color { RED, GREEN, BLUE; Color next() { return values()[(ordinal() + 1) % values().length]; } }
    class Inner { int get() { return secret; } }
    static class Nested { }

    private int secret = 42;
    static final long BIG = 1234567890123L;
    static final String NAME = "fix\u0000ture\uD83D\uDE00";

    static int sw(String s) {
        switch (s) {
            case "a": return 1;
            case "bb": return 2;
            default: return 0;
        }
    }

    static int loop(int n) {
        int acc = 0;
        for (int i = 0; i < n; i++) {
            if ((i & 1) == 0) acc += i; else acc -= 1;
        }
        return acc;
    }

    static int sum3(int a, int b, int c) { return a + b + c; }

    static int full(int a) {
        return sum3(a, a, a > 0 ? 1 : 2);
    }

    static Supplier<String> lambda(String x) {
        Function<String, String> f = y -> y + x;
        return () -> f.apply("v");
    }

    static int tryCatch(int[] a) {
        try { return a[3]; } catch (ArrayIndexOutOfBoundsException e) { return -1; } finally { a[0] = 0; }
    }

    Object anon() { return new Object() { public String toString() { return "anon"; } }; }

    static String concat(String a, int b) { return a + b; }
}
"#;

fn s(b: &[u8]) -> String {
    mutf8::decode(b).unwrap().into_owned()
}

fn class_list(c: &ClassFile<'_>, idx: &[u16]) -> Vec<String> {
    idx.iter().map(|&i| s(c.constant_pool.class_name(i).unwrap())).collect()
}

#[test]
fn javac_fixtures_parse_with_expected_contents() {
    let Some(classes) = common::compile(&[
        ("Shape.java", SHAPE),
        ("Circle.java", CIRCLE),
        ("Square.java", SQUARE),
        ("Fixture.java", FIXTURE),
    ]) else {
        return;
    };
    let parsed: Vec<(String, ClassFile<'_>)> = classes
        .iter()
        .map(|(n, b)| {
            let c = classfile::parse(b).unwrap_or_else(|e| panic!("{n}: {e}"));
            assert_eq!(c.major_version, 61, "{n}");
            (n.clone(), c)
        })
        .collect();
    let get = |name: &str| -> &ClassFile<'_> {
        &parsed.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("{name} not compiled")).1
    };
    let names: Vec<&str> = parsed.iter().map(|(n, _)| n.as_str()).collect();
    for n in ["Shape", "Circle", "Square", "Fixture", "Fixture$Color", "Fixture$Inner", "Fixture$Nested", "Fixture$1"] {
        assert!(names.contains(&n), "{n} missing from {names:?}");
    }

    // Sealed interface with default and private methods.
    let shape = get("Shape");
    assert!(shape.is_interface());
    assert_ne!(shape.access_flags & ACC_ABSTRACT, 0);
    let permitted = shape
        .attributes
        .iter()
        .find_map(|a| match a {
            Attribute::PermittedSubclasses(p) => Some(class_list(shape, p)),
            _ => None,
        })
        .expect("PermittedSubclasses");
    assert_eq!(permitted, ["Circle", "Square"]);
    let area = shape.method(b"area", b"()D").unwrap();
    assert_ne!(area.access_flags & ACC_ABSTRACT, 0);
    assert!(area.code().is_none());
    let describe = shape.method(b"describe", b"()Ljava/lang/String;").unwrap();
    assert_eq!(describe.access_flags & (ACC_PUBLIC | ACC_ABSTRACT), ACC_PUBLIC);
    assert!(describe.code().is_some());
    let helper = shape.method(b"helper", b"()Ljava/lang/String;").unwrap();
    assert_ne!(helper.access_flags & ACC_PRIVATE, 0);
    assert!(helper.code().is_some());
    assert!(shape.method(b"unit", b"()LShape;").unwrap().code().is_some());

    // Records: components, final, java/lang/Record super, ObjectMethods bootstrap.
    let circle = get("Circle");
    assert_eq!(circle.super_name(), Some(&b"java/lang/Record"[..]));
    assert_ne!(circle.access_flags & ACC_FINAL, 0);
    let comps = circle.record_components().expect("Record attribute");
    assert_eq!(comps.len(), 1);
    assert_eq!((comps[0].name, comps[0].descriptor), (&b"r"[..], &b"D"[..]));
    assert!(!circle.bootstrap_methods().is_empty());
    let square = get("Square");
    assert_eq!(square.record_components().unwrap()[0].name, b"side");

    // Nest host and members.
    let fixture = get("Fixture");
    let members = fixture
        .attributes
        .iter()
        .find_map(|a| match a {
            Attribute::NestMembers(m) => Some(class_list(fixture, m)),
            _ => None,
        })
        .expect("NestMembers");
    for m in ["Fixture$Inner", "Fixture$Color", "Fixture$Nested", "Fixture$1"] {
        assert!(members.iter().any(|x| x == m), "{m} not in {members:?}");
    }
    let inner = get("Fixture$Inner");
    let host = inner
        .attributes
        .iter()
        .find_map(|a| match a {
            Attribute::NestHost { class_index } => Some(*class_index),
            _ => None,
        })
        .expect("NestHost");
    assert_eq!(inner.constant_pool.class_name(host), Some(&b"Fixture"[..]));
    assert!(inner.attributes.iter().any(|a| matches!(a, Attribute::InnerClasses(v) if !v.is_empty())));
    let anon = get("Fixture$1");
    assert!(anon
        .attributes
        .iter()
        .any(|a| matches!(a, Attribute::EnclosingMethod { method_index, .. } if *method_index != 0)));

    // Lambdas and string concatenation use invokedynamic + BootstrapMethods.
    let bsms = fixture.bootstrap_methods();
    assert!(bsms.len() >= 3, "expected lambda + concat bootstraps, got {bsms:?}");
    let indy = fixture.constant_pool.iter().filter(|(_, c)| matches!(c, Constant::InvokeDynamic { .. })).count();
    assert!(indy >= 3);
    for b in bsms {
        assert!(matches!(fixture.constant_pool.get(b.method_ref), Some(Constant::MethodHandle { .. })));
    }
    let lambda = fixture.method(b"lambda", b"(Ljava/lang/String;)Ljava/util/function/Supplier;").unwrap();
    assert!(lambda.attributes.iter().any(|a| matches!(a, Attribute::Signature { .. })));
    assert!(fixture.methods.iter().any(|m| m.name.starts_with(b"lambda$") && m.access_flags & ACC_SYNTHETIC != 0));

    // Constant values, including modified UTF-8 with NUL and a surrogate pair.
    let big = fixture.field(b"BIG").unwrap().constant_value().unwrap();
    assert_eq!(fixture.constant_pool.get(big), Some(&Constant::Long(1234567890123)));
    let name = fixture.field(b"NAME").unwrap().constant_value().unwrap();
    let Some(Constant::String { string_index }) = fixture.constant_pool.get(name) else {
        panic!("NAME is not a String constant");
    };
    let raw = fixture.constant_pool.utf8(*string_index).unwrap();
    assert!(raw.windows(2).any(|w| w == [0xC0, 0x80]));
    assert_eq!(mutf8::decode(raw).unwrap(), "fix\u{0}ture\u{1F600}");

    // Enum.
    let color = get("Fixture$Color");
    assert_ne!(color.access_flags & ACC_ENUM, 0);
    assert_eq!(color.super_name(), Some(&b"java/lang/Enum"[..]));
    assert_ne!(color.field(b"RED").unwrap().access_flags & ACC_ENUM, 0);

    // String switch: lookupswitch on hashCode, then tableswitch; has frames,
    // a LineNumberTable and MethodParameters (javac -parameters).
    let sw = fixture.method(b"sw", b"(Ljava/lang/String;)I").unwrap();
    let code = sw.code().unwrap();
    assert!(code.code.contains(&0xab), "lookupswitch expected");
    assert!(code.stack_map_table().is_some_and(|f| !f.is_empty()));
    assert!(code.line_numbers().count() > 0);
    let params = sw
        .attributes
        .iter()
        .find_map(|a| match a {
            Attribute::MethodParameters(p) => Some(p.clone()),
            _ => None,
        })
        .expect("MethodParameters");
    assert_eq!(fixture.constant_pool.utf8(params[0].name_index), Some(&b"s"[..]));

    // Loops produce append/same frames; LocalVariableTable names the locals.
    let code = fixture.method(b"loop", b"(I)I").unwrap().code().unwrap();
    let frames = code.stack_map_table().unwrap();
    assert!(frames
        .iter()
        .any(|f| matches!(f, StackMapFrame::Append { locals, .. } if locals.contains(&VerificationType::Integer))));
    for off in StackMapFrame::offsets(frames) {
        assert!(off < code.code.len());
    }
    assert!(code.local_variables().any(|v| v.name == b"acc" && v.descriptor == b"I"));

    // A branch target with two values on the operand stack needs a full frame.
    let code = fixture.method(b"full", b"(I)I").unwrap().code().unwrap();
    assert!(
        code.stack_map_table()
            .unwrap()
            .iter()
            .any(|f| matches!(f, StackMapFrame::Full { locals, stack, .. } if locals == &[VerificationType::Integer] && stack.len() >= 2)),
        "{:?}",
        code.stack_map_table()
    );

    // try/catch/finally: a typed handler and a catch-all.
    let code = fixture.method(b"tryCatch", b"([I)I").unwrap().code().unwrap();
    assert!(code.exception_table.iter().any(|h| h.catch_type == 0));
    assert!(code.exception_table.iter().any(|h| h.catch_type != 0
        && fixture.constant_pool.class_name(h.catch_type) == Some(&b"java/lang/ArrayIndexOutOfBoundsException"[..])));
    assert!(code
        .stack_map_table()
        .unwrap()
        .iter()
        .any(|f| matches!(f, StackMapFrame::SameLocals1StackItem { stack: VerificationType::Object { .. }, .. })));

    // Inner class constructor takes the outer instance; field flags.
    assert!(inner.method(b"<init>", b"(LFixture;)V").is_some());
    assert_ne!(fixture.field(b"secret").unwrap().access_flags & ACC_PRIVATE, 0);
}
