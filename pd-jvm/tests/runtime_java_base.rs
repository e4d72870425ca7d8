//! The loader and linker on a large real class set: every class of the
//! installed JDK's java.base is created (superclasses, field layout,
//! vtables) and verified through the VM's lazy-loading `ClassEnv`.
//! Nothing runs.

#[path = "common/mod.rs"]
mod common;

use std::collections::BTreeMap;

use pd_jvm::runtime::{MapSource, NullOutput, Vm, VmConfig};

#[test]
fn every_java_base_class_loads_and_links() {
    let Some(classes) = common::java_base_classes() else { return };
    let mut map = BTreeMap::new();
    for (path, bytes) in classes {
        // .../java.base/java/lang/Object.class -> java/lang/Object
        let Some(rel) = path.split("/java.base/").nth(1) else { continue };
        let name = rel.trim_end_matches(".class");
        if name == "module-info" {
            continue;
        }
        map.insert(name.as_bytes().to_vec(), bytes);
    }
    let names: Vec<String> = map.keys().map(|k| String::from_utf8(k.clone()).unwrap()).collect();
    let mut vm = Vm::new(VmConfig::default(), Box::new(NullOutput)).unwrap();
    vm.add_source(Box::new(MapSource(map)));
    let mut failures = Vec::new();
    for n in &names {
        if let Err(e) = vm.load_and_link(n) {
            failures.push(format!("{n}: {}: {}", e.class, e.message));
        }
    }
    assert!(names.len() > 5000, "only {} classes", names.len());
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n{}",
        failures.len(),
        names.len(),
        failures[..failures.len().min(30)].join("\n")
    );
    assert!(vm.class_count() >= names.len());
}
