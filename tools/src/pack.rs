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

/// Adds the classes of a class image (`capuchin pack` output, e.g. the
/// class library `java-l4.img`).
fn add_image(classes: &mut Classes, path: &Path) -> Result<(), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let image = pd_jvm::image::ClassImage::parse(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    for (name, data) in image.iter() {
        add(classes, data.to_vec(), format!("{}!{}", path.display(), decode_lossy(name)))?;
    }
    Ok(())
}

/// Packs every class under `inputs` (directories, jars, or class images
/// ending in `.img`) into an image. Returns the image and the number of
/// classes.
pub fn pack(inputs: &[PathBuf]) -> Result<(Vec<u8>, usize), String> {
    let mut classes = Classes::new();
    for input in inputs {
        if input.is_dir() {
            add_dir(&mut classes, input)?;
        } else if input.extension().is_some_and(|e| e == "img") {
            add_image(&mut classes, input)?;
        } else {
            add_jar(&mut classes, input)?;
        }
    }
    let n = classes.len();
    let image = pd_jvm::image::build(classes.iter().map(|(name, (bytes, _))| (name.as_slice(), bytes.as_slice())))
        .map_err(|dup| format!("duplicate class {}", decode_lossy(dup)))?;
    Ok((image, n))
}

/// What `capuchin pack --pd` records besides the classes.
#[derive(Debug, Clone)]
pub struct JavaPdOptions {
    /// The system description the PD is part of.
    pub system: PathBuf,
    /// The PD(s) of that system that run this image.
    pub pds: Vec<String>,
    /// The class whose `main` runs in the PD's init (binary or internal name).
    pub main_class: String,
    pub args: Vec<String>,
    pub heap_quota: u64,
    pub budget: u64,
    pub max_depth: u32,
    /// The JIT policy: `None` interprets only, `Some(n)` compiles warm methods.
    pub jit: Option<u32>,
}

/// Packs a Java PD image (java_l4::image): `inputs`' classes, plus a header
/// with the main class, the VM's limits and, for each of `opts.pds`, its
/// channel-name table and regions from system.xml (checked with the
/// Microkit's rules first). The main class must be in the image.
pub fn pack_pd(inputs: &[PathBuf], opts: &JavaPdOptions) -> Result<(Vec<u8>, usize), String> {
    use java_l4::image::{build, ChannelName, PdEntry, PdImageHeader, RegionName};

    let sys =
        crate::sdf::parse_file(&opts.system, &crate::sdf::PlatformConfig::default()).map_err(|e| e.to_string())?;
    if opts.pds.is_empty() {
        return Err("--pd NAME: name the protection domain(s) of the system that run this image".into());
    }
    let mut entries = Vec::new();
    for name in &opts.pds {
        let Some(index) = sys.pds.iter().position(|p| &p.name == name) else {
            let names: Vec<&str> = sys.pds.iter().map(|p| p.name.as_str()).collect();
            return Err(format!(
                "{}: no protection domain '{name}' (there are: {})",
                opts.system.display(),
                names.join(", ")
            ));
        };
        let pd = &sys.pds[index];
        let mut channels = Vec::new();
        for ch in &sys.channels {
            for (i, end) in ch.ends.iter().enumerate() {
                if end.pd == index {
                    let peer = &sys.pds[ch.ends[1 - i].pd].name;
                    channels.push(ChannelName { id: end.id, peer: peer.as_str(), pp: end.pp, notify: end.notify });
                }
            }
        }
        channels.sort_by_key(|c| c.id);
        let regions = pd
            .maps
            .iter()
            .map(|m| {
                let size = sys.memory_regions.iter().find(|r| r.name == m.mr).map_or(0, |r| r.size);
                RegionName { mr: m.mr.as_str(), setvar: m.setvar_vaddr.as_deref(), size, writable: m.perms.write }
            })
            .collect();
        entries.push(PdEntry { name: pd.name.as_str(), passive: pd.passive, channels, regions });
    }
    let (classes, n) = pack(inputs)?;
    let internal = opts.main_class.replace('.', "/");
    let image = pd_jvm::image::ClassImage::parse(&classes).map_err(|e| e.to_string())?;
    if image.get(internal.as_bytes()).is_none() {
        return Err(format!("the main class {} is in none of the inputs", opts.main_class));
    }
    for needed in ["java/lang/Object", "capuchin/l4/Env"] {
        if image.get(needed.as_bytes()).is_none() {
            return Err(format!(
                "{} is in none of the inputs: add the class library image (java-l4.img, `make java-l4`)",
                needed.replace('/', ".")
            ));
        }
    }
    let header = PdImageHeader {
        main_class: &opts.main_class,
        args: opts.args.iter().map(String::as_str).collect(),
        heap_quota: opts.heap_quota,
        budget: opts.budget,
        max_depth: opts.max_depth,
        jit: opts.jit,
        pds: entries,
    };
    Ok((build(&header, &classes), n))
}

/// `capuchin pack` options for a Java PD image.
#[derive(clap::Args, Debug, Default)]
pub struct PdArgs {
    /// Write a Java PD image for this protection domain of --system
    /// (repeatable, for PDs that share one program image).
    #[arg(long = "pd", value_name = "NAME")]
    pub pds: Vec<String>,
    /// The system description the PD is in.
    #[arg(long, value_name = "FILE", default_value = "system.xml")]
    pub system: PathBuf,
    /// The class whose main runs in the PD's init (e.g. calc.CalcServer).
    #[arg(long = "main", value_name = "CLASS")]
    pub main_class: Option<String>,
    /// An argument for main (repeatable).
    #[arg(long = "arg", value_name = "ARG", allow_hyphen_values = true)]
    pub args: Vec<String>,
    /// Java heap quota (two semispaces of half each), e.g. 4m.
    #[arg(long, value_name = "SIZE", default_value = "4m")]
    pub heap: String,
    /// Back edges plus calls per entry into Java (main, each call, each notification).
    #[arg(long, value_name = "N", default_value_t = 1_000_000_000)]
    pub budget: u64,
    /// Maximum Java frames.
    #[arg(long = "max-depth", value_name = "FRAMES", default_value_t = 3000)]
    pub max_depth: u32,
    /// The JIT: `off`, `all` (compile every method before its first run)
    /// or a threshold N (compile a method once entered after N entries
    /// plus back edges). Takes effect where the JVM PD was built with the
    /// JIT and system.xml maps it code memory (docs/jit.md).
    #[arg(long = "jit", value_name = "off|all|N", default_value = crate::java::DEFAULT_JIT)]
    pub jit: String,
}

/// `capuchin pack`: a class image, or with `--pd` a Java PD image.
pub fn pack_cli(inputs: &[PathBuf], pd: PdArgs) -> Result<(Vec<u8>, usize), String> {
    if pd.pds.is_empty() {
        if pd.main_class.is_some() {
            return Err("--main needs --pd NAME (the protection domain the image is for)".into());
        }
        return pack(inputs);
    }
    let Some(main_class) = pd.main_class else {
        return Err("--pd needs --main CLASS (the class whose main runs in the PD's init)".into());
    };
    let heap_quota =
        crate::java::parse_size(&pd.heap).ok_or_else(|| format!("bad heap size '{}' (use e.g. 4m)", pd.heap))?;
    let opts = JavaPdOptions {
        system: pd.system,
        pds: pd.pds,
        main_class,
        args: pd.args,
        heap_quota: heap_quota as u64,
        budget: pd.budget,
        max_depth: pd.max_depth,
        jit: crate::java::parse_jit(&pd.jit)?,
    };
    pack_pd(inputs, &opts)
}
