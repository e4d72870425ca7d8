//! Loading, linking and resolution errors (JVMS 5.3-5.4): classes compiled
//! separately so that they no longer agree, as after an incompatible
//! library change. The exception classes must match what HotSpot throws
//! (checked by running the same class files on `java`), and the messages
//! name the member.

use std::process::Command;

use pd_jvm_test_support::*;

/// v1 sources everything is compiled against.
const V1: &[(&str, &str)] = &[
    (
        "Lib.java",
        r##"
public class Lib {
    public static int gone() { return 1; }
    public static int field = 5;
    public static int hidden() { return 2; }
    public static int stat() { return 3; }
    public int inst() { return 4; }
    public static int mutable = 6;
    public static int nowInstance = 7;
}
"##,
    ),
    ("Gone.java", "public class Gone { public static int v() { return 1; } }"),
    ("Iface.java", "public interface Iface { int m(); }"),
    ("Impl.java", "public class Impl implements Iface { public int m() { return 9; } }"),
    ("DefA.java", "public interface DefA { default String who() { return \"A\"; } }"),
    ("DefB.java", "public interface DefB { }"),
    ("Both.java", "public class Both implements DefA, DefB { }"),
    ("Abs.java", "public class Abs { public Abs() {} }"),
    ("Base.java", "public class Base { }"),
    ("Sub.java", "public class Sub extends Base { }"),
    ("NotIface.java", "public interface NotIface { }"),
    ("Implementor.java", "public class Implementor implements NotIface { }"),
    ("FinM.java", "public class FinM { public void m() {} }"),
    ("OverFin.java", "public class OverFin extends FinM { public void m() {} }"),
    ("Host.java", "public class Host { private static int secret() { return 1; } public static class Member { public static int peek() { return secret(); } } }"),
    ("CycA.java", "public class CycA extends CycB { }"),
    ("CycB.java", "public class CycB { }"),
    (
        "Main.java",
        r##"
public class Main {
    interface Test { void run() throws Throwable; }
    static void t(String name, Test t) {
        try { t.run(); System.out.println(name + ": ok"); }
        catch (Throwable e) { System.out.println(name + ": " + e.getClass().getName()); Main.messages.append(e.getMessage()).append('\n'); }
    }
    static StringBuilder messages = new StringBuilder();
    static native void nat();
    public static void main(String[] args) {
        t("no such method", () -> Lib.gone());
        t("no such field", () -> System.out.println(Lib.field));
        t("illegal access", () -> Lib.hidden());
        t("expected static", () -> Lib.stat());
        t("expected non-static", () -> new Lib().inst());
        t("no class def", () -> Gone.v());
        t("abstract method", () -> { Iface i = new Impl(); i.m(); });
        t("conflicting defaults", () -> System.out.println(new Both().who()));
        t("instantiation", () -> new Abs());
        t("final superclass", () -> new Sub());
        t("not an interface", () -> new Implementor());
        t("circularity", () -> new CycA());
        t("overrides final", () -> new OverFin());
        t("nest host does not list member", () -> Host.Member.peek());
        t("final field", () -> Lib.mutable = 1);
        t("field became instance", () -> System.out.println(Lib.nowInstance));
        t("unsatisfied link", () -> nat());
        t("again no such method", () -> Lib.gone());
        System.out.print(messages);
    }
}
"##,
    ),
];

/// Changed versions compiled on their own.
const V2: &[&[(&str, &str)]] = &[
    &[(
        "Lib.java",
        r##"
public class Lib {
    private static int hidden() { return 2; }
    public int stat() { return 3; }
    public static int inst() { return 4; }
    public static final int mutable = 6;
    public int nowInstance = 7;
}
"##,
    )],
    &[("Impl.java", "public class Impl implements Iface { }"), ("Iface.java", "public interface Iface { }")],
    &[("DefB.java", "public interface DefB { default String who() { return \"B\"; } }")],
    &[("Abs.java", "public abstract class Abs { public Abs() {} }")],
    &[("Base.java", "public final class Base { }")],
    &[("NotIface.java", "public class NotIface { }")],
    &[("FinM.java", "public class FinM { public final void m() {} }")],
    &[("Host.java", "public class Host { private static int secret() { return 1; } }")],
    &[("CycB.java", "public class CycB extends CycA { }"), ("CycA.java", "public class CycA { }")],
];

fn build() -> Classes {
    let mut all = compile(V1);
    for set in V2 {
        // Only the first file's class changes; later files exist to
        // satisfy javac.
        let c = compile(set);
        let first = set[0].0.trim_end_matches(".java").as_bytes().to_vec();
        all.insert(first.clone(), c[&first].clone());
    }
    all.remove(&b"Gone"[..]);
    all
}

const EXPECTED_OUT: &str = "no such method: java.lang.NoSuchMethodError
no such field: java.lang.NoSuchFieldError
illegal access: java.lang.IllegalAccessError
expected static: java.lang.IncompatibleClassChangeError
expected non-static: java.lang.IncompatibleClassChangeError
no class def: java.lang.NoClassDefFoundError
abstract method: java.lang.AbstractMethodError
conflicting defaults: java.lang.IncompatibleClassChangeError
instantiation: java.lang.InstantiationError
final superclass: java.lang.IncompatibleClassChangeError
not an interface: java.lang.IncompatibleClassChangeError
circularity: java.lang.ClassCircularityError
overrides final: java.lang.IncompatibleClassChangeError
nest host does not list member: java.lang.IllegalAccessError
final field: java.lang.IllegalAccessError
field became instance: java.lang.IncompatibleClassChangeError
unsatisfied link: java.lang.UnsatisfiedLinkError
again no such method: java.lang.NoSuchMethodError
";

