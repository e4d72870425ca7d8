//! The differential corpus (tests/java): every program must behave on our
//! VM exactly as on the machine's `java` — same stdout, stderr and exit
//! status. `CAPUCHIN_JAVA_FILTER=substring` runs a subset.
//!
//! Each program runs on our VM in every JIT mode of `capuchin java --jit`
//! (docs/jit.md): `off` (interpreter only), `all` (every method compiled
//! before its first run) and a low threshold (`10`: methods switch from
//! interpreted to compiled while they are on the stack, so interpreted and
//! compiled frames call and unwind through each other), and `all` again
//! with `--jit-opt fast` (`all:fast`: nothing optimized, the IR the
//! translator makes for cold code) and with `--jit-opt auto` (`all:auto`:
//! the baseline tier's templates for the methods they cover, compiled
//! again by Cranelift once hot). `CAPUCHIN_JAVA_JIT=off,all,1000:auto`
//! picks other modes (`MODE:OPT` adds `--jit-opt OPT`).
//!
//! It needs the class library image (`make java-l4`), so it runs through
//! `make test-java` (`--ignored`), not plain `cargo test`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

struct Run {
    stdout: String,
    stderr: String,
    status: Option<i32>,
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Run {
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
            status: o.status.code(),
        }
    }
}

fn first_difference(what: &str, ours: &str, theirs: &str) -> Option<String> {
    if ours == theirs {
        return None;
    }
    let (o, t): (Vec<&str>, Vec<&str>) = (ours.lines().collect(), theirs.lines().collect());
    let i = o.iter().zip(&t).position(|(a, b)| a != b).unwrap_or(o.len().min(t.len()));
    Some(format!(
        "{what} differs at line {}:\n    java:     {:?}\n    capuchin: {:?}",
        i + 1,
        t.get(i).copied().unwrap_or("<end>"),
        o.get(i).copied().unwrap_or("<end>")
    ))
}

fn jit_modes() -> Vec<String> {
    let modes = std::env::var("CAPUCHIN_JAVA_JIT").unwrap_or_else(|_| "off,all,10,all:fast,all:auto".into());
    modes.split(',').filter(|m| !m.is_empty()).map(String::from).collect()
}

fn check(program: &Path, work: &Path) -> Result<(), String> {
    let name = program.file_stem().unwrap().to_str().unwrap();
    let classes = work.join(name);
    let javac = Command::new("javac")
        .args(["--release", "17", "-d"])
        .arg(&classes)
        .arg(program)
        .output()
        .map_err(|e| format!("javac: {e}"))?;
    if !javac.status.success() {
        return Err(format!("{name}: javac failed:\n{}", String::from_utf8_lossy(&javac.stderr)));
    }
    let theirs: Run =
        Command::new("java").arg("-cp").arg(&classes).arg(name).output().map_err(|e| e.to_string())?.into();
    let mut problems = Vec::new();
    for mode in jit_modes() {
        let (jit, opt) = mode.split_once(':').unwrap_or((&mode, "speed"));
        let ours: Run = Command::new(env!("CARGO_BIN_EXE_capuchin"))
            .args(["java", "--jit", jit, "--jit-opt", opt, "-cp"])
            .arg(&classes)
            .arg(name)
            .output()
            .map_err(|e| e.to_string())?
            .into();
        let what = |s: &str| format!("--jit {mode}: {s}");
        problems.extend(first_difference(&what("stdout"), &ours.stdout, &theirs.stdout));
        problems.extend(first_difference(&what("stderr"), &ours.stderr, &theirs.stderr));
        if ours.status != theirs.status {
            problems.push(what(&format!("exit status: java {:?}, capuchin {:?}", theirs.status, ours.status)));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{name}:\n  {}", problems.join("\n  ")))
    }
}

#[test]
#[ignore = "needs the class library image: run `make test-java`"]
fn every_corpus_program_matches_the_jdk() {
    let filter = std::env::var("CAPUCHIN_JAVA_FILTER").unwrap_or_default();
    let mut programs: Vec<PathBuf> = std::fs::read_dir(repo().join("tests/java"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "java"))
        .filter(|p| p.to_string_lossy().contains(&filter))
        .collect();
    programs.sort();
    assert!(filter.is_empty() || !programs.is_empty(), "no program matches CAPUCHIN_JAVA_FILTER={filter}");
    let work = std::env::temp_dir().join(format!("capuchin-corpus-{}", std::process::id()));
    let queue = Mutex::new(programs.clone());
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let Some(p) = queue.lock().unwrap().pop() else { break };
                if let Err(e) = check(&p, &work) {
                    failures.lock().unwrap().push(e);
                }
            });
        }
    });
    let _ = std::fs::remove_dir_all(&work);
    let mut failures = failures.into_inner().unwrap();
    failures.sort();
    let passed = programs.len() - failures.len();
    println!("java corpus: {passed} of {} programs match the JDK (--jit {})", programs.len(), jit_modes().join(", "));
    assert!(failures.is_empty(), "{} of {} programs differ:\n{}", failures.len(), programs.len(), failures.join("\n"));
}
