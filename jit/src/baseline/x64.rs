//! A small x86-64 assembler: the instruction forms the baseline tier's
//! templates use, encoded directly (no register allocation, no IR).
//! Memory operands are `[base + index * scale + disp]`; labels are bound
//! once and every jump to them is a 32-bit displacement patched at
//! [`Asm::finish`].

use alloc::vec::Vec;

/// A general-purpose register (its encoding number).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Reg(pub u8);

pub(crate) const RAX: Reg = Reg(0);
pub(crate) const RCX: Reg = Reg(1);
pub(crate) const RDX: Reg = Reg(2);
pub(crate) const RBX: Reg = Reg(3);
pub(crate) const RSI: Reg = Reg(6);
pub(crate) const RDI: Reg = Reg(7);
pub(crate) const R8: Reg = Reg(8);
pub(crate) const R12: Reg = Reg(12);
pub(crate) const R13: Reg = Reg(13);

/// `[base + index * scale + disp]`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Mem {
    pub base: Reg,
    /// Index register and scale (1, 2, 4 or 8); the index is never `rsp`.
    pub index: Option<(Reg, u8)>,
    pub disp: i32,
}

pub(crate) fn mem(base: Reg, disp: i32) -> Mem {
    Mem { base, index: None, disp }
}

pub(crate) fn mem_index(base: Reg, index: Reg, scale: u8, disp: i32) -> Mem {
    Mem { base, index: Some((index, scale)), disp }
}

/// Condition codes (the low nibble of `jcc`/`setcc`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cond {
    Ae = 3,
    E = 4,
    Ne = 5,
    L = 0xC,
    Ge = 0xD,
    Le = 0xE,
    G = 0xF,
}

/// Two-operand integer operations (`op r/m, r` opcodes; the `/digit` of
/// the immediate form is `opcode >> 3`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Alu {
    Add = 0x01,
    Or = 0x09,
    And = 0x21,
    Sub = 0x29,
    Xor = 0x31,
    Cmp = 0x39,
}

/// Shifts by `cl` (the `/digit` of `D3`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shift {
    Shl = 4,
    Shr = 5,
    Sar = 7,
}

/// Operand width of an integer instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum W {
    D32,
    Q64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Label(u32);

pub(crate) struct Asm {
    pub code: Vec<u8>,
    labels: Vec<Option<u32>>,
    /// (offset of a rel32, label it refers to).
    fixups: Vec<(u32, Label)>,
}

impl Asm {
    pub fn new() -> Asm {
        Asm { code: Vec::with_capacity(1024), labels: Vec::new(), fixups: Vec::new() }
    }

    pub fn label(&mut self) -> Label {
        self.labels.push(None);
        Label(self.labels.len() as u32 - 1)
    }

    pub fn bind(&mut self, l: Label) {
        debug_assert!(self.labels[l.0 as usize].is_none(), "label bound twice");
        self.labels[l.0 as usize] = Some(self.code.len() as u32);
    }

    /// The code with every jump patched; `None` if a label was never bound.
    pub fn finish(mut self) -> Option<Vec<u8>> {
        for &(at, l) in &self.fixups {
            let target = self.labels[l.0 as usize]?;
            let rel = target as i64 - (at as i64 + 4);
            self.code[at as usize..at as usize + 4].copy_from_slice(&(rel as i32).to_le_bytes());
        }
        Some(self.code)
    }

    fn byte(&mut self, b: u8) {
        self.code.push(b);
    }

    fn imm32(&mut self, v: i32) {
        self.code.extend_from_slice(&v.to_le_bytes());
    }

    /// REX prefix for `reg` (ModRM.reg) and `rm` (base or ModRM.rm) and
    /// an index; `force` emits it even when empty (byte registers).
    fn rex(&mut self, w: bool, reg: u8, index: u8, rm: u8, force: bool) {
        let r = 0x40 | (u8::from(w) << 3) | ((reg >> 3) << 2) | ((index >> 3) << 1) | (rm >> 3);
        if r != 0x40 || force {
            self.byte(r);
        }
    }

