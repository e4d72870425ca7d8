//! Resolution ahead of a compile (`pd_jvm::runtime::preresolve`): a method
//! compiled before its first run reads and writes the fields of loaded
//! classes inline, while a class that is not loaded yet stays unloaded
//! until the instruction that names it runs.

mod support;

use pd_jvm::runtime::compiler::JitConfig;
use pd_jvm::runtime::{Value, VmError};
use support::*;

const PRE: &str = r#"
public class Pre {
    int f = 5;
    static int sf = 7;
    static int get(Pre p) { p.f += sf; return p.f; }
    static int late() { return Later.x; }
    static Pre make() { return new Pre(); }
}
class Later {
    static int x = 42;
}
"#;

#[test]
fn fields_of_loaded_classes_compile_inline_before_the_first_run() {
    require_javac();
    let classes = compile(&[("Pre.java", PRE)]);
    let mut jv =
        jit_vm(&classes, jit_test_config(), JitConfig::default(), jit::JitOptions { keep_ir: true, ..test_opts() });
    let get = method(&mut jv.vm, "Pre", "get", "(LPre;)I");
    let (ir, _) = compile_ir(&mut jv, get);
    // Nothing left to the interpreter: no `exec` helper (its signature is
    // the only one of three arguments), only the null check's `throw`.
    assert!(!ir.contains("(i64, i32, i32) -> i32"), "get's field accesses go through exec:\n{ir}");
    assert_eq!(ir.matches("call_indirect").count(), 1, "one helper call, the throw:\n{ir}");
    let make = method(&mut jv.vm, "Pre", "make", "()LPre;");
    let p = match jv.vm.invoke(make, &[]) {
        Ok(Value::Ref(r)) => jv.vm.pin(r),
        other => panic!("make: {other:?}"),
    };
    let arg = Value::Ref(jv.vm.pinned(&p));
    assert_eq!(jv.vm.invoke_compiled(get, &[arg]), Ok(Value::Int(12)));
    jv.vm.unpin(p);

    // `Later` is not loaded: compiling `late` loads nothing; running it
    // loads and initializes `Later` then.
    let late = method(&mut jv.vm, "Pre", "late", "()I");
    jv.vm.jit_compile(late).expect("compiles");
    assert!(jv.vm.find_loaded("Later").is_none(), "compiling loaded a class");
    assert_eq!(jv.vm.invoke_compiled(late, &[]), Ok::<Value, VmError>(Value::Int(42)));
    assert!(jv.vm.find_loaded("Later").is_some());
}
