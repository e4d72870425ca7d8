//! The hosted code memory: one memfd mapped twice, never writable and
//! executable through the same mapping.

use jit::code_memory::{CodeMemory, MemfdCodeMemory};

#[test]
fn write_through_one_mapping_execute_through_the_other() {
    let mut mem = MemfdCodeMemory::new(4096);
    let (w, x) = mem.allocate(16, 16).unwrap();
    assert_ne!(w as usize, x, "two distinct mappings");
    assert_eq!(x % 16, 0);
    #[cfg(target_arch = "x86_64")]
    let code: &[u8] = &[0xB8, 0x2A, 0, 0, 0, 0xC3]; // mov eax, 42; ret
    #[cfg(target_arch = "aarch64")]
    let code: &[u8] = &[0x40, 0x05, 0x80, 0x52, 0xC0, 0x03, 0x5F, 0xD6]; // mov w0, #42; ret
                                                                         // SAFETY: `w` has room for 16 bytes.
    unsafe { core::ptr::copy_nonoverlapping(code.as_ptr(), w, code.len()) };
    mem.publish(w, x, code.len());
    // The execute mapping sees the bytes.
    // SAFETY: `x` maps the same 16 bytes.
    let seen = unsafe { core::slice::from_raw_parts(x as *const u8, code.len()) };
    assert_eq!(seen, code);
    // SAFETY: a complete function in executable memory.
    let f: extern "C" fn() -> u32 = unsafe { core::mem::transmute(x) };
    assert_eq!(f(), 42);
    // Allocations past a chunk get a new one.
    let (w2, x2) = mem.allocate(10_000, 16).unwrap();
    assert!(!w2.is_null() && x2 != 0);
    assert!(mem.used() >= 10_016);
}
