//! Every file in `tests/sdf/bad/` must be rejected with the expected rule,
//! message and location. Files are named after the rule they break (with an
//! optional `-variant` suffix) and break exactly one.

use std::collections::BTreeSet;
use std::path::PathBuf;

use capuchin::sdf::{parse, parse_file, PlatformConfig};

/// (file, rule, substring of the message, "row:col").
const CASES: &[(&str, &str, &str, &str)] = &[
    ("bad-bool.xml", "bad-bool", "passive must be 'true' or 'false' on element 'protection_domain'", "4:5"),
    ("bad-bool-cached.xml", "bad-bool", "cached must be 'true' or 'false' on element 'map'", "7:9"),
    ("bad-number.xml", "bad-number", "failed to parse integer '0x200_000sd' on element 'memory_region': invalid digit found in string", "4:5"),
    ("bad-number-hex-id.xml", "bad-number", "failed to parse integer '0x1' on element 'end'", "11:9"),
    ("bad-number-irq.xml", "bad-number", "failed to parse integer '0x21' on element 'irq'", "6:9"),
    ("bad-number-uppercase-hex.xml", "bad-number", "failed to parse integer '0X2000' on element 'protection_domain'", "4:5"),
    ("bad-perms.xml", "bad-perms", "perms must only be a combination of 'r', 'w', and 'x'", "7:9"),
    ("budget-period.xml", "budget-period", "budget (1000) must be less than, or equal to, period (100)", "4:5"),
    ("channel-end-count.xml", "channel-end-count", "exactly two end elements must be specified", "10:5"),
    ("channel-id-range.xml", "channel-id-range", "id must be < 62 on element 'end'", "12:9"),
    ("child-id-range.xml", "child-id-range", "id must be <= 63 for a child protection domain", "6:9"),
    ("cpu-range.xml", "cpu-range", "cpu core must be less than 1, got 1", "4:5"),
    ("domain-without-schedule.xml", "domain-without-schedule", "Specifying a domain 'd0' without declaring a domain schedule is not allowed", "4:5"),
    ("duplicate-channel-id.xml", "duplicate-channel-id", "duplicate channel id: 3 in protection domain: 'a'", "13:9"),
    ("duplicate-channel-id-channels.xml", "duplicate-channel-id", "duplicate channel id: 1 in protection domain: 'a'", "23:9"),
    ("duplicate-child-id.xml", "duplicate-child-id", "duplicate id: 0 in protection domain: 'parent'", "9:9"),
    ("duplicate-irq.xml", "duplicate-irq", "duplicate irq: 33 in protection domain: 'b'", "10:9"),
    ("duplicate-mr-name.xml", "duplicate-mr-name", "duplicate memory region name 'mr'.", "5:5"),
    ("duplicate-pd-name.xml", "duplicate-pd-name", "duplicate protection domain name 'b'.", "10:5"),
    ("duplicate-program-image.xml", "duplicate-program-image", "program_image must only be specified once", "6:9"),
    ("duplicate-setvar.xml", "duplicate-setvar", "setvar on symbol 'buf' already exists on element 'setvar'", "8:9"),
    ("duplicate-setvar-channel.xml", "duplicate-setvar", "setvar on symbol 'ch' already exists on element 'channel'", "11:5"),
    ("duplicate-setvar-child.xml", "duplicate-setvar", "setvar on symbol 'child_id' already exists on element 'protection_domain'", "8:9"),
    ("invalid-element.xml", "invalid-element", "invalid XML element 'protection_domains'", "7:5"),
    ("invalid-element-in-channel.xml", "invalid-element", "invalid XML element 'ending'", "12:9"),
    ("invalid-element-in-pd.xml", "invalid-element", "invalid XML element 'mapping'", "6:9"),
    ("ioport-arch.xml", "ioport-arch", "I/O Ports are only available on x86", "6:9"),
    ("irq-arch.xml", "irq-arch", "x86 I/O APIC IRQ isn't supported on ARM and RISC-V", "6:9"),
    ("irq-id-range.xml", "irq-id-range", "id must be < 62 on element 'irq'", "6:9"),
    ("irq-id-range-negative.xml", "irq-id-range", "id must be >= 0 on element 'irq'", "6:9"),
    ("irq-trigger.xml", "irq-trigger", "trigger must be either 'level' or 'edge'", "6:9"),
    ("map-alignment.xml", "map-alignment", "invalid vaddr alignment on 'map'", "7:9"),
    ("map-overflow.xml", "map-overflow", "map for 'huge' has address range that overflows", "7:9"),
    ("map-overlap.xml", "map-overlap", "map for 'small_region' has virtual address range [0x201000..0x202000) which overlaps with map for 'large_region' [0x200000..0x400000) in protection domain 'test'", "9:9"),
    ("map-range.xml", "map-range", "map for 'mr' has virtual address range [0xffffffa000..0xffffffe000) which exceeds valid address space [0x0..0xffffffc000)", "7:9"),
    ("map-vaddr.xml", "map-vaddr", "vaddr (0xffffffc000) must be less than 0xffffffc000", "7:9"),
    ("misplaced-virtual-machine.xml", "misplaced-virtual-machine", "virtual machine must be a child of a protection domain", "7:5"),
    ("missing-attribute.xml", "missing-attribute", "Missing required attribute 'vaddr' on element 'map'", "7:9"),
    ("missing-attribute-child-id.xml", "missing-attribute", "Missing required attribute 'id' on element 'protection_domain'", "6:9"),
    ("missing-attribute-irq.xml", "missing-attribute", "Missing required attribute 'irq' on element 'irq'", "6:9"),
    ("missing-program-image.xml", "missing-program-image", "missing 'program_image' element on protection_domain: 'a'", "4:5"),
    ("mr-overlap.xml", "mr-overlap", "memory region 'mr2' physical address range [0x9001000..0x9002000) overlaps with another memory region 'mr1' [0x9000000..0x9002000)", "5:5"),
    ("mr-phys-alignment.xml", "mr-phys-alignment", "phys_addr is not aligned to the page size", "4:5"),
    ("mr-phys-overflow.xml", "mr-phys-overflow", "memory region 'mr' physical address range overflows", "4:5"),
    ("mr-size-missing.xml", "mr-size-missing", "size must be specified if memory region is not prefilled", "4:5"),
    ("mr-size-page-multiple.xml", "mr-size-page-multiple", "size is not a multiple of the page size", "4:5"),
    ("no-iommu.xml", "no-iommu", "io address space requires seL4 to be built with IOMMU support", "5:5"),
    ("no-pds.xml", "no-pds", "at least one protection domain must be defined", "3:1"),
    ("page-size.xml", "page-size", "page size 0x400000 not supported", "4:5"),
    ("pp-bidirectional.xml", "pp-bidirectional", "cannot ppc bidirectionally", "10:5"),
    ("pp-priority.xml", "pp-priority", "PPCs must be to protection domains of strictly higher priorities; channel with PPC exists from pd client (priority: 100) to pd server (priority: 50)", "12:9"),
    ("priority-range.xml", "priority-range", "priority must be between 0 and 254", "4:5"),
    ("reserved-pd-name.xml", "reserved-pd-name", "the PD name 'monitor' is reserved for the Microkit Monitor.", "4:5"),
    ("root-element.xml", "root-element", "the root element must be 'system', not 'sdf'", "3:1"),
    ("setvar-prefill-size.xml", "setvar-prefill-size", "'setvar_prefill_size' used for MR without a `prefill_path`", "7:9"),
    ("stack-size.xml", "stack-size", "stack size must be between 0x1000 bytes and 0x1000000 bytes", "4:5"),
    ("stack-size-alignment.xml", "stack-size", "stack size must be aligned to the smallest page size, 4096 bytes", "4:5"),
    ("too-many-pds.xml", "too-many-pds", "too many protection domains (64) defined. Maximum is 63.", "67:5"),
    ("unexpected-text.xml", "unexpected-text", "unexpected text found in element 'system'", "7:5"),
    ("unknown-attribute.xml", "unknown-attribute", "invalid attribute 'prio' on element 'protection_domain'", "4:5"),
    ("unknown-attribute-channel-pp.xml", "unknown-attribute", "invalid attribute 'pp' on element 'channel'", "10:5"),
    ("unknown-attribute-top-level-id.xml", "unknown-attribute", "invalid attribute 'id' on element 'protection_domain'", "4:5"),
    ("unknown-memory-region.xml", "unknown-memory-region", "invalid memory region name 'foos' on 'map'", "7:9"),
    ("unknown-memory-region-setvar.xml", "unknown-memory-region", "invalid memory region name 'mr2' on 'setvar'", "8:9"),
    ("unknown-pd.xml", "unknown-pd", "invalid PD name 'nobody' on element 'end'", "9:9"),
    ("unsupported-cspace.xml", "unsupported", "not supported by capuchin: <cspace>", "9:9"),
    ("unsupported-domains.xml", "unsupported", "not supported by capuchin: <domains>", "4:5"),
    ("unsupported-prefill.xml", "unsupported", "not supported by capuchin: memory_region 'prefill_path'", "4:5"),
    ("unsupported-virtual-machine.xml", "unsupported", "not supported by capuchin: <virtual_machine>", "6:9"),
    ("write-only-perms.xml", "write-only-perms", "perms must not be 'w', write-only mappings are not allowed", "7:9"),
    ("xml-syntax.xml", "xml-syntax", "expected 'protection_domain' tag, not 'protection_domian'", "6:5"),
    ("xml-syntax-unclosed.xml", "xml-syntax", "the root node was opened but never closed", "7:1"),
];

