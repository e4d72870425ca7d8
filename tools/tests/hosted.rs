//! Integration tests: boot real systems on the hosted platform.
//!
//! The PD programs are the `demo-pds` binaries, found next to the
//! `capuchin` binary under test (`make test` builds the workspace first).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use capuchin::hosted::{run, RunError, RunOptions, RunOutcome, StopReason};
use capuchin::sdf::{parse, parse_file, PlatformConfig};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn pd_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_BIN_EXE_capuchin")).parent().unwrap().to_path_buf();
    assert!(
        dir.join("calc_server").is_file(),
        "PD binaries missing in {}: build the workspace in this profile first (`make test` does)",
        dir.display()
    );
    dir
}

fn boot(system: &str, timeout_s: u64) -> RunOutcome {
    let sys = parse_file(&repo().join(system), &PlatformConfig::default()).unwrap();
    let opts = RunOptions {
        search_path: vec![pd_dir()],
        exit_when_idle: true,
        timeout: Some(Duration::from_secs(timeout_s)),
        quiet: true,
        stop: None,
        placement: Vec::new(),
    };
    run(&sys, &opts).unwrap()
}

fn has_line(o: &RunOutcome, pd: &str, text: &str) -> bool {
    o.lines_of(pd).any(|l| l.contains(text))
}

fn dump(o: &RunOutcome) -> String {
    o.output.iter().map(|l| format!("{} | {}\n", l.pd, l.line)).collect()
}

#[test]
fn demo_system_runs_to_completion() {
    let o = boot("system.xml", 60);
    assert_eq!(o.reason, StopReason::Idle, "{}", dump(&o));
    for (pd, text) in [
        ("calc_client", "neg(42) = -42"),
        ("calc_client", "add(3, 4) = 7"),
        ("calc_client", "sum_bytes(65536 bytes via calc_buf) = 8189175 (expected 8189175)"),
        ("calc_client", "error reply: IPC stream: expected i64 at byte 0, found string"),
        ("calc_client", "done"),
        ("ping", "1000 round trips done"),
        ("supervisor", "crasher is up after 2 restarts"),
        ("crasher", "run 3: staying up"),
    ] {
        assert!(has_line(&o, pd, text), "missing '{text}' from {pd}:\n{}", dump(&o));
    }
    // Both crashes went to the parent; none is unhandled.
    assert_eq!(o.faults.len(), 2, "{}", dump(&o));
    assert!(o.faults.iter().all(|f| f.pd == "crasher" && f.delivered_to.as_deref() == Some("supervisor")));
    assert!(o.faults[0].description.contains("SIGSEGV"));
    assert!(has_line(&o, "MON", "MON|ERROR: faulting PD: crasher"));
}

#[test]
fn a_million_protected_calls_lose_and_reorder_nothing() {
    let o = boot("tests/systems/ppc-stress.xml", 300);
    assert_eq!(o.reason, StopReason::Idle, "{}", dump(&o));
    assert!(has_line(&o, "stress_client", "1000000 calls, 0 bad replies"), "{}", dump(&o));
    assert!(o.faults.is_empty());
}

#[test]
fn a_crashing_server_fails_its_caller_and_spares_the_rest() {
    let o = boot("tests/systems/crash.xml", 60);
    assert_eq!(o.reason, StopReason::Idle, "{}", dump(&o));
    assert!(has_line(&o, "crash_client", "call on channel 0 failed: callee faulted"), "{}", dump(&o));
    assert!(has_line(&o, "crash_client", "later call: pp_call: the protection domain on channel '0' faulted"));
    assert!(has_line(&o, "crash_client", "calc_server still serving: sum 0..1000 = 499500"));
    assert!(has_line(&o, "ping", "1000 round trips done"));
    let unhandled: Vec<_> = o.unhandled_faults().collect();
    assert_eq!(unhandled.len(), 1);
    assert_eq!(unhandled[0].pd, "faulty_server");
}

#[test]
fn a_pd_gets_only_what_system_xml_grants() {
    let o = boot("tests/systems/grants.xml", 60);
    assert_eq!(o.reason, StopReason::Idle, "{}", dump(&o));
    for text in [
        "notify channel 5: Err(NotGranted { op: \"notify\", channel: 5 })",
        "pp_call channel 0: Err(NotGranted { op: \"pp_call\", channel: 0 })",
        "irq_ack channel 0: Err(IrqAckError(NotGranted { op: \"irq_ack\", channel: 0 }))",
        "region calc_buf: Err(NotMapped { name: \"calc_buf\" })",
        "write to read-only region: Err(ReadOnly { region: \"intruder_ro\" })",
        "done",
    ] {
        assert!(has_line(&o, "intruder", text), "missing '{text}':\n{}", dump(&o));
    }
}

#[test]
fn a_missing_program_image_is_a_clear_error() {
    let xml =
        r#"<system><protection_domain name="ghost"><program_image path="no_such.elf"/></protection_domain></system>"#;
    let sys = parse("ghost.xml", xml, &PlatformConfig::default()).unwrap();
    let opts = RunOptions { search_path: vec![pd_dir()], quiet: true, ..Default::default() };
    match run(&sys, &opts) {
        Err(e @ RunError::ProgramImageNotFound { .. }) => {
            let msg = e.to_string();
            assert!(msg.contains("program image 'no_such.elf' of protection domain 'ghost' not found"), "{msg}");
        }
        other => panic!("expected ProgramImageNotFound, got {other:?}"),
    }
}

