//! Parse, then verify every method against a small fixed class environment
//! (`ClassSet::with_java_lang()` plus the class itself), as the tests do.
//! The verifier must accept or return a `VerifyError`, never panic, loop
//! or allocate out of proportion to the input.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use pd_jvm::classfile;
use pd_jvm::verify::{verify_class, verify_method, ClassSet};

fn java_lang() -> &'static ClassSet {
    static ENV: OnceLock<ClassSet> = OnceLock::new();
    ENV.get_or_init(ClassSet::with_java_lang)
}

fuzz_target!(|data: &[u8]| {
    let Ok(class) = classfile::parse(data) else { return };
    let mut env = java_lang().clone();
    env.add(&class);
    if let Err(e) = verify_class(&class, &env) {
        assert!(e.to_string().starts_with("VerifyError: "));
    }
    // Every method, also those after the first failure.
    for m in &class.methods {
        if let Err(e) = verify_method(&class, m, &env) {
            assert!(e.to_string().starts_with("VerifyError: "));
        }
    }
});