    /// ModRM (and SIB, displacement) for a memory operand.
    fn modrm_mem(&mut self, reg: u8, m: Mem) {
        let base = m.base.0 & 7;
        // [rbp]/[r13] without displacement means RIP-relative: use disp8 0.
        let (md, disp8) = if m.disp == 0 && base != 5 {
            (0u8, false)
        } else if i8::try_from(m.disp).is_ok() {
            (1, true)
        } else {
            (2, false)
        };
        match m.index {
            Some((ix, scale)) => {
                let ss = match scale {
                    1 => 0,
                    2 => 1,
                    4 => 2,
                    _ => 3,
                };
                self.byte(md << 6 | (reg & 7) << 3 | 4);
                self.byte(ss << 6 | (ix.0 & 7) << 3 | base);
            }
            None => {
                self.byte(md << 6 | (reg & 7) << 3 | base);
                if base == 4 {
                    self.byte(0x24);
                }
            }
        }
        match md {
            1 if disp8 => self.byte(m.disp as i8 as u8),
            2 => self.imm32(m.disp),
            _ => {}
        }
    }

    /// `opcode` bytes with a register-memory ModRM.
    fn op_mem(&mut self, w: bool, opcode: &[u8], reg: u8, m: Mem, force_rex: bool) {
        let ix = m.index.map_or(0, |(r, _)| r.0);
        self.rex(w, reg, ix, m.base.0, force_rex);
        self.code.extend_from_slice(opcode);
        self.modrm_mem(reg, m);
    }

    /// `opcode` bytes with a register-register ModRM (`reg`, `rm`).
    fn op_rr(&mut self, w: bool, opcode: &[u8], reg: u8, rm: u8) {
        self.rex(w, reg, 0, rm, false);
        self.code.extend_from_slice(opcode);
        self.byte(0xC0 | (reg & 7) << 3 | (rm & 7));
    }

    // ---- moves ----

    /// `mov r, [m]` (32 bits zero-extend).
    pub fn load(&mut self, w: W, r: Reg, m: Mem) {
        self.op_mem(w == W::Q64, &[0x8B], r.0, m, false);
    }

    /// `mov [m], r`.
    pub fn store(&mut self, w: W, m: Mem, r: Reg) {
        self.op_mem(w == W::Q64, &[0x89], r.0, m, false);
    }

    /// `mov [m], r16`.
    pub fn store16(&mut self, m: Mem, r: Reg) {
        self.byte(0x66);
        self.op_mem(false, &[0x89], r.0, m, false);
    }

    /// `mov [m], r8`.
    pub fn store8(&mut self, m: Mem, r: Reg) {
        self.op_mem(false, &[0x88], r.0, m, true);
    }

    /// `movsx r32, byte [m]` / `movzx` / 16-bit forms.
    pub fn load8s(&mut self, r: Reg, m: Mem) {
        self.op_mem(false, &[0x0F, 0xBE], r.0, m, false);
    }

    pub fn load16s(&mut self, r: Reg, m: Mem) {
        self.op_mem(false, &[0x0F, 0xBF], r.0, m, false);
    }

    pub fn load16u(&mut self, r: Reg, m: Mem) {
        self.op_mem(false, &[0x0F, 0xB7], r.0, m, false);
    }

    /// `movsxd r64, dword [m]`.
    pub fn load32s(&mut self, r: Reg, m: Mem) {
        self.op_mem(true, &[0x63], r.0, m, false);
    }

    /// `mov [m], imm32` (sign-extended to 64 bits for `Q64`).
    pub fn store_imm(&mut self, w: W, m: Mem, v: i32) {
        self.op_mem(w == W::Q64, &[0xC7], 0, m, false);
        self.imm32(v);
    }

    /// `mov r, imm` (the shortest form for the value).
    pub fn mov_imm(&mut self, r: Reg, v: i64) {
        if let Ok(u) = u32::try_from(v) {
            // `mov r32, imm32` zero-extends.
            self.rex(false, 0, 0, r.0, false);
            self.byte(0xB8 + (r.0 & 7));
            self.imm32(u as i32);
        } else if let Ok(s) = i32::try_from(v) {
            self.op_rr(true, &[0xC7], 0, r.0);
            self.imm32(s);
        } else {
            self.rex(true, 0, 0, r.0, false);
            self.byte(0xB8 + (r.0 & 7));
            self.code.extend_from_slice(&v.to_le_bytes());
        }
    }

