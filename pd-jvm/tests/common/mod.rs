//! Test helpers: locating the installed JDK, extracting java.base, and
//! compiling Java fixtures with javac into a temporary directory.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The JDK home: `$JAVA_HOME` if it has `lib/modules`, else the directory
/// above `bin/javac` found on `PATH` (symlinks resolved).
pub fn jdk_home() -> Option<PathBuf> {
    if let Some(h) = std::env::var_os("JAVA_HOME") {
        let h = PathBuf::from(h);
        if h.join("lib/modules").is_file() && h.join("bin/jimage").is_file() {
            return Some(h);
        }
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        let javac = dir.join("javac");
        if javac.is_file() {
            let real = std::fs::canonicalize(&javac).ok()?;
            let home = real.parent()?.parent()?.to_path_buf();
            if home.join("lib/modules").is_file() {
                return Some(home);
            }
        }
    }
    None
}

/// A fresh temporary directory, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "pd-jvm-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("create temp dir");
        TempDir(p)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn collect_classes(dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_classes(&p, out);
        } else if p.extension().is_some_and(|x| x == "class") {
            let bytes = std::fs::read(&p).expect("read class");
            out.push((p.display().to_string(), bytes));
        }
    }
}

/// All classes of java.base as (path, bytes), or `None` (with a printed
/// reason) if no JDK is installed.
pub fn java_base_classes() -> Option<Vec<(String, Vec<u8>)>> {
    let Some(home) = jdk_home() else {
        eprintln!("SKIPPED: no JDK found (set JAVA_HOME or put javac on PATH)");
        return None;
    };
    let tmp = TempDir::new("jbase");
    let status = Command::new(home.join("bin/jimage"))
        .arg("extract")
        .arg("--include")
        .arg("regex:/java.base/.*")
        .arg("--dir")
        .arg(tmp.path())
        .arg(home.join("lib/modules"))
        .status()
        .expect("run jimage");
    assert!(status.success(), "jimage extract failed");
    let mut out = Vec::new();
    collect_classes(tmp.path(), &mut out);
    out.sort();
    Some(out)
}

/// Compile `sources` (file name, text) with `javac --release 17`; returns the
/// compiled classes keyed by binary name (e.g. `Outer$Inner`), or `None`
/// (with a printed reason) if javac is unavailable.
pub fn compile(sources: &[(&str, &str)]) -> Option<Vec<(String, Vec<u8>)>> {
    let Some(home) = jdk_home() else {
        eprintln!("SKIPPED: no JDK found (set JAVA_HOME or put javac on PATH)");
        return None;
    };
    let tmp = TempDir::new("javac");
    let src = tmp.path().join("src");
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&src).unwrap();
    let mut cmd = Command::new(home.join("bin/javac"));
    cmd.arg("--release").arg("17").arg("-g").arg("-parameters").arg("-d").arg(&out);
    for (name, text) in sources {
        let p = src.join(name);
        std::fs::write(&p, text).unwrap();
        cmd.arg(&p);
    }
    let o = cmd.output().expect("run javac");
    assert!(o.status.success(), "javac failed: {}", String::from_utf8_lossy(&o.stderr));
    let mut classes = Vec::new();
    collect_classes(&out, &mut classes);
    Some(
        classes
            .into_iter()
            .map(|(p, b)| {
                let name = Path::new(&p).file_stem().unwrap().to_string_lossy().into_owned();
                (name, b)
            })
            .collect(),
    )
}
