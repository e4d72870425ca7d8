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