fn bad_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/sdf/bad")
}

#[test]
fn each_bad_file_fails_with_the_expected_error() {
    let cfg = PlatformConfig::default();
    let mut failures = Vec::new();
    for &(file, rule, message, at) in CASES {
        let path = bad_dir().join(file);
        let err = match parse_file(&path, &cfg) {
            Ok(_) => {
                failures.push(format!("{file}: accepted, expected error[{rule}]"));
                continue;
            }
            Err(err) => err,
        };
        let got_at = format!("{}:{}", err.loc.row, err.loc.col);
        if err.rule != rule || !err.message.contains(message) || got_at != at {
            failures.push(format!("{file}: expected {at}: error[{rule}]: ...{message}...\n    got {err}"));
        }
        // The display form is FILE:ROW:COL: error[RULE]: MESSAGE.
        let shown = err.to_string();
        let prefix = format!("{}:{at}: error[{rule}]: ", path.display());
        if !shown.starts_with(&prefix) {
            failures.push(format!("{file}: displayed as {shown:?}, expected prefix {prefix:?}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_bad_file_has_an_expectation() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(bad_dir())
        .expect("tests/sdf/bad exists")
        .map(|entry| entry.expect("readable directory entry").file_name())
        .map(|name| name.to_string_lossy().into_owned())
        .collect();
    let in_table: BTreeSet<String> = CASES.iter().map(|c| c.0.to_string()).collect();
    assert_eq!(in_table.len(), CASES.len(), "a file is listed twice");
    let missing: Vec<_> = on_disk.difference(&in_table).collect();
    let stale: Vec<_> = in_table.difference(&on_disk).collect();
    assert!(missing.is_empty(), "bad files without an expectation: {missing:?}");
    assert!(stale.is_empty(), "expectations without a file: {stale:?}");
}

#[test]
fn bad_files_are_named_after_their_rule() {
    for &(file, rule, _, _) in CASES {
        let stem = file.strip_suffix(".xml").expect("fixtures end in .xml");
        let variant = stem.strip_prefix(rule).map(|rest| rest.is_empty() || rest.starts_with('-'));
        assert_eq!(variant, Some(true), "{file} is not named after rule {rule}");
    }
}

#[test]
fn there_are_enough_distinct_rules() {
    let rules: BTreeSet<&str> = CASES.iter().map(|c| c.1).collect();
    assert!(rules.len() >= 30, "only {} distinct rules covered", rules.len());
}

#[test]
fn unreadable_file_is_an_io_error() {
    let path = bad_dir().join("does-not-exist.xml");
    let err = parse_file(&path, &PlatformConfig::default()).unwrap_err();
    assert_eq!(err.rule, "io");
    assert_eq!((err.loc.row, err.loc.col), (0, 0));
}

#[test]
fn parse_uses_the_given_file_name() {
    let err = parse("my.system", "<system/>", &PlatformConfig::default()).unwrap_err();
    assert_eq!(err.to_string(), "my.system:1:1: error[no-pds]: at least one protection domain must be defined");
}
