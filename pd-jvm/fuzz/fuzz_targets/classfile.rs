//! Arbitrary bytes into the class-file parser: it must return `Ok` or a
//! `ClassFormatError`, never panic, loop or allocate out of proportion to
//! the input. A parsed class is then walked through the accessors the
//! runtime uses, which must not panic either.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pd_jvm::classfile::{self, descriptor, mutf8, Constant, StackMapFrame};

fuzz_target!(|data: &[u8]| {
    let class = match classfile::parse(data) {
        Ok(c) => c,
        Err(e) => {
            let msg = e.to_string();
            assert!(msg.starts_with("ClassFormatError: "), "{msg}");
            assert!(e.offset() <= data.len(), "offset {} past the input ({})", e.offset(), data.len());
            return;
        }
    };
    let _ = (class.name(), class.super_name(), class.interface_names().count());
    let _ = (class.bootstrap_methods().len(), class.record_components().map(<[_]>::len));
    for (_, c) in class.constant_pool.iter() {
        if let Constant::Utf8(b) = c {
            let _ = mutf8::decode(b);
            let _ = mutf8::decode_utf16(b);
            let _ = mutf8::decode_lossy(b);
        }
    }
    for f in &class.fields {
        assert!(descriptor::parse_field_descriptor(f.descriptor).is_some());
        let _ = f.constant_value();
    }
    for m in &class.methods {
        assert!(descriptor::parse_method_descriptor(m.descriptor).is_some());
        let _ = m.exceptions().len();
        if let Some(code) = m.code() {
            assert!(!code.code.is_empty() && code.code.len() <= 65535);
            let frames = code.stack_map_table().unwrap_or(&[]);
            for off in StackMapFrame::offsets(frames) {
                assert!(off < code.code.len());
            }
            let _ = code.line_numbers().count() + code.local_variables().count();
        }
    }
});
