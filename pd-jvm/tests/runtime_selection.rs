//! Method selection (JVMS 5.4.6) in its corners: re-abstracted defaults,
//! maximally-specific superinterface methods, package-private methods that
//! do (not) override across packages, and `invokespecial` that selects by
//! the superclass at run time. The class files run on HotSpot too; outputs
//! must agree.

use std::process::Command;

use pd_jvm_test_support::*;

const V1: &[(&str, &str)] = &[
    ("A.java", "public interface A { default String m() { return \"A\"; } }"),
    ("B.java", "public interface B extends A { }"),
    ("Reabs.java", "public class Reabs implements B { }"),
    ("Spec1.java", "public interface Spec1 extends A { default String m() { return \"Spec1\"; } }"),
    ("MostSpecific.java", "public class MostSpecific implements A, Spec1 { }"),
    ("P.java", "public class P { public String m() { return \"P\"; } }"),
    ("ClassWins.java", "public class ClassWins extends P implements Spec1 { }"),
    ("p1/Pa.java", "package p1; public class Pa { String m() { return \"Pa\"; } public static String call(Pa a) { return a.m(); } }"),
    ("p2/Pb.java", "package p2; public class Pb extends p1.Pa { public String m() { return \"Pb\"; } }"),
    ("p1/Pc.java", "package p1; public class Pc extends p2.Pb { public String m() { return \"Pc\"; } }"),
    ("S1.java", "public class S1 { public String m() { return \"S1\"; } }"),
    ("S2.java", "public class S2 extends S1 { }"),
    ("S3.java", "public class S3 extends S2 { public String m() { return \"S3>\" + super.m(); } }"),
    ("D1.java", "public interface D1 { default String d() { return \"D1\"; } }"),
    ("D2.java", "public interface D2 { default String d() { return \"D2\"; } }"),
    ("Resolved.java", "public class Resolved implements D1, D2 { public String d() { return D1.super.d() + D2.super.d(); } }"),
    (
        "Main.java",
        r##"
public class Main {
    interface T { String run() throws Throwable; }
    static void t(String name, T t) {
        try { System.out.println(name + ": " + t.run()); }
        catch (Throwable e) { System.out.println(name + ": " + e.getClass().getName()); }
    }
    public static void main(String[] args) {
        t("re-abstracted default", () -> new Reabs().m());
        t("re-abstracted via interface", () -> { A a = new Reabs(); return a.m(); });
        t("most specific default", () -> new MostSpecific().m());
        t("class method beats default", () -> { A a = new ClassWins(); return a.m(); });
        t("package-private across packages", () -> p1.Pa.call(new p2.Pb()));
        t("package-private in package again", () -> p1.Pa.call(new p1.Pc()));
        t("pb virtual", () -> new p2.Pb().m());
        t("super selected at run time", () -> new S3().m());
        t("explicit default choice", () -> new Resolved().d());
    }
}
"##,
    ),
];

/// Changes compiled separately.
const V2: &[&[(&str, &str)]] = &[
    &[
        ("B.java", "public interface B extends A { String m(); }"),
        ("A.java", "public interface A { default String m() { return \"A\"; } }"),
    ],
    &[
        ("S2.java", "public class S2 extends S1 { public String m() { return \"S2\"; } }"),
        ("S1.java", "public class S1 { public String m() { return \"S1\"; } }"),
    ],
];

#[test]
fn selection_matches_hotspot() {
    require_javac();
    let mut all = compile(V1);
    for set in V2 {
        let c = compile(set);
        let first = set[0].0.trim_end_matches(".java").as_bytes().to_vec();
        all.insert(first.clone(), c[&first].clone());
    }
    let expected = "re-abstracted default: java.lang.AbstractMethodError
re-abstracted via interface: java.lang.AbstractMethodError
most specific default: Spec1
class method beats default: P
package-private across packages: Pa
package-private in package again: Pc
pb virtual: Pb
super selected at run time: S3>S2
explicit default choice: D1D2
";
    for stress in [false, true] {
        let r = run_classes(&all, "Main", pd_jvm::runtime::VmConfig { gc_stress: stress, ..test_config() });
        assert!(r.result.is_ok(), "{:?} {}", r.result, r.stderr);
        assert_eq!(r.stdout, expected);
    }
    if have_java() {
        let dir = std::env::temp_dir().join(format!("pd-jvm-selection-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (name, bytes) in &all {
            let p = dir.join(format!("{}.class", String::from_utf8_lossy(name)));
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, bytes).unwrap();
        }
        let o = Command::new("java").arg("-cp").arg(&dir).arg("Main").output().unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(String::from_utf8_lossy(&o.stdout), expected);
    }
}
