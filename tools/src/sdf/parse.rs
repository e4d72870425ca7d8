//! Parser and validator for Microkit system description files (SDF).
//!
//! This mirrors `tool/microkit/src/sdf.rs` of the Microkit 2.3.0 tool: every
//! check it makes at parse time (i.e. without program images or the SDK) is
//! made here, in the same order, so the first error reported is the one the
//! Microkit tool would report. The target is fixed to AArch64 (the
//! `qemu_virt_aarch64` board); board limits come from [`PlatformConfig`].
//!
//! Errors always carry a location: that of the element the problem is on
//! (the Microkit tool omits it for number-parse and some global errors), and
//! a short stable `rule` name. Messages reuse the Microkit tool's wording.
//!
//! # Features capuchin does not model
//!
//! Rejected with rule `unsupported` ("not supported by capuchin: ..."), on
//! the element, because a file using them cannot be run faithfully:
//! - `<virtual_machine>` inside a PD (on a hypervisor platform; otherwise the
//!   Microkit's own `no-hypervisor` error is given),
//! - `<domains>` (domain scheduler),
//! - `<cspace>` (capability sharing between PDs),
//! - `<memory_region prefill_path>` and `<memory_region prefill_bootinfo>`.
//!
//! Rejected exactly as the Microkit tool rejects them on AArch64:
//! `<io_address_space>` (no IOMMU: rule `no-iommu`), `<ioport>` (rule
//! `ioport-arch`), x86 `<irq pin>`/`<irq pcidev>` (rule `irq-arch`), a PD
//! `domain` attribute (no domains declared: `domain-without-schedule`) and
//! `setvar_prefill_size` (no region can be prefilled: `setvar-prefill-size`).
//!
//! Accepted: `smc`, `fpu`, `passive`, `cpu`, `program_image
//! path_for_symbols`, namespaced tags (local names are compared, as the tool
//! does), and text or unknown child elements inside elements other than
//! `<system>`, `<protection_domain>` and `<channel>` (the tool ignores them).
//!
//! # Deliberate deviations from the Microkit tool
//!
//! - Inputs on which the tool panics are errors: a root element other than
//!   `<system>` (`root-element`), non-decimal or out-of-range `irq`/`id`
//!   values (`bad-number`), `cpu` above 255 (`cpu-range`).
//! - `<setvar region_paddr>` naming an unknown memory region is rejected
//!   (`unknown-memory-region`), after all other checks; the tool panics
//!   later while patching symbols.
//! - Child PD ids must be at most 63 (`child-id-range`): the tool does not
//!   check them, but its capability layout has room for 64 child TCBs.
//! - A memory region whose `phys_addr + size` overflows is rejected
//!   (`mr-phys-overflow`); the tool's arithmetic silently wraps.
//! - Stray text in `<system>` is reported at the text, not at `<system>`.
//! - PDs nested deeper than the PD limit are rejected (`too-many-pds`) as
//!   soon as they are seen, before later elements are checked; the tool
//!   recurses without bound.
//! - `pp-priority` is reported at the `<end>` that makes the PPC.
//! - Some errors are located more precisely than the tool does: a repeated
//!   `<program_image>`, `<ioport>` and duplicate irqs or channel ids are
//!   reported on their own element rather than on the enclosing PD.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Display;
use std::num::ParseIntError;
use std::path::Path;

use roxmltree::{Document, Node};

use super::model::{
    Channel, ChannelEnd, Irq, IrqTrigger, Loc, Map, MemoryRegion, Perms, PlatformConfig, ProtectionDomain, SdfError,
    Setvar, SystemDescription,
};

type Result<T> = std::result::Result<T, SdfError>;

/// Highest PD priority; the monitor runs at 255.
const PD_MAX_PRIORITY: u64 = 254;
/// Channel and irq ids are `0..=61` (libmicrokit's `MICROKIT_MAX_CHANNEL_ID`).
const PD_MAX_ID: i64 = 61;
/// Child ids index a 64-slot window of child TCB capabilities.
const PD_MAX_CHILD_ID: u64 = 63;
/// Microseconds.
const BUDGET_DEFAULT: u64 = 1000;
const PD_DEFAULT_STACK_SIZE: u64 = 0x2000;
const PD_MIN_STACK_SIZE: u64 = 0x1000;
const PD_MAX_STACK_SIZE: u64 = 0x100_0000;
const MONITOR_PD_NAME: &str = "monitor";

const TOP_PD_ATTRS: &[&str] =
    &["name", "priority", "budget", "period", "passive", "stack_size", "smc", "cpu", "domain", "fpu"];
const CHILD_PD_EXTRA_ATTRS: &[&str] = &["id", "setvar_id"];
const MAP_ATTRS: &[&str] = &["mr", "vaddr", "perms", "cached", "setvar_vaddr", "setvar_size", "setvar_prefill_size"];
const MR_ATTRS: &[&str] = &["name", "size", "page_size", "phys_addr", "prefill_path", "prefill_bootinfo"];
const IRQ_ATTRS: &[&str] = &["irq", "id", "setvar_id", "trigger"];
const END_ATTRS: &[&str] = &["pd", "id", "pp", "notify", "setvar_id"];

/// Parses and validates the system description `xml`. `file_display` is
/// only used to name the file in errors.
///
/// # Errors
///
/// The first problem found, in the order the Microkit tool checks.
pub fn parse(file_display: &str, xml: &str, cfg: &PlatformConfig) -> Result<SystemDescription> {
    let doc = Document::parse(xml).map_err(|err| xml_error(file_display, xml, &err))?;
    let ctx = Ctx { file: file_display, doc: &doc, positions: PosIndex::new(doc.input_text()), cfg };
    ctx.parse_system()
}

/// Reads and parses the system description at `path`.
///
/// # Errors
///
/// As [`parse`], or rule `io` (at 0:0) if the file cannot be read.
pub fn parse_file(path: &Path, cfg: &PlatformConfig) -> Result<SystemDescription> {
    let file = path.display().to_string();
    let xml = std::fs::read_to_string(path).map_err(|err| SdfError {
        file: file.clone(),
        loc: Loc::default(),
        rule: "io",
        message: format!("could not read '{file}': {err}"),
    })?;
    parse(&file, &xml, cfg)
}

/// The Microkit's number syntax (`sdf_parse_number`): decimal, or hex with a
/// lowercase `0x` prefix, with underscores allowed anywhere.
fn parse_number(s: &str) -> std::result::Result<u64, ParseIntError> {
    let digits: String = s.chars().filter(|&c| c != '_').collect();
    match digits.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => digits.parse(),
    }
}

/// The Microkit's booleans (`str_to_bool`): exactly `true` or `false`.
fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// `map perms`: any combination of `r`, `w` and `x` (even empty).
fn parse_perms(s: &str) -> Option<Perms> {
    let mut perms = Perms { read: false, write: false, execute: false };
    for c in s.chars() {
        match c {
            'r' => perms.read = true,
            'w' => perms.write = true,
            'x' => perms.execute = true,
            _ => return None,
        }
    }
    Some(perms)
}

