//! The system description, as parsed from a Microkit system.xml.

use std::fmt;

/// Where an element starts in the file (1-based, columns in characters),
/// as roxmltree and the Microkit tool report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Loc {
    pub row: u32,
    pub col: u32,
}

/// A rejected system description. Displays as
/// `FILE:ROW:COL: error[RULE]: MESSAGE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdfError {
    pub file: String,
    pub loc: Loc,
    /// A short stable name for the violated rule, e.g. `pp-priority`.
    pub rule: &'static str,
    pub message: String,
}

impl fmt::Display for SdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: error[{}]: {}", self.file, self.loc.row, self.loc.col, self.rule, self.message)
    }
}

impl std::error::Error for SdfError {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Perms {
    pub read: bool,
    pub write: bool,
    pub execute: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Map {
    pub mr: String,
    pub vaddr: u64,
    pub perms: Perms,
    pub cached: bool,
    pub setvar_vaddr: Option<String>,
    pub setvar_size: Option<String>,
    pub loc: Loc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IrqTrigger {
    Level,
    Edge,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Irq {
    pub irq: u64,
    pub id: u8,
    pub trigger: IrqTrigger,
    pub setvar_id: Option<String>,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setvar {
    pub symbol: String,
    pub region_paddr: String,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectionDomain {
    pub name: String,
    pub priority: u8,
    /// Microseconds.
    pub budget: u64,
    pub period: u64,
    pub passive: bool,
    pub stack_size: u64,
    pub smc: bool,
    pub cpu: u8,
    pub fpu: bool,
    /// `<program_image path>` exactly as written.
    pub program_image: String,
    /// `<program_image path_for_symbols>`: the image to read symbols from,
    /// if not `program_image` itself.
    pub program_image_for_symbols: Option<String>,
    pub maps: Vec<Map>,
    pub irqs: Vec<Irq>,
    pub setvars: Vec<Setvar>,
    /// Index of the parent in [`SystemDescription::pds`], for child PDs.
    pub parent: Option<usize>,
    /// The child's `id` under its parent.
    pub child_id: Option<u8>,
    /// For child PDs: the symbol in the parent's image that is set to
    /// `child_id` (`setvar_id` attribute).
    pub setvar_id: Option<String>,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoryRegion {
    pub name: String,
    pub size: u64,
    /// `page_size` as given, or the smallest page size.
    pub page_size: u64,
    pub phys_addr: Option<u64>,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelEnd {
    /// Index into [`SystemDescription::pds`].
    pub pd: usize,
    pub id: u8,
    /// This end may make protected procedure calls to the other.
    pub pp: bool,
    /// This end may notify the other.
    pub notify: bool,
    pub setvar_id: Option<String>,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channel {
    pub ends: [ChannelEnd; 2],
    pub loc: Loc,
}

/// A validated system: PDs flattened depth-first, each parent before its
/// children (the Microkit's order), channels and regions in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemDescription {
    pub file: String,
    pub pds: Vec<ProtectionDomain>,
    pub memory_regions: Vec<MemoryRegion>,
    pub channels: Vec<Channel>,
}

impl SystemDescription {
    pub fn pd_index(&self, name: &str) -> Option<usize> {
        self.pds.iter().position(|p| p.name == name)
    }

    pub fn memory_region(&self, name: &str) -> Option<&MemoryRegion> {
        self.memory_regions.iter().find(|m| m.name == name)
    }
}

/// What the target board and kernel configuration allow. The defaults are
/// the Microkit SDK's `qemu_virt_aarch64` board (non-SMP config).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformConfig {
    pub num_cores: u8,
    pub hypervisor: bool,
    pub page_sizes: Vec<u64>,
    /// Highest user virtual address + 1 rounded as the tool computes it
    /// (`0xffffffe000` on qemu_virt_aarch64, before subtracting the stack).
    pub user_top: u64,
    pub max_pds: usize,
}

impl Default for PlatformConfig {
    fn default() -> Self {
        Self {
            num_cores: 1,
            hypervisor: true,
            page_sizes: vec![0x1000, 0x20_0000],
            user_top: 0xff_ffff_e000,
            max_pds: 63,
        }
    }
}
