//! Every file in `tests/sdf/good/` must be accepted; `capuchin_demo.xml` and
//! a few Microkit examples are checked against the expected model.

use std::path::PathBuf;

use capuchin::sdf::{
    parse_file, ChannelEnd, IrqTrigger, Loc, Map, MemoryRegion, Perms, PlatformConfig, SystemDescription,
};

fn good(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/sdf/good").join(file)
}

fn load(file: &str) -> SystemDescription {
    parse_file(&good(file), &PlatformConfig::default()).unwrap_or_else(|err| panic!("{err}"))
}

fn names(sys: &SystemDescription) -> Vec<&str> {
    sys.pds.iter().map(|pd| pd.name.as_str()).collect()
}

const RW: Perms = Perms { read: true, write: true, execute: false };

#[test]
fn every_good_file_parses() {
    let dir = good("");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/sdf/good exists")
        .map(|entry| entry.expect("readable directory entry").path())
        .collect();
    files.sort();
    assert!(files.len() >= 5, "too few good files in {}", dir.display());
    let failures: Vec<String> = files
        .iter()
        .filter_map(|path| parse_file(path, &PlatformConfig::default()).err())
        .map(|err| err.to_string())
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn demo_pds_are_flattened_depth_first() {
    let sys = load("capuchin_demo.xml");
    assert!(sys.file.ends_with("capuchin_demo.xml"));
    assert_eq!(names(&sys), ["server", "client", "worker", "helper", "watchdog", "logger"]);
    let parents: Vec<_> = sys.pds.iter().map(|pd| pd.parent).collect();
    assert_eq!(parents, [None, None, Some(1), Some(2), Some(1), None]);
    let child_ids: Vec<_> = sys.pds.iter().map(|pd| pd.child_id).collect();
    assert_eq!(child_ids, [None, None, Some(3), Some(0), Some(7), None]);
    assert_eq!(sys.pds[2].setvar_id.as_deref(), Some("worker_id"));
    assert_eq!(sys.pds[4].setvar_id, None);
    assert_eq!(sys.pd_index("watchdog"), Some(4));
}

#[test]
fn demo_scheduling_and_defaults() {
    let sys = load("capuchin_demo.xml");
    let prio: Vec<_> = sys.pds.iter().map(|pd| pd.priority).collect();
    assert_eq!(prio, [200, 100, 90, 80, 95, 0]);

    let server = &sys.pds[0];
    assert_eq!((server.budget, server.period), (500, 2000));
    assert!(server.passive);
    assert_eq!(server.program_image, "server.elf");
    assert_eq!(server.program_image_for_symbols, None);
    assert_eq!(server.loc, Loc { row: 11, col: 5 });

    // Defaults: budget 1000 us, period = budget, 8 KiB stack, core 0, FPU on.
    let client = &sys.pds[1];
    assert_eq!((client.budget, client.period), (1000, 1000));
    assert_eq!(client.stack_size, 0x4000);
    let worker = &sys.pds[2];
    assert_eq!(worker.stack_size, 0x2000);
    assert_eq!((worker.cpu, worker.fpu, worker.smc, worker.passive), (0, true, false, false));
    assert!(!sys.pds[5].fpu);
}

#[test]
fn demo_maps_irqs_and_setvars() {
    let sys = load("capuchin_demo.xml");
    let server = &sys.pds[0];
    assert_eq!(
        server.maps,
        [
            Map {
                mr: "shared".into(),
                vaddr: 0x4000_0000,
                perms: RW,
                cached: true,
                setvar_vaddr: Some("shared_vaddr".into()),
                setvar_size: Some("shared_size".into()),
                loc: Loc { row: 13, col: 9 },
            },
            Map {
                mr: "uart".into(),
                vaddr: 0x5000_0000,
                perms: RW,
                cached: false,
                setvar_vaddr: Some("uart_base".into()),
                setvar_size: None,
                loc: Loc { row: 14, col: 9 },
            },
        ]
    );
    assert_eq!(server.irqs.len(), 1);
    let irq = &server.irqs[0];
    assert_eq!((irq.irq, irq.id, irq.trigger), (33, 5, IrqTrigger::Edge));
    assert_eq!(irq.setvar_id.as_deref(), Some("uart_irq"));

    let client = &sys.pds[1];
    let perms: Vec<_> = client.maps.iter().map(|m| m.perms).collect();
    let r = Perms { write: false, ..RW };
    let rx = Perms { execute: true, ..r };
    assert_eq!(perms, [r, rx]);
    assert_eq!(client.setvars.len(), 1);
    assert_eq!(client.setvars[0].symbol, "big_paddr");
    assert_eq!(client.setvars[0].region_paddr, "big");
    assert_eq!(client.setvars[0].loc, Loc { row: 22, col: 9 });
}

#[test]
fn demo_channels_resolve_to_pd_indices() {
    let sys = load("capuchin_demo.xml");
    assert_eq!(sys.channels.len(), 2);
    let end = |pd, id, pp, notify, setvar_id: Option<&str>, row| ChannelEnd {
        pd,
        id,
        pp,
        notify,
        setvar_id: setvar_id.map(String::from),
        loc: Loc { row, col: 9 },
    };
    assert_eq!(sys.channels[0].ends, [end(1, 0, true, true, None, 40), end(0, 1, false, true, None, 41)]);
    assert_eq!(
        sys.channels[1].ends,
        [end(4, 2, false, false, Some("to_logger"), 44), end(5, 0, false, true, None, 45)]
    );
    assert_eq!(sys.channels[1].loc, Loc { row: 43, col: 5 });
}

#[test]
fn demo_memory_regions() {
    let sys = load("capuchin_demo.xml");
    assert_eq!(
        sys.memory_regions,
        [
            MemoryRegion {
                name: "uart".into(),
                size: 0x1000,
                page_size: 0x1000,
                phys_addr: Some(0x900_0000),
                loc: Loc { row: 7, col: 5 },
            },
            MemoryRegion {
                name: "shared".into(),
                size: 0x4000,
                page_size: 0x1000,
                phys_addr: None,
                loc: Loc { row: 8, col: 5 },
            },
            MemoryRegion {
                name: "big".into(),
                size: 0x20_0000,
                page_size: 0x20_0000,
                phys_addr: None,
                loc: Loc { row: 9, col: 5 },
            },
        ]
    );
    assert_eq!(sys.memory_region("big").map(|mr| mr.size), Some(0x20_0000));
}

#[test]
fn microkit_examples() {
    let hierarchy = load("hierarchy.xml");
    assert_eq!(names(&hierarchy), ["restarter", "crasher", "hello"]);
    let ids: Vec<_> = hierarchy.pds.iter().map(|pd| (pd.parent, pd.child_id)).collect();
    assert_eq!(ids, [(None, None), (Some(0), Some(1)), (Some(0), Some(2))]);

    let passive = load("passive_server.xml");
    assert!(passive.pds[0].passive);
    let [server_end, client_end] = &passive.channels[0].ends;
    assert_eq!((server_end.pd, server_end.pp), (0, false));
    assert_eq!((client_end.pd, client_end.pp), (1, true));

    let timer = load("timer.xml");
    assert_eq!(timer.memory_regions[0].size, 0x10_000);
    assert_eq!(timer.pds[0].maps[0].vaddr, 0x2_000_000);
    assert_eq!(timer.pds[0].irqs[0].trigger, IrqTrigger::Edge);

    let domains = load("domains_adapted.xml");
    assert!(!domains.channels[0].ends[1].notify);

    assert!(load("arm_smc.xml").pds[0].smc);
}

#[test]
fn edge_cases() {
    let sys = load("edge_cases.xml");
    assert_eq!(names(&sys), ["pd", "low", "child"]);
    let mrs: Vec<_> = sys.memory_regions.iter().map(|mr| mr.size).collect();
    assert_eq!(mrs, [0x1000, 4096, 0x1000, 0x1000]);
    let pd = &sys.pds[0];
    assert_eq!(pd.stack_size, 0x100_0000);
    assert_eq!(pd.program_image_for_symbols.as_deref(), Some("pd.debug.elf"));
    let none = Perms { read: false, write: false, execute: false };
    assert_eq!(pd.maps[0].perms, none);
    assert_eq!(pd.maps[3].vaddr, 0xff_feff_d000);
    assert_eq!(pd.irqs[0].irq, 48);
    assert_eq!(sys.pds[2].child_id, Some(63));
    // Channels may come before the PDs they name.
    assert_eq!(sys.channels[1].ends[0].pd, 1);
}