/// Turns byte offsets into rows and columns as roxmltree's `text_pos_at`
/// does (1-based, columns in characters), without rescanning the document
/// from the start for every element, which made large files quadratic.
struct PosIndex<'t> {
    text: &'t str,
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
    /// Number of characters before each multiple of `CHUNK` bytes.
    chars_before_chunk: Vec<usize>,
}

impl<'t> PosIndex<'t> {
    const CHUNK: usize = 4096;

    fn new(text: &'t str) -> Self {
        let bytes = text.as_bytes();
        let after_newlines = bytes.iter().enumerate().filter(|&(_, &b)| b == b'\n').map(|(i, _)| i + 1);
        let line_starts = std::iter::once(0).chain(after_newlines).collect();
        let mut chars_before_chunk = vec![0];
        for chunk in bytes.chunks(Self::CHUNK) {
            let before = chars_before_chunk.last().copied().unwrap_or(0);
            chars_before_chunk.push(before + count_chars(chunk));
        }
        Self { text, line_starts, chars_before_chunk }
    }

    fn chars_before(&self, pos: usize) -> usize {
        let chunk = pos / Self::CHUNK;
        let chunk_start = chunk * Self::CHUNK;
        self.chars_before_chunk[chunk] + count_chars(&self.text.as_bytes()[chunk_start..pos])
    }

    fn loc(&self, pos: usize) -> Loc {
        let mut pos = pos.min(self.text.len());
        while !self.text.is_char_boundary(pos) {
            pos -= 1;
        }
        let row = self.line_starts.partition_point(|&start| start <= pos);
        let line_start = self.line_starts[row - 1];
        let col = self.chars_before(pos) - self.chars_before(line_start) + 1;
        Loc { row: u32::try_from(row).unwrap_or(u32::MAX), col: u32::try_from(col).unwrap_or(u32::MAX) }
    }
}

/// Characters in UTF-8 `bytes`: every byte but continuation bytes starts one.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xc0 != 0x80).count()
}

fn xml_error(file: &str, xml: &str, err: &roxmltree::Error) -> SdfError {
    use roxmltree::Error as E;
    // roxmltree reports 1:1 for errors it has no position for; point at
    // something more useful where we can.
    let index = || PosIndex::new(xml);
    let loc = match err {
        E::UnexpectedEndOfStream | E::UnclosedRootNode => index().loc(xml.len()),
        E::DtdDetected => index().loc(xml.find("<!DOCTYPE").unwrap_or(0)),
        _ => {
            let pos = err.pos();
            Loc { row: pos.row, col: pos.col }
        }
    };
    SdfError { file: file.to_string(), loc, rule: "xml-syntax", message: format!("could not parse XML: {err}") }
}

/// Maps each name to the index of its first use, which is what the tool's
/// linear searches find when names are duplicated.
fn first_index_by_name<'n>(names: impl Iterator<Item = &'n str>) -> HashMap<String, usize> {
    let mut index = HashMap::new();
    for (i, name) in names.enumerate() {
        index.entry(name.to_string()).or_insert(i);
    }
    index
}

/// Half-open address ranges checked so far, for overlap checks. Accepted
/// ranges never overlap (an overlap is an error), so sorted by start their
/// ends never decrease and a query only looks at its neighbourhood instead
/// of every earlier range.
#[derive(Default)]
struct DisjointRanges<'n> {
    /// (start, end, insertion order) -> name.
    ranges: BTreeMap<(u64, u64, usize), &'n str>,
}

impl<'n> DisjointRanges<'n> {
    fn insert(&mut self, start: u64, end: u64, name: &'n str) {
        let order = self.ranges.len();
        self.ranges.insert((start, end, order), name);
    }

    /// The earliest inserted range overlapping `[start, end)`, as the
    /// tool's linear scan finds it.
    fn first_overlap(&self, start: u64, end: u64) -> Option<(&'n str, u64, u64)> {
        self.ranges
            .range(..(end, 0, 0))
            .rev()
            .take_while(|&(&(_, o_end, _), _)| o_end > start)
            .filter(|&(&(o_start, _, _), _)| o_start < end)
            .min_by_key(|&(&(_, _, order), _)| order)
            .map(|(&(o_start, o_end, _), &name)| (name, o_start, o_end))
    }
}

/// A PD as parsed, before its children are flattened into the PD list.
struct PdTree {
    parsed: ParsedPd,
    children: Vec<PdTree>,
}

/// A PD plus what validation needs beyond the model.
struct ParsedPd {
    pd: ProtectionDomain,
    /// Every symbol a setvar of this PD patches; the Microkit requires them
    /// to be distinct (`checked_add_setvar`).
    symbols: HashSet<String>,
    /// Maps using `setvar_prefill_size`, which is rejected after the map
    /// checks, as the tool does.
    prefill_size_maps: Vec<Loc>,
}

/// Top-level elements, parsed in document order.
struct TopLevel<'a, 'input> {
    pds: Vec<PdTree>,
    mrs: Vec<MemoryRegion>,
    /// Channels name PDs that may come later in the file, so they are parsed
    /// once all PDs are known.
    channels: Vec<Node<'a, 'input>>,
}

struct Ctx<'a, 'input> {
    file: &'a str,
    doc: &'a Document<'input>,
    positions: PosIndex<'input>,
    cfg: &'a PlatformConfig,
}

// Element-independent helpers: locations, errors and attribute access.
impl<'a, 'input> Ctx<'a, 'input> {
    fn loc(&self, node: Node) -> Loc {
        self.positions.loc(node.range().start)
    }

    /// Where the first non-blank character of a text node is.
    fn text_start(&self, text: Node) -> Loc {
        let range = text.range();
        let source = self.doc.input_text().get(range.clone()).unwrap_or("");
        let blank = source.len() - source.trim_start().len();
        self.positions.loc(range.start + blank)
    }

    fn error_at(&self, loc: Loc, rule: &'static str, message: impl Into<String>) -> SdfError {
        SdfError { file: self.file.to_string(), loc, rule, message: message.into() }
    }

    /// An error about `node`, worded like the tool's `value_error`.
    fn error(&self, node: Node, rule: &'static str, message: impl Display) -> SdfError {
        let tag = node.tag_name().name();
        self.error_at(self.loc(node), rule, format!("{message} on element '{tag}'"))
    }

    fn unsupported(&self, node: Node, what: &str) -> SdfError {
        self.error_at(self.loc(node), "unsupported", format!("not supported by capuchin: {what}"))
    }

    /// Rejects the first attribute (in document order) not in `allowed`.
    fn check_attributes(&self, node: Node, allowed: &[&str]) -> Result<()> {
        match node.attributes().find(|a| !allowed.contains(&a.name())) {
            Some(attr) => {
                Err(self.error(node, "unknown-attribute", format_args!("invalid attribute '{}'", attr.name())))
            }
            None => Ok(()),
        }
    }