    /// `mov dst, src` (64 bits).
    pub fn mov(&mut self, dst: Reg, src: Reg) {
        self.op_rr(true, &[0x89], src.0, dst.0);
    }

    /// `lea r, [m]`.
    pub fn lea(&mut self, r: Reg, m: Mem) {
        self.op_mem(true, &[0x8D], r.0, m, false);
    }

    /// `movsx r32, r8` / `movzx r32, r16` / `movsx r32, r16`, `movsxd r64, r32`.
    pub fn sext8(&mut self, dst: Reg, src: Reg) {
        self.rex(false, dst.0, 0, src.0, true);
        self.code.extend_from_slice(&[0x0F, 0xBE]);
        self.byte(0xC0 | (dst.0 & 7) << 3 | (src.0 & 7));
    }

    pub fn zext16(&mut self, dst: Reg, src: Reg) {
        self.op_rr(false, &[0x0F, 0xB7], dst.0, src.0);
    }

    pub fn sext16(&mut self, dst: Reg, src: Reg) {
        self.op_rr(false, &[0x0F, 0xBF], dst.0, src.0);
    }

    pub fn sext32(&mut self, dst: Reg, src: Reg) {
        self.op_rr(true, &[0x63], dst.0, src.0);
    }

    // ---- arithmetic ----

    /// `op dst, src`.
    pub fn alu(&mut self, w: W, op: Alu, dst: Reg, src: Reg) {
        self.op_rr(w == W::Q64, &[op as u8], src.0, dst.0);
    }

    /// `op dst, imm32`.
    pub fn alu_imm(&mut self, w: W, op: Alu, dst: Reg, v: i32) {
        self.op_rr(w == W::Q64, &[0x81], op as u8 >> 3, dst.0);
        self.imm32(v);
    }

    /// `op [m], imm32`.
    pub fn alu_mem_imm(&mut self, w: W, op: Alu, m: Mem, v: i32) {
        self.op_mem(w == W::Q64, &[0x81], op as u8 >> 3, m, false);
        self.imm32(v);
    }

    /// `cmp r, [m]`.
    pub fn cmp_mem(&mut self, w: W, r: Reg, m: Mem) {
        self.op_mem(w == W::Q64, &[0x3B], r.0, m, false);
    }

    /// `imul dst, src`.
    pub fn imul(&mut self, w: W, dst: Reg, src: Reg) {
        self.op_rr(w == W::Q64, &[0x0F, 0xAF], dst.0, src.0);
    }

    pub fn neg(&mut self, w: W, r: Reg) {
        self.op_rr(w == W::Q64, &[0xF7], 3, r.0);
    }

    /// `cdq` / `cqo`, then `idiv r` (rdx:rax by r).
    pub fn sign_extend_and_idiv(&mut self, w: W, r: Reg) {
        self.rex(w == W::Q64, 0, 0, 0, false);
        self.byte(0x99);
        self.op_rr(w == W::Q64, &[0xF7], 7, r.0);
    }

    /// `shl/shr/sar r, cl`.
    pub fn shift_cl(&mut self, w: W, op: Shift, r: Reg) {
        self.op_rr(w == W::Q64, &[0xD3], op as u8, r.0);
    }

    pub fn test(&mut self, w: W, a: Reg, b: Reg) {
        self.op_rr(w == W::Q64, &[0x85], b.0, a.0);
    }

    /// `setcc r8`.
    pub fn setcc(&mut self, c: Cond, r: Reg) {
        self.rex(false, 0, 0, r.0, true);
        self.code.extend_from_slice(&[0x0F, 0x90 | c as u8]);
        self.byte(0xC0 | (r.0 & 7));
    }

    // ---- control ----

