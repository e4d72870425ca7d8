//! `capuchin pack`: builds a class image (pd-jvm's `image` format) from
//! class directories and jars. Each class is named by its own `this_class`,
//! so every class is parsed and format-checked here, at build time, and a
//! malformed or misplaced class fails the build with its path.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use pd_jvm::classfile::mutf8::decode_lossy;

/// Class name -> (class file, where it came from).
type Classes = BTreeMap<Vec<u8>, (Vec<u8>, String)>;

fn add(classes: &mut Classes, bytes: Vec<u8>, origin: String) -> Result<(), String> {
    let name = match pd_jvm::parse(&bytes) {
        Ok(class) => class.name().to_vec(),
        Err(e) => return Err(format!("{origin}: {e}")),
    };
    if let Some((_, first)) = classes.get(&name) {
        return Err(format!("{origin}: class {} is also in {first}", decode_lossy(&name)));
    }
    classes.insert(name, (bytes, origin));
    Ok(())
}

fn add_dir(classes: &mut Classes, dir: &Path) -> Result<(), String> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            add_dir(classes, &path)?;
        } else if path.extension().is_some_and(|e| e == "class") && !path.ends_with("module-info.class") {
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            add(classes, bytes, path.display().to_string())?;
        }
    }
    Ok(())
}

fn add_jar(classes: &mut Classes, jar: &Path) -> Result<(), String> {
    let file = std::fs::File::open(jar).map_err(|e| format!("{}: {e}", jar.display()))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| format!("{}: not a jar: {e}", jar.display()))?;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| format!("{}: {e}", jar.display()))?;
        let name = entry.name().to_string();
        // module-info and multi-release variants are not program classes.
        if !name.ends_with(".class") || name.ends_with("module-info.class") || name.starts_with("META-INF/") {
            continue;
        }
        let mut bytes = Vec::with_capacity(entry.size() as usize);
        entry.read_to_end(&mut bytes).map_err(|e| format!("{}!{name}: {e}", jar.display()))?;
        add(classes, bytes, format!("{}!{name}", jar.display()))?;
    }
    Ok(())
}

/// Packs every class under `inputs` (directories or jars) into an image.
/// Returns the image and the number of classes.
pub fn pack(inputs: &[PathBuf]) -> Result<(Vec<u8>, usize), String> {
    let mut classes = Classes::new();
    for input in inputs {
        if input.is_dir() {
            add_dir(&mut classes, input)?;
        } else {
            add_jar(&mut classes, input)?;
        }
    }
    let n = classes.len();
    let image = pd_jvm::image::build(classes.iter().map(|(name, (bytes, _))| (name.as_slice(), bytes.as_slice())))
        .map_err(|dup| format!("duplicate class {}", decode_lossy(dup)))?;
    Ok((image, n))
}