    fn required(&self, node: Node<'a, 'input>, attr: &str) -> Result<&'a str> {
        node.attribute(attr).ok_or_else(|| self.missing(node, attr))
    }

    fn missing(&self, node: Node, attr: &str) -> SdfError {
        self.error(node, "missing-attribute", format_args!("Missing required attribute '{attr}'"))
    }

    fn number(&self, node: Node, attr: &str, value: &str) -> Result<u64> {
        parse_number(value).map_err(|err| {
            let tag = node.tag_name().name();
            self.error_at(
                self.loc(node),
                "bad-number",
                format!("failed to parse integer '{value}' on element '{tag}': {err} (attribute '{attr}')"),
            )
        })
    }

    fn optional_number(&self, node: Node, attr: &str, default: u64) -> Result<u64> {
        node.attribute(attr).map_or(Ok(default), |value| self.number(node, attr, value))
    }

    fn required_number(&self, node: Node<'a, 'input>, attr: &str) -> Result<u64> {
        let value = self.required(node, attr)?;
        self.number(node, attr, value)
    }

    fn optional_bool(&self, node: Node, attr: &str, default: bool) -> Result<bool> {
        match node.attribute(attr) {
            None => Ok(default),
            Some(value) => parse_bool(value)
                .ok_or_else(|| self.error(node, "bad-bool", format_args!("{attr} must be 'true' or 'false'"))),
        }
    }

    /// Attributes the tool parses as plain decimal (`str::parse`) and
    /// unwraps; we report the failure instead of panicking.
    fn decimal<T: std::str::FromStr<Err = ParseIntError>>(&self, node: Node, attr: &str, value: &str) -> Result<T> {
        value.parse().map_err(|err| {
            let tag = node.tag_name().name();
            self.error_at(
                self.loc(node),
                "bad-number",
                format!(
                    "failed to parse integer '{value}' on element '{tag}': {err} (attribute '{attr}' must be decimal)"
                ),
            )
        })
    }

    /// A channel or irq `id`: required, decimal, `0..=61`.
    fn channel_id(&self, node: Node<'a, 'input>, range_rule: &'static str) -> Result<u8> {
        let id: i64 = self.decimal(node, "id", self.required(node, "id")?)?;
        if id > PD_MAX_ID {
            let limit = PD_MAX_ID + 1;
            return Err(self.error(node, range_rule, format_args!("id must be < {limit}")));
        }
        u8::try_from(id).map_err(|_| self.error(node, range_rule, "id must be >= 0"))
    }

    /// Records a setvar symbol of a PD; `node` is where it was introduced.
    fn add_setvar(&self, symbols: &mut HashSet<String>, symbol: &str, node: Node) -> Result<()> {
        if symbols.contains(symbol) {
            return Err(self.error(
                node,
                "duplicate-setvar",
                format_args!("setvar on symbol '{symbol}' already exists"),
            ));
        }
        symbols.insert(symbol.to_string());
        Ok(())
    }
}

// Document structure.
impl<'a, 'input> Ctx<'a, 'input> {
    fn parse_system(&self) -> Result<SystemDescription> {
        let system = self.doc.root_element();
        if system.tag_name().name() != "system" {
            return Err(self.error_at(
                self.loc(system),
                "root-element",
                format!("the root element must be 'system', not '{}'", system.tag_name().name()),
            ));
        }
        self.check_no_text(system)?;
        let top = self.parse_top_level(system)?;
        let mut pds = self.flatten(top.pds)?;
        let pd_index = first_index_by_name(pds.iter().map(|p| p.pd.name.as_str()));
        let channels = top
            .channels
            .iter()
            .map(|&node| self.parse_channel(node, &pd_index, &mut pds))
            .collect::<Result<Vec<_>>>()?;

        let sys = GlobalChecks {
            ctx: self,
            pds: &pds,
            mrs: &top.mrs,
            mr_index: first_index_by_name(top.mrs.iter().map(|mr| mr.name.as_str())),
            channels: &channels,
        };
        sys.check_all(self.loc(system))?;

        Ok(SystemDescription {
            file: self.file.to_string(),
            pds: pds.into_iter().map(|p| p.pd).collect(),
            memory_regions: top.mrs,
            channels,
        })
    }

    /// Only text directly inside `<system>` is rejected; the tool ignores
    /// text elsewhere.
    fn check_no_text(&self, system: Node) -> Result<()> {
        let stray = system.children().filter(Node::is_text).find(|c| !c.text().unwrap_or("").trim().is_empty());
        match stray {
            Some(text) => Err(self.error_at(
                self.text_start(text),
                "unexpected-text",
                "unexpected text found in element 'system'",
            )),
            None => Ok(()),
        }
    }

    fn parse_top_level(&self, system: Node<'a, 'input>) -> Result<TopLevel<'a, 'input>> {
        let mut top = TopLevel { pds: Vec::new(), mrs: Vec::new(), channels: Vec::new() };
        for child in system.children().filter(Node::is_element) {
            match child.tag_name().name() {
                "protection_domain" => top.pds.push(self.parse_pd(child, 0)?),
                "memory_region" => top.mrs.push(self.parse_mr(child)?),
                "channel" => top.channels.push(child),
                "io_address_space" => {
                    return Err(self.error_at(
                        self.loc(child),
                        "no-iommu",
                        "io address space requires seL4 to be built with IOMMU support",
                    ))
                }
                "virtual_machine" => {
                    return Err(self.error_at(
                        self.loc(child),
                        "misplaced-virtual-machine",
                        "virtual machine must be a child of a protection domain",
                    ))
                }
                "domains" => return Err(self.unsupported(child, "<domains> (the seL4 domain scheduler)")),
                other => {
                    return Err(self.error_at(
                        self.loc(child),
                        "invalid-element",
                        format!("invalid XML element '{other}'"),
                    ))
                }
            }
        }
        Ok(top)
    }

    /// Flattens the PD trees depth-first, each parent before its children
    /// (the Microkit's PD order), checking sibling child ids on the way.
    fn flatten(&self, roots: Vec<PdTree>) -> Result<Vec<ParsedPd>> {
        let mut out = Vec::new();
        for root in roots {
            self.flatten_into(root, None, &mut out)?;
        }
        Ok(out)
    }

    fn flatten_into(&self, tree: PdTree, parent: Option<usize>, out: &mut Vec<ParsedPd>) -> Result<()> {
        for (i, child) in tree.children.iter().enumerate() {
            let id = child.parsed.pd.child_id;
            if tree.children[..i].iter().any(|c| c.parsed.pd.child_id == id) {
                return Err(self.error_at(
                    child.parsed.pd.loc,
                    "duplicate-child-id",
                    format!("duplicate id: {} in protection domain: '{}'", id.unwrap_or_default(), tree.parsed.pd.name),
                ));
            }
        }
        let index = out.len();
        let mut parsed = tree.parsed;
        parsed.pd.parent = parent;
        out.push(parsed);
        for child in tree.children {
            self.flatten_into(child, Some(index), out)?;
        }
        Ok(())
    }
}