    pub fn jcc(&mut self, c: Cond, l: Label) {
        self.code.extend_from_slice(&[0x0F, 0x80 | c as u8]);
        self.fixups.push((self.code.len() as u32, l));
        self.imm32(0);
    }

    pub fn jmp(&mut self, l: Label) {
        self.byte(0xE9);
        self.fixups.push((self.code.len() as u32, l));
        self.imm32(0);
    }

    /// `call r`.
    pub fn call(&mut self, r: Reg) {
        self.op_rr(false, &[0xFF], 2, r.0);
    }

    pub fn push(&mut self, r: Reg) {
        self.rex(false, 0, 0, r.0, false);
        self.byte(0x50 + (r.0 & 7));
    }

    pub fn pop(&mut self, r: Reg) {
        self.rex(false, 0, 0, r.0, false);
        self.byte(0x58 + (r.0 & 7));
    }

    pub fn ret(&mut self) {
        self.byte(0xC3);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(f: impl FnOnce(&mut Asm)) -> Vec<u8> {
        let mut a = Asm::new();
        f(&mut a);
        a.finish().unwrap()
    }

    /// Encodings as `objdump -d -M intel` decodes them (GNU as picks the
    /// same bytes, but for 8-bit immediates and byte registers without REX).
    #[test]
    fn encodings_match_the_gnu_assembler() {
        // mov rax, [r12+0x10]
        assert_eq!(enc(|a| a.load(W::Q64, RAX, mem(R12, 0x10))), [0x49, 0x8B, 0x44, 0x24, 0x10]);
        // mov [r12+0x200], rcx
        assert_eq!(enc(|a| a.store(W::Q64, mem(R12, 0x200), RCX)), [0x49, 0x89, 0x8C, 0x24, 0, 2, 0, 0]);
        // mov eax, [r13+0]
        assert_eq!(enc(|a| a.load(W::D32, RAX, mem(R13, 0))), [0x41, 0x8B, 0x45, 0x00]);
        // movsx ecx, byte [rax+rcx*1+0x10]
        assert_eq!(enc(|a| a.load8s(RCX, mem_index(RAX, RCX, 1, 16))), [0x0F, 0xBE, 0x4C, 0x08, 0x10]);
        // mov [rax+rcx*8+0x10], rdx
        assert_eq!(enc(|a| a.store(W::Q64, mem_index(RAX, RCX, 8, 16), RDX)), [0x48, 0x89, 0x54, 0xC8, 0x10]);
        // mov [rax+rcx*2+0x10], dx
        assert_eq!(enc(|a| a.store16(mem_index(RAX, RCX, 2, 16), RDX)), [0x66, 0x89, 0x54, 0x48, 0x10]);
        // mov [rax+rcx*1+0x10], dl
        assert_eq!(enc(|a| a.store8(mem_index(RAX, RCX, 1, 16), RDX)), [0x40, 0x88, 0x54, 0x08, 0x10]);
        // mov qword [r12+8], -1
        assert_eq!(
            enc(|a| a.store_imm(W::Q64, mem(R12, 8), -1)),
            [0x49, 0xC7, 0x44, 0x24, 0x08, 0xFF, 0xFF, 0xFF, 0xFF]
        );
        // mov eax, 5 ; mov rax, -5 ; movabs rax, 0x3ff0000000000000
        assert_eq!(enc(|a| a.mov_imm(RAX, 5)), [0xB8, 5, 0, 0, 0]);
        assert_eq!(enc(|a| a.mov_imm(RAX, -5)), [0x48, 0xC7, 0xC0, 0xFB, 0xFF, 0xFF, 0xFF]);
        assert_eq!(enc(|a| a.mov_imm(R8, 0x3ff0_0000_0000_0000)), [0x49, 0xB8, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F]);
        // mov rbx, rdi ; lea r12, [rax+r13*8]
        assert_eq!(enc(|a| a.mov(RBX, RDI)), [0x48, 0x89, 0xFB]);
        assert_eq!(enc(|a| a.lea(R12, mem_index(RAX, R13, 8, 0))), [0x4E, 0x8D, 0x24, 0xE8]);
        // add eax, ecx ; sub rax, rcx ; cmp eax, 7 ; and dword [r12+16], 1
        assert_eq!(enc(|a| a.alu(W::D32, Alu::Add, RAX, RCX)), [0x01, 0xC8]);
        assert_eq!(enc(|a| a.alu(W::Q64, Alu::Sub, RAX, RCX)), [0x48, 0x29, 0xC8]);
        assert_eq!(enc(|a| a.alu_imm(W::D32, Alu::Cmp, RAX, 7)), [0x81, 0xF8, 7, 0, 0, 0]);
        assert_eq!(
            enc(|a| a.alu_mem_imm(W::D32, Alu::And, mem(R12, 16), 1)),
            [0x41, 0x81, 0x64, 0x24, 0x10, 1, 0, 0, 0]
        );
        // cmp eax, [r12+8]
        assert_eq!(enc(|a| a.cmp_mem(W::D32, RAX, mem(R12, 8))), [0x41, 0x3B, 0x44, 0x24, 0x08]);
        // imul rax, rcx ; neg eax ; cqo; idiv rcx ; shl eax, cl ; sar rax, cl
        assert_eq!(enc(|a| a.imul(W::Q64, RAX, RCX)), [0x48, 0x0F, 0xAF, 0xC1]);
        assert_eq!(enc(|a| a.neg(W::D32, RAX)), [0xF7, 0xD8]);
        assert_eq!(enc(|a| a.sign_extend_and_idiv(W::Q64, RCX)), [0x48, 0x99, 0x48, 0xF7, 0xF9]);
        assert_eq!(enc(|a| a.sign_extend_and_idiv(W::D32, RCX)), [0x99, 0xF7, 0xF9]);
        assert_eq!(enc(|a| a.shift_cl(W::D32, Shift::Shl, RAX)), [0xD3, 0xE0]);
        assert_eq!(enc(|a| a.shift_cl(W::Q64, Shift::Sar, RAX)), [0x48, 0xD3, 0xF8]);
        // movsx eax, al ; movzx eax, ax ; movsx eax, ax ; movsxd rax, eax
        assert_eq!(enc(|a| a.sext8(RAX, RAX)), [0x40, 0x0F, 0xBE, 0xC0]);
        assert_eq!(enc(|a| a.zext16(RAX, RAX)), [0x0F, 0xB7, 0xC0]);
        assert_eq!(enc(|a| a.sext16(RAX, RAX)), [0x0F, 0xBF, 0xC0]);
        assert_eq!(enc(|a| a.sext32(RAX, RAX)), [0x48, 0x63, 0xC0]);
        // test eax, eax ; setl cl ; call rax ; push r12 ; pop rbx
        assert_eq!(enc(|a| a.test(W::D32, RAX, RAX)), [0x85, 0xC0]);
        assert_eq!(enc(|a| a.setcc(Cond::L, RCX)), [0x40, 0x0F, 0x9C, 0xC1]);
        assert_eq!(enc(|a| a.call(RAX)), [0xFF, 0xD0]);
        assert_eq!(enc(|a| a.push(R12)), [0x41, 0x54]);
        assert_eq!(enc(|a| a.pop(RBX)), [0x5B]);
        // movsxd rcx, dword [rax+8]
        assert_eq!(enc(|a| a.load32s(RCX, mem(RAX, 8))), [0x48, 0x63, 0x48, 0x08]);
    }

    #[test]
    fn jumps_are_patched_to_their_labels() {
        let mut a = Asm::new();
        let back = a.label();
        let fwd = a.label();
        a.bind(back);
        a.jcc(Cond::E, fwd); // 6 bytes at 0
        a.jmp(back); // 5 bytes at 6
        a.bind(fwd);
        let code = a.finish().unwrap();
        assert_eq!(code, [0x0F, 0x84, 5, 0, 0, 0, 0xE9, 0xF5, 0xFF, 0xFF, 0xFF]);
        let mut b = Asm::new();
        let l = b.label();
        b.jmp(l);
        assert!(b.finish().is_none(), "an unbound label is an error");
    }
}
