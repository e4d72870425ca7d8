//! `capuchin java` from the command line: `-verbose:class`, and the two ways
//! to compile Java for Capuchin (README.md, "Compiling Java for Capuchin"):
//!
//! * (a) `javac --release 17` against the JDK: members our class library
//!   lacks fail at link time on our VM, with HotSpot's error text;
//! * (b) `javac --system=none --module-path target/release/java-l4`
//!   against our class library: missing members fail at compile time.
//!
//! Most tests need the class library (`make java-l4`), so they are ignored
//! by plain `cargo test` and run by `make test-java`, like java_corpus.rs.
//! The image is `$CAPUCHIN_BOOT_IMAGE`, else `java-l4.img` next to the
//! capuchin binary or in target/release; the exploded `java.base` module
//! for javac is the `java-l4` directory beside the image.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The class library: (image, directory holding the exploded `java.base`).
fn java_l4() -> (PathBuf, PathBuf) {
    let exe_dir = Path::new(env!("CARGO_BIN_EXE_capuchin")).parent().unwrap().to_path_buf();
    let image = std::env::var_os("CAPUCHIN_BOOT_IMAGE").map(PathBuf::from).unwrap_or_else(|| {
        [exe_dir.join("java-l4.img"), repo().join("target/release/java-l4.img")]
            .into_iter()
            .find(|p| p.is_file())
            .unwrap_or_else(|| panic!("no class library image: run `make java-l4` (or set CAPUCHIN_BOOT_IMAGE)"))
    });
    let modules = image.with_file_name("java-l4");
    assert!(modules.join("java.base/java/lang/Object.class").is_file(), "{}: no exploded java.base", modules.display());
    (image, modules)
}

/// A fresh directory under the system temp dir, removed on drop.
struct Temp(PathBuf);

impl Temp {
    fn new(tag: &str) -> Temp {
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "capuchin-cli-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        // Canonical, so the file: URLs printed by -verbose:class are predictable.
        Temp(std::fs::canonicalize(&p).unwrap())
    }