// <protection_domain> and its children.
impl<'a, 'input> Ctx<'a, 'input> {
    /// Parses a PD and its children; `depth` is 0 for a top-level PD.
    fn parse_pd(&self, node: Node<'a, 'input>, depth: usize) -> Result<PdTree> {
        // A chain of nested PDs longer than the PD limit is an error anyway;
        // stopping here keeps hostile nesting from exhausting the stack.
        let max = self.cfg.max_pds;
        if depth >= max {
            return Err(self.error_at(
                self.loc(node),
                "too-many-pds",
                format!("too many protection domains (more than {max} nested) defined. Maximum is {max}."),
            ));
        }
        let is_child = depth > 0;
        if is_child {
            self.check_attributes(node, &[TOP_PD_ATTRS, CHILD_PD_EXTRA_ATTRS].concat())?;
        } else {
            self.check_attributes(node, TOP_PD_ATTRS)?;
        }
        let name = self.required(node, "name")?;
        // Only children may have (and must have) an id; `setvar_id` names a
        // symbol in the parent that receives it.
        let (child_id, setvar_id) = if is_child {
            let setvar_id = node.attribute("setvar_id").map(String::from);
            (Some(self.child_id(node)?), setvar_id)
        } else {
            (None, None)
        };

        let budget = self.optional_number(node, "budget", BUDGET_DEFAULT)?;
        let period = self.optional_number(node, "period", budget)?;
        if budget > period {
            return Err(self.error(
                node,
                "budget-period",
                format_args!("budget ({budget}) must be less than, or equal to, period ({period})"),
            ));
        }
        let passive = self.optional_bool(node, "passive", false)?;
        let stack_size = self.optional_number(node, "stack_size", PD_DEFAULT_STACK_SIZE)?;
        // SMC forwarding is enabled on every AArch64 Microkit board.
        let smc = self.optional_bool(node, "smc", false)?;
        let cpu = self.cpu(node)?;
        if let Some(domain) = node.attribute("domain") {
            return Err(self.error(
                node,
                "domain-without-schedule",
                format_args!("Specifying a domain '{domain}' without declaring a domain schedule is not allowed"),
            ));
        }
        self.check_stack_size(node, stack_size)?;
        let priority = self.priority(node)?;
        let fpu = self.optional_bool(node, "fpu", true)?;

        let mut tree = PdTree {
            parsed: ParsedPd {
                pd: ProtectionDomain {
                    name: name.to_string(),
                    priority,
                    budget,
                    period,
                    passive,
                    stack_size,
                    smc,
                    cpu,
                    fpu,
                    program_image: String::new(),
                    program_image_for_symbols: None,
                    maps: Vec::new(),
                    irqs: Vec::new(),
                    setvars: Vec::new(),
                    parent: None,
                    child_id,
                    setvar_id,
                    loc: self.loc(node),
                },
                symbols: HashSet::new(),
                prefill_size_maps: Vec::new(),
            },
            children: Vec::new(),
        };
        let mut has_program_image = false;
        for child in node.children().filter(Node::is_element) {
            self.parse_pd_child(&mut tree, depth, &mut has_program_image, child)?;
        }
        if !has_program_image {
            return Err(self.error_at(
                tree.parsed.pd.loc,
                "missing-program-image",
                format!("missing 'program_image' element on protection_domain: '{name}'"),
            ));
        }
        Ok(tree)
    }

    fn parse_pd_child(
        &self,
        tree: &mut PdTree,
        depth: usize,
        has_program_image: &mut bool,
        child: Node<'a, 'input>,
    ) -> Result<()> {
        let parsed = &mut tree.parsed;
        match child.tag_name().name() {
            "program_image" => {
                self.check_attributes(child, &["path", "path_for_symbols"])?;
                if *has_program_image {
                    return Err(self.error(
                        child,
                        "duplicate-program-image",
                        "program_image must only be specified once",
                    ));
                }
                *has_program_image = true;
                parsed.pd.program_image = self.required(child, "path")?.to_string();
                parsed.pd.program_image_for_symbols = child.attribute("path_for_symbols").map(String::from);
            }
            "map" => self.parse_map(parsed, child)?,
            "irq" => self.parse_irq(parsed, child)?,
            "setvar" => {
                self.check_attributes(child, &["symbol", "region_paddr"])?;
                let symbol = self.required(child, "symbol")?;
                let region = self.required(child, "region_paddr")?;
                self.add_setvar(&mut parsed.symbols, symbol, child)?;
                parsed.pd.setvars.push(Setvar {
                    symbol: symbol.to_string(),
                    region_paddr: region.to_string(),
                    loc: self.loc(child),
                });
            }
            "protection_domain" => {
                let sub = self.parse_pd(child, depth + 1)?;
                // A child's `setvar_id` is patched into its parent.
                if let Some(symbol) = &sub.parsed.pd.setvar_id {
                    self.add_setvar(&mut parsed.symbols, symbol, child)?;
                }
                tree.children.push(sub);
            }
            "virtual_machine" => {
                if !self.cfg.hypervisor {
                    return Err(self.error(
                        child,
                        "no-hypervisor",
                        "seL4 has not been built as a hypervisor, virtual machines are disabled",
                    ));
                }
                return Err(self.unsupported(child, "<virtual_machine> (guest operating systems)"));
            }
            "cspace" => return Err(self.unsupported(child, "<cspace> (sharing capabilities between PDs)")),
            "ioport" => return Err(self.error(child, "ioport-arch", "I/O Ports are only available on x86")),
            other => {
                return Err(self.error_at(self.loc(child), "invalid-element", format!("invalid XML element '{other}'")))
            }
        }
        Ok(())
    }

    fn child_id(&self, node: Node<'a, 'input>) -> Result<u8> {
        let id = self.required_number(node, "id")?;
        u8::try_from(id).ok().filter(|&id| u64::from(id) <= PD_MAX_CHILD_ID).ok_or_else(|| {
            self.error(
                node,
                "child-id-range",
                format_args!("id must be <= {PD_MAX_CHILD_ID} for a child protection domain"),
            )
        })
    }

    fn cpu(&self, node: Node) -> Result<u8> {
        let cpu = self.optional_number(node, "cpu", 0)?;
        let cores = self.cfg.num_cores;
        match u8::try_from(cpu) {
            Ok(cpu) if cpu < cores => Ok(cpu),
            _ => Err(self.error(node, "cpu-range", format_args!("cpu core must be less than {cores}, got {cpu}"))),
        }
    }

    fn smallest_page_size(&self) -> u64 {
        self.cfg.page_sizes.first().copied().unwrap_or(0x1000)
    }

    fn check_stack_size(&self, node: Node, stack_size: u64) -> Result<()> {
        if !(PD_MIN_STACK_SIZE..=PD_MAX_STACK_SIZE).contains(&stack_size) {
            return Err(self.error(
                node,
                "stack-size",
                format_args!(
                    "stack size must be between {PD_MIN_STACK_SIZE:#x} bytes and {PD_MAX_STACK_SIZE:#x} bytes"
                ),
            ));
        }
        let page = self.smallest_page_size();
        if stack_size % page != 0 {
            return Err(self.error(
                node,
                "stack-size",
                format_args!("stack size must be aligned to the smallest page size, {page} bytes"),
            ));
        }
        Ok(())
    }

    fn priority(&self, node: Node) -> Result<u8> {
        let priority = self.optional_number(node, "priority", 0)?;
        match u8::try_from(priority) {
            Ok(p) if u64::from(p) <= PD_MAX_PRIORITY => Ok(p),
            _ => Err(self.error(
                node,
                "priority-range",
                format_args!("priority must be between 0 and {PD_MAX_PRIORITY}"),
            )),
        }
    }

