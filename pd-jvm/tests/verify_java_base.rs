//! Every method of every class in the installed JDK's java.base must pass
//! the verifier, with a `ClassSet` over java.base itself as the hierarchy.

mod common;

use pd_jvm::classfile;
use pd_jvm::verify::{verify_class, verify_method, ClassSet};

#[test]
fn all_java_base_methods_verify() {
    let Some(classes) = common::java_base_classes() else {
        return;
    };
    let parsed: Vec<(&str, classfile::ClassFile<'_>)> = classes
        .iter()
        .map(|(path, bytes)| (path.as_str(), classfile::parse(bytes).unwrap_or_else(|e| panic!("{path}: {e}"))))
        .collect();
    let mut env = ClassSet::new();
    for (_, c) in &parsed {
        env.add(c);
    }

    let started = std::time::Instant::now();
    let mut methods = 0usize;
    let mut with_code = 0usize;
    let mut failures = Vec::new();
    let mut class_failures = Vec::new();
    for (_, c) in &parsed {
        if c.name() == b"module-info" {
            continue;
        }
        // Class-level rules first (final superclass, final overrides).
        if let Err(e) = verify_class(c, &env) {
            class_failures.push(e.to_string());
        }
        for m in &c.methods {
            methods += 1;
            if m.code().is_some() {
                with_code += 1;
            }
            if let Err(e) = verify_method(c, m, &env) {
                failures.push(e.to_string());
            }
        }
    }
    println!(
        "java.base: {} of {} methods verify ({} with code) in {} classes; {} failures; {:.2?}",
        methods - failures.len(),
        methods,
        with_code,
        parsed.len(),
        failures.len(),
        started.elapsed()
    );
    for f in failures.iter().take(200) {
        println!("  {f}");
    }
    assert!(failures.is_empty(), "{} methods failed to verify", failures.len());
    assert!(
        class_failures.is_empty(),
        "{} classes failed:\n{}",
        class_failures.len(),
        class_failures.iter().take(50).cloned().collect::<Vec<_>>().join("\n")
    );
}