    /// Writes `files` (name, source) into `src/` and returns their paths.
    fn sources(&self, files: &[(&str, &str)]) -> Vec<PathBuf> {
        let src = self.0.join("src");
        std::fs::create_dir_all(&src).unwrap();
        files
            .iter()
            .map(|(name, text)| {
                let p = src.join(name);
                std::fs::write(&p, text).unwrap();
                p
            })
            .collect()
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
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

/// Way (a): `javac --release 17` against the JDK.
fn javac_jdk(out: &Path, sources: &[PathBuf]) {
    let r: Run = Command::new("javac")
        .args(["--release", "17", "-d"])
        .arg(out)
        .args(sources)
        .output()
        .expect("javac (JDK 17) not found")
        .into();
    assert_eq!(r.status, Some(0), "javac failed:\n{}", r.stderr);
}

/// Way (b): `javac --system=none --module-path <java-l4>` against our library.
fn javac_l4(out: &Path, sources: &[PathBuf]) -> Run {
    let (_, modules) = java_l4();
    Command::new("javac")
        .args(["--system=none", "--module-path"])
        .arg(modules)
        .arg("-d")
        .arg(out)
        .args(sources)
        .output()
        .expect("javac (JDK 17) not found")
        .into()
}

/// `capuchin java OPTIONS -cp CP MAIN ARGS...` with our class library.
fn capuchin_java(options: &[&str], cp: &str, main_and_args: &[&str]) -> Run {
    let (image, _) = java_l4();
    Command::new(env!("CARGO_BIN_EXE_capuchin"))
        .arg("java")
        .arg(format!("--boot-image={}", image.display()))
        .args(options)
        .args(["-cp", cp])
        .args(main_and_args)
        .output()
        .unwrap()
        .into()
}

/// `java OPTIONS -cp CP MAIN ARGS...` on the JDK.
fn hotspot_java(options: &[&str], cp: &str, main_and_args: &[&str]) -> Run {
    Command::new("java")
        .args(options)
        .args(["-cp", cp])
        .args(main_and_args)
        .output()
        .expect("java (JDK 17) not found")
        .into()
}

/// The first `n` lines of `s`.
fn head(s: &str, n: usize) -> String {
    s.lines().take(n).collect::<Vec<_>>().join("\n")
}

// ---- -verbose:class ----

/// `[0.012s][info][class,load] NAME source: SOURCE` → (seconds, NAME, SOURCE).
fn parse_load_line(line: &str) -> Option<(f64, &str, &str)> {
    let rest = line.strip_prefix('[')?;
    let (secs, rest) = rest.split_once("s][info][class,load] ")?;
    let (int, frac) = secs.split_once('.')?;
    if int.is_empty() || frac.len() != 3 || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (name, source) = rest.split_once(" source: ")?;
    Some((secs.parse().ok()?, name, source))
}

const HELLO: &str = r#"
public class Hello {
    public static void main(String[] args) {
        Runnable r = () -> System.out.println("lambda " + Greeting.text());
        r.run();
    }
}
"#;

const GREETING: &str = r#"
public class Greeting {
    static String text() { return "hi"; }
}
"#;

#[test]
#[ignore = "needs the class library image: run `make test-java`"]
fn verbose_class_prints_one_hotspot_style_line_per_class() {
    let t = Temp::new("verbose");
    let src = t.sources(&[("Hello.java", HELLO), ("Greeting.java", GREETING)]);
    let classes = t.0.join("classes");
    javac_jdk(&classes, &src);
    // Greeting goes into a jar, Hello stays in a directory.
    let jar = t.0.join("greeting.jar");
    let status = Command::new("jar")
        .arg("cf")
        .arg(&jar)
        .arg("-C")
        .arg(&classes)
        .arg("Greeting.class")
        .status()
        .expect("jar (JDK 17) not found");
    assert!(status.success());
    std::fs::remove_file(classes.join("Greeting.class")).unwrap();
    let cp = format!("{}:{}", classes.display(), jar.display());

    let plain = capuchin_java(&[], &cp, &["Hello"]);
    assert_eq!((plain.stdout.as_str(), plain.status), ("lambda hi\n", Some(0)), "{}", plain.stderr);

    let r = capuchin_java(&["-verbose:class"], &cp, &["Hello"]);
    assert_eq!(r.status, Some(0), "{}", r.stderr);
    assert_eq!(r.stderr, "");
    let mut loads = Vec::new();
    let mut program = String::new();
    for line in r.stdout.lines() {
        match parse_load_line(line) {
            Some(l) => loads.push(l),
            None => {
                assert!(!line.contains("[class,load]"), "malformed line: {line:?}");
                program.push_str(line);
                program.push('\n');
            }
        }
    }
    assert_eq!(program, "lambda hi\n");
    // The first line is a class load, and it is java.lang.Object's.
    assert_eq!(r.stdout.lines().next().and_then(parse_load_line), loads.first().copied());
    assert_eq!(loads[0].1, "java.lang.Object");
    assert_eq!(loads[0].2, "capuchin image");
    assert!(loads.windows(2).all(|w| w[0].0 <= w[1].0), "times go backwards");
    let mut names: Vec<&str> = loads.iter().map(|l| l.1).collect();
    names.sort_unstable();
    assert!(names.windows(2).all(|w| w[0] != w[1]), "a class is reported twice: {names:?}");
    let source_of = |name: &str| loads.iter().find(|l| l.1 == name).map(|l| l.2);
    assert_eq!(source_of("java.lang.String"), Some("capuchin image"));
    assert_eq!(source_of("Hello"), Some(format!("file:{}/", classes.display()).as_str()));
    assert_eq!(source_of("Greeting"), Some(format!("file:{}", jar.display()).as_str()));
    // The lambda's class is generated by the VM.
    assert!(loads.iter().any(|l| l.1.starts_with("Hello$$") && l.2 == "defined at run time"), "{loads:?}");
    // A superclass is reported before its subclasses: Object first, and
    // java.lang.Throwable before any exception class.
    let pos = |name: &str| loads.iter().position(|l| l.1 == name);
    if let (Some(t), Some(e)) = (pos("java.lang.Throwable"), pos("java.lang.Exception")) {
        assert!(t < e);
    }

    // HotSpot prints the same line for the class from the directory
    // (CDS off, so that its own classes say jrt:/java.base).
    let hs = hotspot_java(&["-Xshare:off", "-verbose:class"], &cp, &["Hello"]);
    assert_eq!(hs.status, Some(0), "{}", hs.stderr);
    let hs_line = |name: &str| {
        hs.stdout.lines().filter_map(parse_load_line).find(|l| l.1 == name).map(|l| (l.1.to_owned(), l.2.to_owned()))
    };
    assert_eq!(
        hs_line("Hello"),
        Some(("Hello".to_owned(), format!("file:{}/", classes.display()))),
        "HotSpot:\n{}",
        hs.stdout
    );
    assert_eq!(hs_line("java.lang.Object"), Some(("java.lang.Object".to_owned(), "jrt:/java.base".to_owned())));
}

/// The JDK launcher's spellings reach the option parser (no image needed:
/// the run stops at the missing image, after the options were accepted).
#[test]
fn jdk_style_options_are_accepted() {
    let missing = std::env::temp_dir().join(format!("capuchin-no-such-image-{}.img", std::process::id()));
    for opts in [
        &["-verbose:class"][..],
        &["-Xlog:class+load"],
        &["--verbose-class", "-Xmx8m"],
        &["--max-depth", "100", "--budget", "1000"],
    ] {
        let r: Run = Command::new(env!("CARGO_BIN_EXE_capuchin"))
            .arg("java")
            .args(["--boot-image".as_ref(), missing.as_os_str()])
            .args(opts)
            .args(["-cp", ".", "Main", "arg"])
            .output()
            .unwrap()
            .into();
        assert_eq!(r.status, Some(1), "{opts:?}: {}", r.stderr);
        assert!(
            r.stderr.starts_with(&format!("capuchin java: class library image {}: ", missing.display())),
            "{opts:?}: {}",
            r.stderr
        );
    }
}

// ---- way (a): javac --release 17, missing members fail at link time ----

const USES_MISSING: &str = r#"
import java.util.concurrent.ConcurrentHashMap;

public class UsesMissing {
    public static void main(String[] args) {
        System.out.println("before");
        if (args[0].equals("class")) {
            ConcurrentHashMap<String, Integer> m = new ConcurrentHashMap<>();
            m.put("a", 1);
            System.out.println(m);
        } else {
            System.out.println("x".describeConstable().isPresent());
        }
    }
}
"#;

#[test]
#[ignore = "needs the class library image: run `make test-java`"]
fn jdk_compiled_program_fails_at_link_time_naming_the_member() {
    let t = Temp::new("link");
    let src = t.sources(&[("UsesMissing.java", USES_MISSING)]);
    let classes = t.0.join("classes");
    javac_jdk(&classes, &src);
    let cp = classes.to_str().unwrap();
    // On the JDK both run.
    for what in ["class", "method"] {
        assert_eq!(hotspot_java(&[], cp, &["UsesMissing", what]).status, Some(0));
    }
    let run = |what: &str| capuchin_java(&[], cp, &["UsesMissing", what]);
    // A class we lack: NoClassDefFoundError naming it, when first used.
    let r = run("class");
    assert_eq!(r.stdout, "before\n");
    assert_eq!(
        r.stderr,
        "Exception in thread \"main\" java.lang.NoClassDefFoundError: java/util/concurrent/ConcurrentHashMap\n\
         \tat UsesMissing.main(UsesMissing.java:8)\n"
    );
    assert_eq!(r.status, Some(1));
    // A method we lack: NoSuchMethodError naming it, in HotSpot's format.
    let r = run("method");
    assert_eq!(r.stdout, "before\n");
    assert_eq!(
        r.stderr,
        "Exception in thread \"main\" java.lang.NoSuchMethodError: \
         'java.util.Optional java.lang.String.describeConstable()'\n\
         \tat UsesMissing.main(UsesMissing.java:12)\n"
    );
    assert_eq!(r.status, Some(1));
}

const CALLER: &str = r#"
public class Caller {
    public static void main(String[] args) {
        System.out.println("before");
        if (args[0].equals("class")) {
            System.out.println(new Gone().hashCode());
        } else {
            System.out.println(Kept.removed(3));
        }
    }
}
"#;
const GONE: &str = "class Gone {}\n";
const KEPT_OLD: &str = "class Kept { static int removed(int x) { return x; } }\n";
const KEPT_NEW: &str = "class Kept { }\n";

/// The same failures HotSpot reports when a class or method disappears
/// after compilation: the first two lines of stderr (the exception and its
/// frame) are identical; HotSpot adds a `Caused by:` for the class.
#[test]
#[ignore = "needs the class library image: run `make test-java`"]
fn link_errors_match_hotspot() {
    let t = Temp::new("hotspot");
    let src = t.sources(&[("Caller.java", CALLER), ("Gone.java", GONE), ("Kept.java", KEPT_OLD)]);
    let classes = t.0.join("classes");
    javac_jdk(&classes, &src);
    std::fs::remove_file(classes.join("Gone.class")).unwrap();
    let kept = t.sources(&[("Kept.java", KEPT_NEW)]);
    javac_jdk(&classes, &kept);
    let cp = classes.to_str().unwrap();
    for (what, first) in [
        ("class", "Exception in thread \"main\" java.lang.NoClassDefFoundError: Gone"),
        ("method", "Exception in thread \"main\" java.lang.NoSuchMethodError: 'int Kept.removed(int)'"),
    ] {
        let ours = capuchin_java(&[], cp, &["Caller", what]);
        let hs = hotspot_java(&[], cp, &["Caller", what]);
        assert_eq!(hs.status, Some(1), "{}", hs.stderr);
        assert_eq!(ours.status, Some(1), "{}", ours.stderr);
        assert_eq!(ours.stdout, hs.stdout);
        assert_eq!(head(&ours.stderr, 1), first);
        assert_eq!(head(&ours.stderr, 2), head(&hs.stderr, 2), "{what}");
    }
}

// ---- way (b): javac against our class library, missing members fail at compile time ----

const PROG: &str = r#"
import java.util.ArrayList;
import java.util.List;

public class Prog {
    public static void main(String[] args) {
        List<String> l = new ArrayList<>();
        for (String a : args) {
            l.add(a.toUpperCase());
        }
        System.out.println("hello " + l + " " + "ab".repeat(2));
    }
}
"#;

#[test]
#[ignore = "needs the class library image: run `make test-java`"]
fn library_compiled_program_runs() {
    let t = Temp::new("l4-ok");
    let src = t.sources(&[("Prog.java", PROG)]);
    let classes = t.0.join("classes");
    let j = javac_l4(&classes, &src);
    assert_eq!(j.status, Some(0), "javac --system=none failed:\n{}", j.stderr);
    let r = capuchin_java(&[], classes.to_str().unwrap(), &["Prog", "x", "y"]);
    assert_eq!((r.stdout.as_str(), r.stderr.as_str(), r.status), ("hello [X, Y] abab\n", "", Some(0)));
}

#[test]
#[ignore = "needs the class library image: run `make test-java`"]
fn jit_dump_writes_each_compiled_method() {
    let t = Temp::new("jit-dump");
    let src = t.sources(&[("Prog.java", PROG)]);
    let classes = t.0.join("classes");
    let j = javac_l4(&classes, &src);
    assert_eq!(j.status, Some(0), "javac --system=none failed:\n{}", j.stderr);
    let dump = t.0.join("dump");
    let d = dump.to_str().unwrap();
    let r = capuchin_java(&["--jit", "all", "--jit-dump", d], classes.to_str().unwrap(), &["Prog", "x", "y"]);
    assert_eq!((r.stdout.as_str(), r.status), ("hello [X, Y] abab\n", Some(0)), "{}", r.stderr);
    let index = std::fs::read_to_string(dump.join("index.txt")).expect("index.txt");
    let main = index.lines().find(|l| l.ends_with("Prog.main([Ljava/lang/String;)V")).expect("Prog.main in the index");
    let n = main.split(' ').next().unwrap();
    let ir = std::fs::read_to_string(dump.join(format!("{n}.clif"))).unwrap();
    assert!(ir.starts_with("function "), "{ir}");
    assert!(std::fs::metadata(dump.join(format!("{n}.bin"))).unwrap().len() > 0);
}

#[test]
#[ignore = "needs the class library image: run `make test-java`"]
fn library_compile_rejects_missing_members() {
    let t = Temp::new("l4-missing");
    let src = t.sources(&[("UsesMissing.java", USES_MISSING)]);
    let j = javac_l4(&t.0.join("classes"), &src);
    assert_eq!(j.status, Some(1), "javac accepted members our library lacks:\n{}", j.stderr);
    for expected in [
        "UsesMissing.java:2: error: package java.util.concurrent does not exist",
        "symbol:   class ConcurrentHashMap",
        "UsesMissing.java:12: error: cannot find symbol",
        "symbol:   method describeConstable()",
        "location: class String",
    ] {
        assert!(j.stderr.contains(expected), "javac output lacks {expected:?}:\n{}", j.stderr);
    }
}
