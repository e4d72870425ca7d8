//! `capuchin pack` over javac output and a jar.

use std::path::Path;
use std::process::Command;

use pd_jvm::image::ClassImage;

fn javac(dir: &Path, sources: &[(&str, &str)]) {
    let src = dir.join("src");
    std::fs::create_dir_all(&src).unwrap();
    let mut files = Vec::new();
    for (name, text) in sources {
        let p = src.join(name);
        std::fs::write(&p, text).unwrap();
        files.push(p);
    }
    let status =
        Command::new("javac").arg("--release").arg("17").arg("-d").arg(dir.join("classes")).args(&files).status();
    assert!(status.expect("javac (JDK 17) on PATH").success());
}

#[test]
fn packs_directories_and_jars_by_class_name() {
    let tmp = std::env::temp_dir().join(format!("capuchin-pack-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    javac(
        &tmp,
        &[
            ("Hello.java", "package demo; public class Hello { public static void main(String[] a) { System.out.println(\"hi\"); } }"),
            ("Util.java", "package demo.util; public class Util { record P(int x) {} interface F { int f(); } }"),
        ],
    );
    let classes = tmp.join("classes");
    // Move Util into a jar, keep Hello in the directory.
    let status = Command::new("jar")
        .arg("cf")
        .arg(tmp.join("util.jar"))
        .arg("-C")
        .arg(&classes)
        .arg("demo/util")
        .status()
        .expect("jar (JDK 17) on PATH");
    assert!(status.success());
    std::fs::remove_dir_all(classes.join("demo/util")).unwrap();

    let (bytes, n) = capuchin::pack::pack(&[classes.clone(), tmp.join("util.jar")]).unwrap();
    assert_eq!(n, 4);
    let image = ClassImage::parse(&bytes).unwrap();
    let names: Vec<String> = image.iter().map(|(n, _)| String::from_utf8(n.to_vec()).unwrap()).collect();
    assert_eq!(names, ["demo/Hello", "demo/util/Util", "demo/util/Util$F", "demo/util/Util$P"]);
    let hello = image.get(b"demo/Hello").unwrap();
    assert_eq!(pd_jvm::parse(hello).unwrap().name(), b"demo/Hello");

    // The same class twice is an error naming both places.
    let err = capuchin::pack::pack(&[classes.clone(), classes.clone()]).unwrap_err();
    assert!(err.contains("class demo/Hello is also in"), "{err}");

    // A corrupt class file fails the pack with its path and the parser's message.
    std::fs::write(classes.join("demo/Broken.class"), b"\xca\xfe\xba\xbe\x00").unwrap();
    let err = capuchin::pack::pack(&[classes]).unwrap_err();
    assert!(err.contains("Broken.class") && err.contains("ClassFormatError"), "{err}");
    let _ = std::fs::remove_dir_all(&tmp);
}

/// `capuchin pack --pd`: a Java PD image with the main class, the VM's
/// limits and the PD's channel names and regions from system.xml.
#[test]
fn packs_a_java_pd_image_with_its_channel_names() {
    let dir = Path::new(env!("CARGO_BIN_EXE_capuchin")).parent().unwrap();
    let library = dir.join("java-l4.img");
    assert!(library.is_file(), "{} missing: build it with `make java-l4`", library.display());
    let tmp = std::env::temp_dir().join(format!("capuchin-pack-pd-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    javac(&tmp, &[("Main.java", "package demo; public class Main { public static void main(String[] a) {} }")]);
    let system = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().join("system.xml");
    let mut opts = capuchin::pack::JavaPdOptions {
        system,
        pds: vec!["calc_client_j2j".into()],
        main_class: "demo.Main".into(),
        args: vec!["calc_server_java".into()],
        heap_quota: 1 << 20,
        budget: 1000,
        max_depth: 200,
        jit: Some(0),
    };
    let inputs = [library.clone(), tmp.join("classes")];
    let (bytes, _) = capuchin::pack::pack_pd(&inputs, &opts).unwrap();
    let image = java_l4::image::PdImage::parse(&bytes).unwrap();
    let h = &image.header;
    assert_eq!(
        (h.main_class, &h.args[..], h.heap_quota, h.budget, h.max_depth, h.jit),
        ("demo.Main", &["calc_server_java"][..], 1 << 20, 1000, 200, Some(0))
    );
    let pd = image.entry_for("calc_client_j2j").unwrap();
    assert_eq!(pd.channels.len(), 1);
    let c = &pd.channels[0];
    assert_eq!((c.id, c.peer, c.pp, c.notify), (0, "calc_server_java", true, true));
    let region = |setvar: &str| pd.regions.iter().find(|r| r.setvar == Some(setvar)).map(|r| (r.mr, r.writable));
    assert_eq!(region("calc_buf"), Some(("calc_buf_java", true)));
    // The JIT's code memory: one region, mapped twice.
    assert_eq!(region("jit_code_rw"), Some(("calc_client_j2j_jit", true)));
    assert_eq!(region("jit_code_rx"), Some(("calc_client_j2j_jit", false)));
    assert!(image.classes.get(b"demo/Main").is_some() && image.classes.get(b"capuchin/l4/Env").is_some());

    opts.pds = vec!["nobody".into()];
    let err = capuchin::pack::pack_pd(&inputs, &opts).unwrap_err();
    assert!(err.contains("no protection domain 'nobody' (there are: calc_server,"), "{err}");
    opts.pds = vec!["calc_client_j2j".into()];
    opts.main_class = "demo.Missing".into();
    let err = capuchin::pack::pack_pd(&inputs, &opts).unwrap_err();
    assert!(err.contains("the main class demo.Missing is in none of the inputs"), "{err}");
    opts.main_class = "demo.Main".into();
    let err = capuchin::pack::pack_pd(&[tmp.join("classes")], &opts).unwrap_err();
    assert!(err.contains("java.lang.Object is in none of the inputs"), "{err}");
    let _ = std::fs::remove_dir_all(&tmp);
}
