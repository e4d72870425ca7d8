//! Basic execution: hello world, arithmetic, objects, arrays, exceptions.

use pd_jvm_test_support::*;

#[test]
fn hello_world() {
    require_javac();
    let r = run_java(
        &[(
            "Main.java",
            r#"
public class Main {
    public static void main(String[] args) {
        System.out.println("Hello, world");
        int s = 0;
        for (int i = 0; i < 10; i++) s += i;
        System.out.println(s);
    }
}
"#,
        )],
        "Main",
    );
    assert_eq!(r.stderr, "");
    assert!(r.result.is_ok(), "{:?}", r.result);
    assert_eq!(r.stdout, "Hello, world\n45\n");
}