    /// The highest address (exclusive) a PD may map at: its stack sits just
    /// below the IPC buffer at the top of the address space.
    fn pd_map_max_vaddr(&self, stack_size: u64) -> u64 {
        self.cfg.user_top.saturating_sub(stack_size)
    }

    fn parse_map(&self, parsed: &mut ParsedPd, node: Node<'a, 'input>) -> Result<()> {
        self.check_attributes(node, MAP_ATTRS)?;
        let mr = self.required(node, "mr")?;
        let vaddr = self.required_number(node, "vaddr")?;
        let max_vaddr = self.pd_map_max_vaddr(parsed.pd.stack_size);
        if vaddr >= max_vaddr {
            return Err(self.error(
                node,
                "map-vaddr",
                format_args!("vaddr ({vaddr:#x}) must be less than {max_vaddr:#x}"),
            ));
        }
        let perms = match node.attribute("perms") {
            None => Perms { read: true, write: true, execute: false },
            Some(value) => parse_perms(value).ok_or_else(|| {
                self.error(node, "bad-perms", "perms must only be a combination of 'r', 'w', and 'x'")
            })?,
        };
        // The kernel has no write-only mappings.
        if perms.write && !perms.read && !perms.execute {
            return Err(self.error(
                node,
                "write-only-perms",
                "perms must not be 'w', write-only mappings are not allowed",
            ));
        }
        let cached = self.optional_bool(node, "cached", true)?;

        let setvar_vaddr = node.attribute("setvar_vaddr");
        let setvar_size = node.attribute("setvar_size");
        for symbol in [setvar_vaddr, setvar_size, node.attribute("setvar_prefill_size")].into_iter().flatten() {
            self.add_setvar(&mut parsed.symbols, symbol, node)?;
        }
        if node.attribute("setvar_prefill_size").is_some() {
            parsed.prefill_size_maps.push(self.loc(node));
        }
        parsed.pd.maps.push(Map {
            mr: mr.to_string(),
            vaddr,
            perms,
            cached,
            setvar_vaddr: setvar_vaddr.map(String::from),
            setvar_size: setvar_size.map(String::from),
            loc: self.loc(node),
        });
        Ok(())
    }

    /// The tool checks `id` before it decides which of the three irq forms
    /// (ARM/RISC-V, x86 IOAPIC, x86 MSI) the element is.
    fn parse_irq(&self, parsed: &mut ParsedPd, node: Node<'a, 'input>) -> Result<()> {
        let id = self.channel_id(node, "irq-id-range")?;
        let setvar_id = node.attribute("setvar_id");
        if let Some(symbol) = setvar_id {
            self.add_setvar(&mut parsed.symbols, symbol, node)?;
        }
        let Some(irq) = node.attribute("irq") else {
            if node.attribute("pin").is_some() {
                return Err(self.error(node, "irq-arch", "x86 I/O APIC IRQ isn't supported on ARM and RISC-V"));
            }
            if node.attribute("pcidev").is_some() {
                return Err(self.error(node, "irq-arch", "x86 MSI IRQ isn't supported on ARM and RISC-V"));
            }
            return Err(self.missing(node, "irq"));
        };
        self.check_attributes(node, IRQ_ATTRS)?;
        let irq: u64 = self.decimal(node, "irq", irq)?;
        let trigger = match node.attribute("trigger") {
            None | Some("level") => IrqTrigger::Level,
            Some("edge") => IrqTrigger::Edge,
            Some(_) => return Err(self.error(node, "irq-trigger", "trigger must be either 'level' or 'edge'")),
        };
        parsed.pd.irqs.push(Irq { irq, id, trigger, setvar_id: setvar_id.map(String::from), loc: self.loc(node) });
        Ok(())
    }
}

// <memory_region> and <channel>.
impl<'a, 'input> Ctx<'a, 'input> {
    fn parse_mr(&self, node: Node<'a, 'input>) -> Result<MemoryRegion> {
        self.check_attributes(node, MR_ATTRS)?;
        let name = self.required(node, "name")?;
        let page_size = self.optional_number(node, "page_size", self.smallest_page_size())?;
        if !self.cfg.page_sizes.contains(&page_size) {
            return Err(self.error(node, "page-size", format_args!("page size {page_size:#x} not supported")));
        }
        if node.attribute("prefill_path").is_some() {
            return Err(self.unsupported(node, "memory_region 'prefill_path'"));
        }
        if node.attribute("prefill_bootinfo").is_some() {
            return Err(self.unsupported(node, "memory_region 'prefill_bootinfo'"));
        }
        let Some(size) = node.attribute("size") else {
            return Err(self.error(
                node,
                "mr-size-missing",
                "size must be specified if memory region is not prefilled",
            ));
        };
        let size = self.number(node, "size", size)?;
        if size % page_size != 0 {
            return Err(self.error(node, "mr-size-page-multiple", "size is not a multiple of the page size"));
        }
        let phys_addr = node.attribute("phys_addr").map(|value| self.number(node, "phys_addr", value)).transpose()?;
        if phys_addr.is_some_and(|paddr| paddr % page_size != 0) {
            return Err(self.error(node, "mr-phys-alignment", "phys_addr is not aligned to the page size"));
        }
        Ok(MemoryRegion { name: name.to_string(), size, page_size, phys_addr, loc: self.loc(node) })
    }

    /// Parses a channel and records its ends' setvars in their PDs.
    fn parse_channel(
        &self,
        node: Node<'a, 'input>,
        pd_index: &HashMap<String, usize>,
        pds: &mut [ParsedPd],
    ) -> Result<Channel> {
        self.check_attributes(node, &[])?;
        // Every element child is parsed (and may fail) before they are counted.
        let ends = node
            .children()
            .filter(Node::is_element)
            .map(|end| self.parse_end(end, pd_index))
            .collect::<Result<Vec<_>>>()?;
        let ends: [ChannelEnd; 2] = ends
            .try_into()
            .map_err(|_| self.error(node, "channel-end-count", "exactly two end elements must be specified"))?;
        if ends[0].pp && ends[1].pp {
            return Err(self.error(node, "pp-bidirectional", "cannot ppc bidirectionally"));
        }
        for end in &ends {
            if let Some(symbol) = &end.setvar_id {
                self.add_setvar(&mut pds[end.pd].symbols, symbol, node)?;
            }
        }
        Ok(Channel { ends, loc: self.loc(node) })
    }

    fn parse_end(&self, node: Node<'a, 'input>, pd_index: &HashMap<String, usize>) -> Result<ChannelEnd> {
        if node.tag_name().name() != "end" {
            return Err(self.error_at(
                self.loc(node),
                "invalid-element",
                format!("invalid XML element '{}'", node.tag_name().name()),
            ));
        }
        self.check_attributes(node, END_ATTRS)?;
        let pd_name = self.required(node, "pd")?;
        let id = self.channel_id(node, "channel-id-range")?;
        let notify = self.optional_bool(node, "notify", true)?;
        let pp = self.optional_bool(node, "pp", false)?;
        let pd = *pd_index
            .get(pd_name)
            .ok_or_else(|| self.error(node, "unknown-pd", format_args!("invalid PD name '{pd_name}'")))?;
        Ok(ChannelEnd {
            pd,
            id,
            pp,
            notify,
            setvar_id: node.attribute("setvar_id").map(String::from),
            loc: self.loc(node),
        })
    }
}