#[test]
fn a_placed_pd_runs_on_its_core_only_and_a_bad_placement_is_refused() {
    // The PD is a script that reports the cores it may run on.
    let dir = std::env::temp_dir().join(format!("capuchin-placement-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("affinity");
    std::fs::write(&script, "#!/bin/sh\ngrep Cpus_allowed_list /proc/self/status\n").unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let xml = r#"<system>
        <protection_domain name="placed"><program_image path="affinity"/></protection_domain>
        <protection_domain name="free"><program_image path="affinity"/></protection_domain>
    </system>"#;
    let sys = parse("placement.xml", xml, &PlatformConfig::default()).unwrap();
    let cores = std::thread::available_parallelism().unwrap().get();
    let last = cores - 1;
    let opts = |placement: Vec<(String, usize)>| RunOptions {
        search_path: vec![dir.clone()],
        // The scripts end at once; the system runs until the timeout.
        timeout: Some(Duration::from_secs(2)),
        quiet: true,
        placement,
        ..Default::default()
    };
    let o = run(&sys, &opts(vec![("placed".into(), last)])).unwrap();
    let allowed =
        |pd: &str| o.lines_of(pd).find_map(|l| l.strip_prefix("Cpus_allowed_list:").map(|c| c.trim().to_string()));
    assert_eq!(allowed("placed"), Some(last.to_string()), "{}", dump(&o));
    if cores > 1 {
        assert_ne!(allowed("free"), Some(last.to_string()), "{}", dump(&o));
    }
    for (placement, why) in [
        (vec![("ghost".to_string(), 0)], "placement: the system has no protection domain 'ghost'"),
        (
            vec![("placed".to_string(), cores)],
            &*format!("placement: core {cores} for 'placed', but this process may run only on"),
        ),
    ] {
        match run(&sys, &opts(placement)) {
            Err(e @ RunError::Placement(_)) => assert!(e.to_string().contains(why), "{e}"),
            other => panic!("expected a placement error, got {other:?}"),
        }
    }
    // A core the host has but this thread may not use (as under taskset or
    // a cpuset): refused before any PD starts. (Under taskset the child
    // could widen its affinity and run anyway; under a cpuset its
    // sched_setaffinity would fail as "Invalid argument".)
    if cores > 1 {
        let before = rustix::thread::sched_getaffinity(None).unwrap();
        let mut only_last = rustix::thread::CpuSet::new();
        only_last.set(last);
        rustix::thread::sched_setaffinity(None, &only_last).unwrap();
        let r = run(&sys, &opts(vec![("placed".into(), 0)]));
        rustix::thread::sched_setaffinity(None, &before).unwrap();
        match r {
            Err(e @ RunError::Placement(_)) => {
                let want = format!("placement: core 0 for 'placed', but this process may run only on core(s) {last}");
                assert_eq!(e.to_string(), want);
            }
            other => panic!("expected a placement error, got {other:?}"),
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_pd_started_outside_the_runner_says_so() {
    let out = Command::new(pd_dir().join("calc_server")).env_remove("CAPUCHIN_PD_BOOT").output().unwrap();
    assert_eq!(out.status.code(), Some(70));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("started by `capuchin run system.xml`"), "{err}");
}

/// Processes whose environment carries `tag` (PDs inherit the runner's).
fn processes_tagged(tag: &str) -> Vec<u32> {
    let needle = format!("CAPUCHIN_TEST_TAG={tag}");
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/environ"))
                .map(|env| env.split(|&b| b == 0).any(|kv| kv == needle.as_bytes()))
                .unwrap_or(false)
        })
        .collect()
}

fn wait_until(mut cond: impl FnMut() -> bool, limit: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if cond() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    cond()
}

fn start_runner(tag: &str) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_capuchin"))
        .arg("run")
        .arg(repo().join("system.xml"))
        .arg("--search-path")
        .arg(pd_dir())
        .env("CAPUCHIN_TEST_TAG", tag)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn ctrl_c_stops_every_pd_and_leaves_nothing_behind() {
    let tag = format!("ctrlc-{}", std::process::id());
    let mut runner = start_runner(&tag);
    // runner + 7 PDs (crasher may be between restarts, so at least 6).
    assert!(wait_until(|| processes_tagged(&tag).len() >= 7, Duration::from_secs(10)));
    rustix::process::kill_process(
        rustix::process::Pid::from_raw(runner.id() as i32).unwrap(),
        rustix::process::Signal::INT,
    )
    .unwrap();
    let status = runner.wait().unwrap();
    assert!(status.success(), "runner exit: {status:?}");
    assert!(
        wait_until(|| processes_tagged(&tag).is_empty(), Duration::from_secs(5)),
        "left behind: {:?}",
        processes_tagged(&tag)
    );
    // Shared memory is memfd-backed: nothing named appears in /dev/shm.
    let shm: Vec<_> = std::fs::read_dir("/dev/shm")
        .map(|d| d.filter_map(|e| e.ok()).filter(|e| e.file_name().to_string_lossy().contains("capuchin")).collect())
        .unwrap_or_default();
    assert!(shm.is_empty(), "{shm:?}");
}

#[test]
fn pds_die_with_a_killed_runner() {
    let tag = format!("kill9-{}", std::process::id());
    let mut runner = start_runner(&tag);
    assert!(wait_until(|| processes_tagged(&tag).len() >= 7, Duration::from_secs(10)));
    runner.kill().unwrap();
    runner.wait().unwrap();
    assert!(
        wait_until(|| processes_tagged(&tag).is_empty(), Duration::from_secs(5)),
        "orphaned PDs: {:?}",
        processes_tagged(&tag)
    );
}