#[test]
fn linkage_errors_match_hotspot_and_name_the_member() {
    require_javac();
    let classes = build();
    let r = run_classes(&classes, "Main", test_config());
    assert!(r.result.is_ok(), "{:?} {}", r.result, r.stderr);
    let (head, messages) = r.stdout.split_at(EXPECTED_OUT.len().min(r.stdout.len()));
    assert_eq!(head, EXPECTED_OUT, "full output:\n{}", r.stdout);
    // The same class files on HotSpot throw the same exception classes.
    if have_java() {
        let dir = std::env::temp_dir().join(format!("pd-jvm-linking-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (name, bytes) in &classes {
            let p = dir.join(format!("{}.class", String::from_utf8_lossy(name)));
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, bytes).unwrap();
        }
        let o = Command::new("java").arg("-cp").arg(&dir).arg("Main").output().unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        let out = String::from_utf8_lossy(&o.stdout);
        assert_eq!(&out[..EXPECTED_OUT.len().min(out.len())], EXPECTED_OUT, "HotSpot printed:\n{out}");
    }
    let messages: Vec<&str> = messages.lines().collect();
    let expected = [
        "'int Lib.gone()'",
        "field",
        "class Main tried to access private method 'int Lib.hidden()'",
        "Expected static method 'int Lib.stat()'",
        "Expecting non-static method 'int Lib.inst()'",
        "Gone",
        "Receiver class Impl does not define or inherit an implementation of the resolved method 'abstract int m()' of interface Iface.",
        "Conflicting default methods: DefA.who DefB.who",
        "Abs",
        "class Sub cannot inherit from final class Base",
        "class Implementor can not implement NotIface, because it is not an interface",
        "CycA",
        "class OverFin overrides final method FinM.m()V",
        "class Host$Member tried to access private method 'int Host.secret()'",
        "Update to static final field Lib.mutable attempted from a different class (Main) than the field's declaring class",
        "Expected static field Lib.nowInstance",
        "'void Main.nat()'",
        "'int Lib.gone()'",
    ];
    assert_eq!(messages, expected);
}

#[test]
fn verify_errors_are_reported_at_link_time() {
    require_javac();
    let mut classes = compile(&[(
        "Main.java",
        r##"
public class Main {
    static class Broken { static String s() { return "x"; } }
    public static void main(String[] args) {
        try { System.out.println(Broken.s()); }
        catch (VerifyError e) { System.out.println("VerifyError " + (e.getMessage() != null)); }
        try { System.out.println(Broken.s()); }
        catch (VerifyError e) { System.out.println("again"); }
    }
}
"##,
    )]);
    // `ldc "x"; areturn` becomes `iconst_0; nop; areturn`: an int returned as a String.
    let b = classes.get_mut(&b"Main$Broken"[..]).unwrap();
    let at = b.windows(3).position(|w| w[0] == 0x12 && w[2] == 0xb0).unwrap();
    b[at] = 0x03;
    b[at + 1] = 0x00;
    let r = run_classes(&classes, "Main", test_config());
    assert!(r.result.is_ok(), "{:?} {}", r.result, r.stderr);
    assert_eq!(r.stdout, "VerifyError true\nagain\n");
}

#[test]
fn missing_main_class_and_method() {
    require_javac();
    let classes = compile(&[("Main.java", "public class Main { public static void notMain() {} }")]);
    let r = run_classes(&classes, "Main", test_config());
    assert!(matches!(r.result, Err(pd_jvm::runtime::VmError::Exception(_))));
    assert!(r.stderr.contains("java.lang.NoSuchMethodError: Main.main([Ljava/lang/String;)V"), "{}", r.stderr);
    let r = run_classes(&classes, "Nope", test_config());
    assert!(r.stderr.starts_with("Exception in thread \"main\" java.lang.NoClassDefFoundError: Nope"), "{}", r.stderr);
}

#[test]
fn hostile_class_files_fail_cleanly() {
    require_javac();
    let mut classes = compile(&[(
        "Main.java",
        r##"
public class Main {
    public static void main(String[] args) {
        try { new Bad(); } catch (ClassFormatError e) { System.out.println("CFE"); }
        try { new Wrong(); } catch (NoClassDefFoundError e) { System.out.println("NCDFE " + e.getMessage()); }
    }
}
class Bad {}
class Wrong {}
"##,
    )]);
    let bad = classes.get_mut(&b"Bad"[..]).unwrap();
    bad.truncate(bad.len() - 3);
    let wrong_as_other = classes[&b"Main"[..]].clone();
    classes.insert(b"Wrong".to_vec(), wrong_as_other);
    let r = run_classes(&classes, "Main", test_config());
    assert!(r.result.is_ok(), "{:?} {}", r.result, r.stderr);
    assert_eq!(r.stdout, "CFE\nNCDFE Wrong (wrong name: Main)\n");
}