/// Whole-system checks, made once everything is parsed, in the tool's order.
struct GlobalChecks<'c, 'a, 'input> {
    ctx: &'c Ctx<'a, 'input>,
    pds: &'c [ParsedPd],
    mrs: &'c [MemoryRegion],
    mr_index: HashMap<String, usize>,
    channels: &'c [Channel],
}

impl GlobalChecks<'_, '_, '_> {
    fn check_all(&self, system_loc: Loc) -> Result<()> {
        self.check_pd_count(system_loc)?;
        self.check_pd_names()?;
        self.check_mr_names()?;
        self.check_irq_numbers()?;
        self.check_channel_ids_and_ppcs()?;
        self.check_maps()?;
        self.check_phys_overlap()?;
        self.check_prefill_size()?;
        self.check_setvar_regions()
    }

    fn pd(&self, index: usize) -> &ProtectionDomain {
        &self.pds[index].pd
    }

    fn check_pd_count(&self, system_loc: Loc) -> Result<()> {
        if self.pds.is_empty() {
            return Err(self.ctx.error_at(system_loc, "no-pds", "at least one protection domain must be defined"));
        }
        let max = self.ctx.cfg.max_pds;
        if let Some(first_extra) = self.pds.get(max) {
            return Err(self.ctx.error_at(
                first_extra.pd.loc,
                "too-many-pds",
                format!("too many protection domains ({}) defined. Maximum is {max}.", self.pds.len()),
            ));
        }
        Ok(())
    }

    /// Reports the first name (in PD order) that is used twice, at its
    /// second use.
    fn check_pd_names(&self) -> Result<()> {
        for (i, parsed) in self.pds.iter().enumerate() {
            let name = &parsed.pd.name;
            // Any earlier use would have been reported already.
            if let Some(dup) = self.pds[i + 1..].iter().find(|p| &p.pd.name == name) {
                return Err(self.ctx.error_at(
                    dup.pd.loc,
                    "duplicate-pd-name",
                    format!("duplicate protection domain name '{name}'."),
                ));
            }
            if name == MONITOR_PD_NAME {
                return Err(self.ctx.error_at(
                    parsed.pd.loc,
                    "reserved-pd-name",
                    "the PD name 'monitor' is reserved for the Microkit Monitor.",
                ));
            }
        }
        Ok(())
    }

    fn check_mr_names(&self) -> Result<()> {
        let mut seen = HashSet::new();
        for mr in self.mrs {
            if !seen.insert(&mr.name) {
                return Err(self.ctx.error_at(
                    mr.loc,
                    "duplicate-mr-name",
                    format!("duplicate memory region name '{}'.", mr.name),
                ));
            }
        }
        Ok(())
    }

    fn check_irq_numbers(&self) -> Result<()> {
        let mut seen = HashSet::new();
        for parsed in self.pds {
            for irq in &parsed.pd.irqs {
                if !seen.insert(irq.irq) {
                    return Err(self.ctx.error_at(
                        irq.loc,
                        "duplicate-irq",
                        format!("duplicate irq: {} in protection domain: '{}'", irq.irq, parsed.pd.name),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Irq ids and channel-end ids share one id space per PD; PPCs must go
    /// to strictly higher priorities.
    fn check_channel_ids_and_ppcs(&self) -> Result<()> {
        let duplicate = |pd: &ProtectionDomain, id: u8, loc: Loc| {
            self.ctx.error_at(
                loc,
                "duplicate-channel-id",
                format!("duplicate channel id: {id} in protection domain: '{}'", pd.name),
            )
        };
        let mut used: Vec<Vec<u8>> = vec![Vec::new(); self.pds.len()];
        for (ids, parsed) in used.iter_mut().zip(self.pds) {
            for irq in &parsed.pd.irqs {
                if ids.contains(&irq.id) {
                    return Err(duplicate(&parsed.pd, irq.id, irq.loc));
                }
                ids.push(irq.id);
            }
        }
        for channel in self.channels {
            for end in &channel.ends {
                if used[end.pd].contains(&end.id) {
                    return Err(duplicate(self.pd(end.pd), end.id, end.loc));
                }
            }
            self.check_ppc(channel)?;
            // Recorded only now: a channel's two ends may share a PD and id.
            for end in &channel.ends {
                used[end.pd].push(end.id);
            }
        }
        Ok(())
    }

    fn check_ppc(&self, channel: &Channel) -> Result<()> {
        let [a, b] = &channel.ends;
        for (caller, callee) in [(a, b), (b, a)] {
            let (from, to) = (self.pd(caller.pd), self.pd(callee.pd));
            if caller.pp && from.priority >= to.priority {
                return Err(self.ctx.error_at(
                    caller.loc,
                    "pp-priority",
                    format!(
                        "PPCs must be to protection domains of strictly higher priorities; \
                         channel with PPC exists from pd {} (priority: {}) to pd {} (priority: {})",
                        from.name, from.priority, to.name, to.priority
                    ),
                ));
            }
        }
        Ok(())
    }

    fn check_maps(&self) -> Result<()> {
        for parsed in self.pds {
            self.check_pd_maps(&parsed.pd)?;
        }
        Ok(())
    }

    fn memory_region(&self, name: &str) -> Option<&MemoryRegion> {
        self.mr_index.get(name).map(|&i| &self.mrs[i])
    }

    fn check_pd_maps(&self, pd: &ProtectionDomain) -> Result<()> {
        let max_end = self.ctx.pd_map_max_vaddr(pd.stack_size);
        let mut checked = DisjointRanges::default();
        for map in &pd.maps {
            let err = |rule, message: String| self.ctx.error_at(map.loc, rule, message);
            let Some(mr) = self.memory_region(&map.mr) else {
                return Err(err("unknown-memory-region", format!("invalid memory region name '{}' on 'map'", map.mr)));
            };
            if map.vaddr % mr.page_size != 0 {
                return Err(err(
                    "map-alignment",
                    format!(
                        "invalid vaddr alignment on 'map' (vaddr {:#x}, page size of '{}' is {:#x})",
                        map.vaddr, mr.name, mr.page_size
                    ),
                ));
            }
            let start = map.vaddr;
            let Some(end) = start.checked_add(mr.size) else {
                return Err(err("map-overflow", format!("map for '{}' has address range that overflows", map.mr)));
            };
            if end > max_end {
                return Err(err(
                    "map-range",
                    format!(
                        "map for '{}' has virtual address range [{start:#x}..{end:#x}) which exceeds valid address space [0x0..{max_end:#x})",
                        map.mr
                    ),
                ));
            }
            if let Some((other, o_start, o_end)) = checked.first_overlap(start, end) {
                return Err(err(
                    "map-overlap",
                    format!(
                        "map for '{}' has virtual address range [{start:#x}..{end:#x}) which overlaps with map for '{other}' [{o_start:#x}..{o_end:#x}) in protection domain '{}'",
                        map.mr, pd.name
                    ),
                ));
            }
            checked.insert(start, end, &map.mr);
        }
        Ok(())
    }

    fn check_phys_overlap(&self) -> Result<()> {
        let mut checked = DisjointRanges::default();
        for mr in self.mrs {
            let Some(start) = mr.phys_addr else { continue };
            let Some(end) = start.checked_add(mr.size) else {
                return Err(self.ctx.error_at(
                    mr.loc,
                    "mr-phys-overflow",
                    format!("memory region '{}' physical address range overflows", mr.name),
                ));
            };
            if let Some((other, o_start, o_end)) = checked.first_overlap(start, end) {
                return Err(self.ctx.error_at(
                    mr.loc,
                    "mr-overlap",
                    format!(
                        "memory region '{}' physical address range [{start:#x}..{end:#x}) overlaps with another memory region '{other}' [{o_start:#x}..{o_end:#x})",
                        mr.name
                    ),
                ));
            }
            checked.insert(start, end, &mr.name);
        }
        Ok(())
    }

    /// No region can be prefilled (`prefill_path` is unsupported), so any
    /// `setvar_prefill_size` fails as the tool fails it for unfilled regions.
    fn check_prefill_size(&self) -> Result<()> {
        match self.pds.iter().find_map(|p| p.prefill_size_maps.first()) {
            Some(&loc) => Err(self.ctx.error_at(
                loc,
                "setvar-prefill-size",
                "'setvar_prefill_size' used for MR without a `prefill_path`",
            )),
            None => Ok(()),
        }
    }

    fn check_setvar_regions(&self) -> Result<()> {
        for parsed in self.pds {
            for setvar in &parsed.pd.setvars {
                if self.memory_region(&setvar.region_paddr).is_none() {
                    return Err(self.ctx.error_at(
                        setvar.loc,
                        "unknown-memory-region",
                        format!("invalid memory region name '{}' on 'setvar'", setvar.region_paddr),
                    ));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_err(xml: &str) -> SdfError {
        parse_err_with(xml, &PlatformConfig::default())
    }

    fn parse_err_with(xml: &str, cfg: &PlatformConfig) -> SdfError {
        match parse("t.xml", xml, cfg) {
            Ok(_) => panic!("accepted:\n{xml}"),
            Err(err) => err,
        }
    }

    fn at(err: &SdfError) -> (u32, u32) {
        (err.loc.row, err.loc.col)
    }

    #[test]
    fn numbers_follow_sdf_parse_number() {
        assert_eq!(parse_number("0"), Ok(0));
        assert_eq!(parse_number("4096"), Ok(4096));
        assert_eq!(parse_number("0x1000"), Ok(0x1000));
        assert_eq!(parse_number("0xABCdef"), Ok(0x00ab_cdef));
        assert_eq!(parse_number("0x200_000"), Ok(0x20_0000));
        assert_eq!(parse_number("1_000_000"), Ok(1_000_000));
        // Underscores are removed before the prefix is looked at.
        assert_eq!(parse_number("0_x10"), Ok(16));
        assert_eq!(parse_number("+7"), Ok(7));
        assert_eq!(parse_number("0xffffffffffffffff"), Ok(u64::MAX));
        for bad in ["", "0x", "_", "0X10", "-1", "1.0", "0x1g", " 1", "ten", "0x10000000000000000"] {
            assert!(parse_number(bad).is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn booleans_and_perms() {
        assert_eq!(parse_bool("true"), Some(true));
        assert_eq!(parse_bool("false"), Some(false));
        assert_eq!(parse_bool("True"), None);
        assert_eq!(parse_bool("1"), None);
        let rwx = parse_perms("xwr").unwrap();
        assert!(rwx.read && rwx.write && rwx.execute);
        assert_eq!(parse_perms("rr"), parse_perms("r"));
        assert!(parse_perms("").is_some());
        assert!(parse_perms("rw ").is_none());
    }

    #[test]
    fn text_positions_count_characters() {
        let text = "ab\ncé\n\tz";
        let text_pos = |pos| PosIndex::new(text).loc(pos);
        assert_eq!(text_pos(0), Loc { row: 1, col: 1 });
        assert_eq!(text_pos(2), Loc { row: 1, col: 3 });
        assert_eq!(text_pos(3), Loc { row: 2, col: 1 });
        // 'é' is two bytes but one column.
        assert_eq!(text_pos(6), Loc { row: 2, col: 3 });
        assert_eq!(text_pos(8), Loc { row: 3, col: 2 });
        assert_eq!(text_pos(100), Loc { row: 3, col: 3 });
        // Inside a multi-byte character: the character's own position.
        assert_eq!(text_pos(5), Loc { row: 2, col: 2 });
    }

    #[test]
    fn position_index_matches_roxmltree() {
        // Long non-ASCII lines cross chunk boundaries.
        let line = "é\tx".repeat(3000);
        let text = format!("<a>\n{line}\n\n{line}</a>");
        let doc = Document::parse(&text).unwrap();
        let index = PosIndex::new(&text);
        for (pos, _) in text.char_indices().step_by(7).chain([(text.len(), ' ')]) {
            let want = doc.text_pos_at(pos);
            assert_eq!(index.loc(pos), Loc { row: want.row, col: want.col }, "at {pos}");
        }
    }

    #[test]
    fn element_locations_match_roxmltree() {
        let xml = "<system>\n  <protection_domain name=\"é\"><program_image path=\"a\"/></protection_domain>\n\t<memory_region name=\"m\" size=\"0x10\"/>\n</system>";
        let err = parse_err(xml);
        assert_eq!(err.rule, "mr-size-page-multiple");
        assert_eq!(at(&err), (3, 2));
    }

    #[test]
    fn number_errors_are_located() {
        let xml = "<system>\n    <protection_domain name=\"a\" priority=\"high\">\n        <program_image path=\"a\"/>\n    </protection_domain>\n</system>";
        let err = parse_err(xml);
        assert_eq!(err.rule, "bad-number");
        assert_eq!(at(&err), (2, 5));
        assert!(err.message.contains("'high'"));
        assert!(err.message.contains("attribute 'priority'"));
    }

    #[test]
    fn xml_errors_without_a_position_point_at_the_end_or_the_dtd() {
        let err = parse_err("<system>\n  <x/>\n");
        assert_eq!((err.rule, at(&err)), ("xml-syntax", (3, 1)));
        let err = parse_err("<?xml version=\"1.0\"?>\n<!DOCTYPE system [<!ENTITY e \"x\">]>\n<system/>");
        assert_eq!((err.rule, at(&err)), ("xml-syntax", (2, 1)));
        let err = parse_err("");
        assert_eq!(err.rule, "xml-syntax");
    }

    #[test]
    fn stray_text_is_located_at_its_first_character() {
        let err = parse_err("<system>\n   \n  oops\n</system>");
        assert_eq!((err.rule, at(&err)), ("unexpected-text", (3, 3)));
        // Comments, and text inside other elements, are fine.
        let ok = "<system><!-- c --><protection_domain name=\"a\">x<program_image path=\"a\">y</program_image></protection_domain></system>";
        assert!(parse("t.xml", ok, &PlatformConfig::default()).is_ok());
    }

    #[test]
    fn first_error_wins_in_the_tools_order() {
        // Unknown attributes are checked before required ones.
        let err = parse_err("<system><protection_domain foo=\"1\"/></system>");
        assert_eq!(err.rule, "unknown-attribute");
        // An irq's id is checked before its attributes.
        let err = parse_err(
            "<system><protection_domain name=\"a\"><program_image path=\"a\"/><irq irq=\"1\" id=\"99\" foo=\"x\"/></protection_domain></system>",
        );
        assert_eq!(err.rule, "irq-id-range");
        // Budget before priority, although priority is the earlier attribute.
        let err =
            parse_err("<system><protection_domain name=\"a\" priority=\"999\" budget=\"2\" period=\"1\"/></system>");
        assert_eq!(err.rule, "budget-period");
        // Elements are parsed in document order, channels after all PDs.
        let err = parse_err("<system><channel/><memory_region name=\"m\"/><protection_domain name=\"a\"/></system>");
        assert_eq!(err.rule, "mr-size-missing");
        // Child ids are checked before channels.
        let err = parse_err(concat!(
            "<system><channel/><protection_domain name=\"p\"><program_image path=\"a\"/>",
            "<protection_domain name=\"c1\" id=\"1\"><program_image path=\"a\"/></protection_domain>",
            "<protection_domain name=\"c2\" id=\"1\"><program_image path=\"a\"/></protection_domain>",
            "</protection_domain></system>"
        ));
        assert_eq!(err.rule, "duplicate-child-id");
        // Duplicate PD names come before duplicate region names.
        let err = parse_err(concat!(
            "<system><memory_region name=\"m\" size=\"0x1000\"/><memory_region name=\"m\" size=\"0x1000\"/>",
            "<protection_domain name=\"a\"><program_image path=\"a\"/></protection_domain>",
            "<protection_domain name=\"a\"><program_image path=\"a\"/></protection_domain></system>"
        ));
        assert_eq!(err.rule, "duplicate-pd-name");
        // Map checks come after the channel checks.
        let err = parse_err(concat!(
            "<system><protection_domain name=\"a\"><program_image path=\"a\"/><map mr=\"nope\" vaddr=\"0\"/></protection_domain>",
            "<channel><end pd=\"a\" id=\"1\" pp=\"true\"/><end pd=\"a\" id=\"2\"/></channel></system>"
        ));
        assert_eq!(err.rule, "pp-priority");
    }

    #[test]
    fn platform_config_is_honoured() {
        let pd = "<system><protection_domain name=\"a\" cpu=\"3\"><program_image path=\"a\"/><virtual_machine name=\"vm\"/></protection_domain></system>";
        let smp = PlatformConfig { num_cores: 4, ..PlatformConfig::default() };
        assert_eq!(parse_err_with(pd, &smp).rule, "unsupported");
        let no_hyp = PlatformConfig { num_cores: 4, hypervisor: false, ..PlatformConfig::default() };
        let err = parse_err_with(pd, &no_hyp);
        assert_eq!(err.rule, "no-hypervisor");
        assert!(err.message.contains("virtual machines are disabled"));

        let two = "<system><protection_domain name=\"a\"><program_image path=\"a\"/></protection_domain><protection_domain name=\"b\"><program_image path=\"b\"/></protection_domain></system>";
        let one_pd = PlatformConfig { max_pds: 1, ..PlatformConfig::default() };
        let err = parse_err_with(two, &one_pd);
        assert_eq!(err.rule, "too-many-pds");
        assert!(err.message.contains("(2) defined. Maximum is 1."));
    }

    #[test]
    fn cpu_above_255_is_an_error_not_a_panic() {
        let err = parse_err("<system><protection_domain name=\"a\" cpu=\"256\"/></system>");
        assert_eq!(err.rule, "cpu-range");
        assert!(err.message.contains("got 256"));
    }

    #[test]
    fn huge_ids_are_errors_not_panics() {
        let xml = "<system><protection_domain name=\"a\"><program_image path=\"a\"/><irq irq=\"1\" id=\"99999999999999999999\"/></protection_domain></system>";
        assert_eq!(parse_err(xml).rule, "bad-number");
    }

    #[test]
    fn map_limit_depends_on_stack_size() {
        let xml = |stack: &str, vaddr: &str| {
            format!(
                "<system><memory_region name=\"m\" size=\"0x1000\"/><protection_domain name=\"a\" stack_size=\"{stack}\"><program_image path=\"a\"/><map mr=\"m\" vaddr=\"{vaddr}\"/></protection_domain></system>"
            )
        };
        let cfg = PlatformConfig::default();
        assert!(parse("t", &xml("0x1000", "0xffffffc000"), &cfg).is_ok());
        let err = parse_err(&xml("0x2000", "0xffffffc000"));
        assert_eq!(err.rule, "map-vaddr");
        let err = parse_err(&xml("0x1000", "0xffffffd000"));
        assert_eq!(err.rule, "map-vaddr");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let depth = 10_000;
        let mut xml = String::from("<system><protection_domain name=\"top\">");
        for i in 0..depth {
            xml += &format!("<protection_domain name=\"p{i}\" id=\"1\">");
        }
        xml += &"</protection_domain>".repeat(depth + 1);
        xml += "</system>";
        let err = parse_err(&xml);
        assert_eq!(err.rule, "too-many-pds");
        // Reported at the 64th PD of the chain (the top PD is the 1st).
        let p62 = xml.find("<protection_domain name=\"p62\"").unwrap();
        assert_eq!(at(&err), (1, u32::try_from(p62 + 1).unwrap()));
        assert!(err.message.contains("Maximum is 63."));
    }

    #[test]
    fn disjoint_ranges_find_what_a_linear_scan_finds() {
        // A small LCG keeps this deterministic without extra dependencies.
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |bound: u64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % bound
        };
        for _ in 0..200 {
            let mut ranges = DisjointRanges::default();
            let mut naive: Vec<(u64, u64)> = Vec::new();
            for _ in 0..40 {
                let start = next(64);
                let end = start + next(6);
                let expected = naive.iter().find(|&&(s, e)| start < e && end > s).copied();
                let got = ranges.first_overlap(start, end).map(|(_, s, e)| (s, e));
                assert_eq!(got, expected, "[{start}, {end}) against {naive:?}");
                if expected.is_none() {
                    ranges.insert(start, end, "r");
                    naive.push((start, end));
                }
            }
        }
    }

    #[test]
    fn both_ends_on_one_pd_may_share_an_id() {
        // The tool records both ends' ids only after checking both.
        let ok = "<system><protection_domain name=\"a\"><program_image path=\"a\"/></protection_domain><channel><end pd=\"a\" id=\"1\"/><end pd=\"a\" id=\"1\"/></channel></system>";
        assert!(parse("t", ok, &PlatformConfig::default()).is_ok());
    }
}
