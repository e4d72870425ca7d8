//! Every class of the installed JDK's java.base must parse, and agree with
//! the independent `cafebabe` parser on the structure both expose.

mod common;

use pd_jvm::classfile::{self, mutf8, Attribute};

/// The class access flags JVMS 4.1 defines.
const CLASS_FLAGS_DEFINED: u16 = 0xF631;

fn s(b: &[u8]) -> String {
    mutf8::decode(b).expect("decodable name").into_owned()
}

#[test]
fn all_java_base_classes_parse() {
    let Some(classes) = common::java_base_classes() else {
        return;
    };
    assert!(classes.len() > 6000, "only {} classes extracted", classes.len());
    let mut failures = Vec::new();
    let mut methods = 0usize;
    let mut frames = 0usize;
    for (path, bytes) in &classes {
        match classfile::parse(bytes) {
            Ok(c) => {
                methods += c.methods.len();
                frames += c
                    .methods
                    .iter()
                    .filter_map(|m| m.code())
                    .filter_map(|code| code.stack_map_table())
                    .map(|f| f.len())
                    .sum::<usize>();
            }
            Err(e) => failures.push(format!("{path}: {e}")),
        }
    }
    println!(
        "java.base: parsed {} of {} classes ({} methods, {} stack map frames)",
        classes.len() - failures.len(),
        classes.len(),
        methods,
        frames
    );
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn java_base_agrees_with_cafebabe() {
    let Some(classes) = common::java_base_classes() else {
        return;
    };
    let mut compared = 0usize;
    let mut cafebabe_failed = Vec::new();
    let mut mismatches = Vec::new();
    for (path, bytes) in &classes {
        let ours = classfile::parse(bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut opts = cafebabe::ParseOptions::default();
        opts.parse_bytecode(false);
        let theirs = match cafebabe::parse_class_with_options(bytes, &opts) {
            Ok(t) => t,
            Err(e) => {
                cafebabe_failed.push(format!("{path}: {e}"));
                continue;
            }
        };
        compared += 1;
        let mut diff = |what: &str, a: String, b: String| {
            if a != b {
                mismatches.push(format!("{path}: {what}: ours {a:?} cafebabe {b:?}"));
            }
        };
        diff("major", ours.major_version.to_string(), theirs.major_version.to_string());
        // cafebabe drops undefined bits (jlink sets 0x0002 on the *$Holder classes).
        diff(
            "access_flags",
            (ours.access_flags & CLASS_FLAGS_DEFINED).to_string(),
            theirs.access_flags.bits().to_string(),
        );
        diff("this", s(ours.name()), theirs.this_class.to_string());
        diff(
            "super",
            format!("{:?}", ours.super_name().map(s)),
            format!("{:?}", theirs.super_class.as_ref().map(|c| c.to_string())),
        );
        diff(
            "interfaces",
            format!("{:?}", ours.interface_names().map(s).collect::<Vec<_>>()),
            format!("{:?}", theirs.interfaces.iter().map(|c| c.to_string()).collect::<Vec<_>>()),
        );
        diff("field count", ours.fields.len().to_string(), theirs.fields.len().to_string());
        for (a, b) in ours.fields.iter().zip(&theirs.fields) {
            diff(
                "field",
                format!("{} {} {:#x}", s(a.name), s(a.descriptor), a.access_flags),
                format!("{} {} {:#x}", b.name, b.descriptor, b.access_flags.bits()),
            );
        }
        diff("method count", ours.methods.len().to_string(), theirs.methods.len().to_string());
        for (a, b) in ours.methods.iter().zip(&theirs.methods) {
            let their_code = b.attributes.iter().find_map(|at| match &at.data {
                cafebabe::attributes::AttributeData::Code(c) => Some(c),
                _ => None,
            });
            diff(
                "method",
                format!(
                    "{}{} {:#x} code={:?} handlers={:?} max={:?}",
                    s(a.name),
                    s(a.descriptor),
                    a.access_flags,
                    a.code().map(|c| c.code.len()),
                    a.code().map(|c| c.exception_table.len()),
                    a.code().map(|c| (c.max_stack, c.max_locals)),
                ),
                format!(
                    "{}{} {:#x} code={:?} handlers={:?} max={:?}",
                    b.name,
                    b.descriptor,
                    b.access_flags.bits(),
                    their_code.map(|c| c.code.len()),
                    their_code.map(|c| c.exception_table.len()),
                    their_code.map(|c| (c.max_stack, c.max_locals)),
                ),
            );
            // Same number of StackMapTable frames.
            let their_frames = their_code.and_then(|c| {
                c.attributes.iter().find_map(|at| match &at.data {
                    cafebabe::attributes::AttributeData::StackMapTable(f) => Some(f.len()),
                    _ => None,
                })
            });
            let our_frames = a.code().and_then(|c| c.stack_map_table()).map(|f| f.len());
            diff("stack map frames", format!("{our_frames:?}"), format!("{their_frames:?}"));
        }
        let our_bsm = ours.attributes.iter().find_map(|a| match a {
            Attribute::BootstrapMethods(b) => Some(b.len()),
            _ => None,
        });
        let their_bsm = theirs.attributes.iter().find_map(|a| match &a.data {
            cafebabe::attributes::AttributeData::BootstrapMethods(b) => Some(b.len()),
            _ => None,
        });
        diff("bootstrap methods", format!("{our_bsm:?}"), format!("{their_bsm:?}"));
    }
    println!(
        "cafebabe cross-check: compared {} classes, {} mismatches, cafebabe could not parse {}",
        compared,
        mismatches.len(),
        cafebabe_failed.len()
    );
    for f in &cafebabe_failed {
        println!("  cafebabe failed: {f}");
    }
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.iter().take(50).cloned().collect::<Vec<_>>().join("\n")
    );
    assert!(cafebabe_failed.len() * 100 < classes.len(), "cafebabe failed on too many classes");
    assert!(compared > 6000);
}

/// Random byte mutations and truncations of a sample of real classes never
/// panic (debug builds also trap arithmetic overflow).
#[test]
fn mutated_java_base_classes_never_panic() {
    let Some(classes) = common::java_base_classes() else {
        return;
    };
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut parsed = 0usize;
    let mut rejected = 0usize;
    for (_, bytes) in classes.iter().step_by(40) {
        for _ in 0..200 {
            let mut b = bytes.clone();
            for _ in 0..1 + next() % 3 {
                let i = (next() % b.len() as u64) as usize;
                b[i] = next() as u8;
            }
            if next() % 4 == 0 {
                let cut = (next() % b.len() as u64) as usize;
                b.truncate(cut);
            }
            match classfile::parse(&b) {
                Ok(_) => parsed += 1,
                Err(e) => {
                    assert!(e.to_string().starts_with("ClassFormatError: "));
                    rejected += 1;
                }
            }
        }
    }
    println!("mutations: {parsed} still parsed, {rejected} rejected");
    assert!(rejected > 0);
}
