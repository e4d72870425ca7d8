//! Writes system descriptions for network systems, as sDDF's `sdfgen`
//! does: from a VIF tree to every region, map and channel the network
//! domains expect by name (docs/network.md, "Naming").

use std::fmt::Write;

use pd_netdriver::net_queue::{ring_size, BUFFER_SIZE};

/// One VIF domain of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VifSpec {
    pub name: String,
    /// The parent VIF; `None`: a child of the classifier.
    pub parent: Option<String>,
    /// Buffers in its pool (a power of two).
    pub buffers: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetTopology {
    /// Receive DMA buffers (a power of two).
    pub rx_buffers: u32,
    /// Buffers of the classifier's bypass pool; 0: no bypass route.
    pub bypass_buffers: u32,
    pub vifs: Vec<VifSpec>,
    /// A comment for the top of the file.
    pub comment: String,
    /// The seL4 device: virtio-net over virtio-mmio on QEMU's virt board
    /// (the register page, the driver's DMA region, the interrupt), and
    /// the physical address of every data region for the PDs that turn
    /// buffers into IO addresses (driver, classifier, virt_tx).
    pub virtio: bool,
}

/// QEMU virt's virtio-mmio transports 0xa003000..0xa004000 (the first
/// `-device` sits at 0xa003e00) and the first one's interrupt, SPI 47.
pub const VIRTIO_MMIO_PAGE: u64 = 0xa00_3000;
pub const VIRTIO_IRQ: u32 = 79;
/// The driver's DMA region for virtqueues and headers (pd_netdriver::virtio::dma_bytes(256) fits).
const VIRTIO_DMA_SIZE: u64 = 0x10000;

impl NetTopology {
    /// Parses `name[:parent][@buffers],...`, e.g. `vif0,web:vif0,dns@256`.
    pub fn parse_vifs(spec: &str, default_buffers: u32) -> Result<Vec<VifSpec>, String> {
        let mut v: Vec<VifSpec> = Vec::new();
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (item, buffers) = match item.split_once('@') {
                Some((a, b)) => (a, b.parse().map_err(|_| format!("bad buffer count in '{item}'"))?),
                None => (item, default_buffers),
            };
            let (name, parent) = match item.split_once(':') {
                Some((n, p)) => (n, Some(p.to_string())),
                None => (item, None),
            };
            v.push(VifSpec { name: name.to_string(), parent, buffers });
        }
        Ok(v)
    }
}

const PAGE: u64 = 0x1000;
/// A VIF's `viflet_image` region: two slots (the image running and the
/// next), each a 64-byte header and a class image of up to 128 KiB less
/// it (the example VIFlets and the test ones pack to under 8 KiB).
pub const VIFLET_IMAGE_SIZE: u64 = 0x40000;
/// A VIF's JIT code memory (as a Java PD's in system.xml).
pub const JIT_CODE_SIZE: u64 = 0x10_0000;
const RING_CAP_MAX: u32 = 1 << 15;

fn round_page(n: u64) -> u64 {
    n.div_ceil(PAGE) * PAGE
}

struct Gen {
    regions: Vec<(String, u64, u64)>,
    /// Regions with a fixed physical address.
    phys: Vec<(String, u64)>,
    /// Further elements of a PD after its maps (`<irq>`, `<setvar>`).
    extra: Vec<(String, String)>,
    next_vaddr: u64,
    maps: Vec<(String, Vec<String>)>,
    channels: Vec<String>,
}

impl Gen {
    /// A region, mapped at the same address in every PD that maps it.
    fn region(&mut self, name: &str, size: u64) -> u64 {
        let size = round_page(size);
        let vaddr = self.next_vaddr;
        // 2 MiB apart, so large regions could use large pages.
        self.next_vaddr = (vaddr + size + PAGE).div_ceil(0x20_0000) * 0x20_0000;
        self.regions.push((name.to_string(), size, vaddr));
        vaddr
    }

    fn map(&mut self, pd: &str, mr: &str, perms: &str, setvar: &str) {
        self.map_attrs(pd, mr, perms, setvar, "");
    }

    /// A second mapping of `mr` into `pd` at an address of its own (the
    /// JIT's code memory: read-write here, read-execute at the region's).
    fn map_again(&mut self, pd: &str, mr: &str, perms: &str, setvar: &str) {
        let (_, size, _) = *self.regions.iter().find(|(n, _, _)| n == mr).expect("region defined first");
        let vaddr = self.next_vaddr;
        self.next_vaddr = (vaddr + size + PAGE).div_ceil(0x20_0000) * 0x20_0000;
        let line = format!("<map mr=\"{mr}\" vaddr=\"{vaddr:#x}\" perms=\"{perms}\" setvar_vaddr=\"{setvar}\" />");
        match self.maps.iter_mut().find(|(p, _)| p == pd) {
            Some((_, v)) => v.push(line),
            None => self.maps.push((pd.to_string(), vec![line])),
        }
    }

    fn map_attrs(&mut self, pd: &str, mr: &str, perms: &str, setvar: &str, attrs: &str) {
        let (_, _, vaddr) = *self.regions.iter().find(|(n, _, _)| n == mr).expect("region defined first");
        let line =
            format!("<map mr=\"{mr}\" vaddr=\"{vaddr:#x}\" perms=\"{perms}\"{attrs} setvar_vaddr=\"{setvar}\" />");
        match self.maps.iter_mut().find(|(p, _)| p == pd) {
            Some((_, v)) => v.push(line),
            None => self.maps.push((pd.to_string(), vec![line])),
        }
    }

    /// `<setvar>` giving `pd` the physical address of `mr` (symbol
    /// `paddr_MR`; ipc-bindings attaches it to the region).
    fn paddr(&mut self, pd: &str, mr: &str) {
        self.extra.push((pd.to_string(), format!("<setvar symbol=\"paddr_{mr}\" region_paddr=\"{mr}\" />")));
    }

    fn channel(&mut self, a: &str, a_id: usize, b: &str, b_id: usize, a_pp: bool) {
        let pp = if a_pp { " pp=\"true\"" } else { "" };
        self.channels
            .push(format!("    <channel>\n        <end pd=\"{a}\" id=\"{a_id}\"{pp} />\n        <end pd=\"{b}\" id=\"{b_id}\" />\n    </channel>"));
    }

    /// A queue pair `name_free` / `name_active` for `buffers` buffers.
    fn pair(&mut self, name: &str, buffers: u32) {
        let cap = buffers.next_power_of_two().min(RING_CAP_MAX);
        let size = ring_size(cap) as u64;
        self.region(&format!("{name}_free"), size);
        self.region(&format!("{name}_active"), size);
    }

    fn map_pair(&mut self, pd: &str, name: &str, sym: &str) {
        self.map(pd, &format!("{name}_free"), "rw", &format!("{sym}_free"));
        self.map(pd, &format!("{name}_active"), "rw", &format!("{sym}_active"));
    }
}

/// The PD names the network domains have in generated systems.
pub const NETCTL: &str = "netctl";
pub const DRIVER: &str = "netdriver";
pub const CLASSIFIER: &str = "classifier";
pub const VIRT_TX: &str = "virt_tx";

/// The system description for a topology.
pub fn system_xml(t: &NetTopology) -> Result<String, String> {
    for b in [t.rx_buffers].iter().chain(t.vifs.iter().map(|v| &v.buffers)) {
        if !b.is_power_of_two() {
            return Err(format!("buffer counts must be powers of two ({b})"));
        }
    }
    if t.bypass_buffers != 0 && !t.bypass_buffers.is_power_of_two() {
        return Err(format!("buffer counts must be powers of two ({})", t.bypass_buffers));
    }
    for v in &t.vifs {
        if [NETCTL, DRIVER, CLASSIFIER, VIRT_TX].contains(&v.name.as_str()) || v.name.contains("__") {
            return Err(format!("'{}' cannot be a VIF name", v.name));
        }
        if let Some(p) = &v.parent {
            if !t.vifs.iter().any(|w| &w.name == p) {
                return Err(format!("VIF '{}': parent '{p}' is not a VIF", v.name));
            }
        }
    }
    let mut g = Gen {
        regions: Vec::new(),
        phys: Vec::new(),
        extra: Vec::new(),
        next_vaddr: 0x2000_0000,
        maps: Vec::new(),
        channels: Vec::new(),
    };
    // Configuration and statistics.
    g.region("net_config", 0x4000);
    g.map(NETCTL, "net_config", "rw", "net_config");
    let mut stat_pds: Vec<String> = vec![DRIVER.into(), CLASSIFIER.into(), VIRT_TX.into()];
    stat_pds.extend(t.vifs.iter().map(|v| v.name.clone()));
    for pd in &stat_pds {
        if pd != VIRT_TX {
            g.map(pd, "net_config", "r", "net_config");
        }
    }
    for (j, pd) in stat_pds.iter().enumerate() {
        let mr = format!("{pd}_stats");
        g.region(&mr, 0x1000);
        g.map(pd, &mr, "rw", "stats");
        g.map(NETCTL, &mr, "r", &format!("stats{j}"));
    }
    // Per VIF: where netctl stages a class image for `capuchin vif load`
    // (VIF read-only; no VIF maps another's) and where the VIF answers,
    // and the JIT's code memory, one region mapped twice (rw, rx).
    for (j, v) in t.vifs.iter().enumerate() {
        let (image, status, code) =
            (format!("{}_viflet_image", v.name), format!("{}_viflet_status", v.name), format!("{}_jit_code", v.name));
        g.region(&image, VIFLET_IMAGE_SIZE);
        g.map(NETCTL, &image, "rw", &format!("viflet_image{j}"));
        g.map(&v.name, &image, "r", "viflet_image");
        g.region(&status, PAGE);
        g.map(&v.name, &status, "rw", "viflet_status");
        g.map(NETCTL, &status, "r", &format!("viflet_status{j}"));
        g.region(&code, JIT_CODE_SIZE);
        g.map_again(&v.name, &code, "rw", "jit_code_rw");
        g.map(&v.name, &code, "rx", "jit_code_rx");
    }
    // Receive: driver <-> classifier.
    g.region("rx_dma", t.rx_buffers as u64 * BUFFER_SIZE as u64);
    g.pair("netdriver__classifier", t.rx_buffers);
    g.map(DRIVER, "rx_dma", "rw", "rx_data");
    g.map(CLASSIFIER, "rx_dma", "r", "rx_data");
    g.map_pair(DRIVER, "netdriver__classifier", "rx");
    g.map_pair(CLASSIFIER, "netdriver__classifier", "rx");
    // Transmit clients of virt_tx: the bypass pool, then every VIF.
    let mut clients: Vec<(String, String, u32)> = Vec::new(); // (pd, data region, buffers)
    if t.bypass_buffers > 0 {
        g.region("classifier_data", t.bypass_buffers as u64 * BUFFER_SIZE as u64);
        g.map(CLASSIFIER, "classifier_data", "rw", "tx_data");
        clients.push((CLASSIFIER.into(), "classifier_data".into(), t.bypass_buffers));
    }
    for v in &t.vifs {
        let data = format!("{}_data", v.name);
        g.region(&data, v.buffers as u64 * BUFFER_SIZE as u64);
        g.map(&v.name, &data, "rw", "data");
        clients.push((v.name.clone(), data, v.buffers));
    }
    let total: u32 = clients.iter().map(|c| c.2).sum();
    g.pair("virt_tx__netdriver", total.max(1));
    g.map_pair(DRIVER, "virt_tx__netdriver", "tx");
    g.map_pair(VIRT_TX, "virt_tx__netdriver", "drv");
    for (k, (pd, data, bufs)) in clients.iter().enumerate() {
        let pair = format!("{pd}__virt_tx");
        g.pair(&pair, *bufs);
        g.map_pair(pd, &pair, "tx");
        g.map_pair(VIRT_TX, &pair, &format!("client{k}"));
        g.map(VIRT_TX, data, "r", &format!("client{k}_data"));
        g.map(DRIVER, data, "r", &format!("tx_data{k}"));
    }
    if t.virtio {
        // Buffers travel as IO addresses between the classifier, virt_tx
        // and the driver: physical addresses, so the device can DMA.
        g.paddr(DRIVER, "rx_dma");
        g.paddr(CLASSIFIER, "rx_dma");
        for (_, data, _) in &clients {
            g.paddr(DRIVER, data);
            g.paddr(VIRT_TX, data);
        }
        g.region("virtio_regs", PAGE);
        g.phys.push(("virtio_regs".into(), VIRTIO_MMIO_PAGE));
        g.map_attrs(DRIVER, "virtio_regs", "rw", "virtio_regs", " cached=\"false\"");
        g.paddr(DRIVER, "virtio_regs");
        g.region("virtio_dma", VIRTIO_DMA_SIZE);
        g.map(DRIVER, "virtio_dma", "rw", "virtio_dma");
        g.paddr(DRIVER, "virtio_dma");
        // Channel 3 of the driver (pd_netdriver::driver::channel::IRQ).
        g.extra.push((DRIVER.into(), format!("<irq irq=\"{VIRTIO_IRQ}\" id=\"3\" />")));
    }
    // The VIF tree: each parent fills its children's pools.
    let mut child_count: Vec<(String, usize)> = Vec::new();
    let mut child_channels = Vec::new();
    for v in &t.vifs {
        let parent = v.parent.clone().unwrap_or_else(|| CLASSIFIER.into());
        let k = match child_count.iter_mut().find(|(p, _)| *p == parent) {
            Some((_, n)) => {
                *n += 1;
                *n - 1
            }
            None => {
                child_count.push((parent.clone(), 1));
                0
            }
        };
        let pair = format!("{parent}__{}", v.name);
        g.pair(&pair, v.buffers);
        g.map_pair(&parent, &pair, &format!("child{k}"));
        g.map_pair(&v.name, &pair, "rx");
        g.map(&parent, &format!("{}_data", v.name), "rw", &format!("child{k}_data"));
        child_channels.push((parent, 3 + k, v.name.clone()));
    }
    // Channels (ids: see the channel modules of pd-netdriver and pd-vif).
    g.channel(NETCTL, 0, DRIVER, 2, false);
    g.channel(DRIVER, 0, CLASSIFIER, 0, false);
    g.channel(DRIVER, 1, VIRT_TX, 0, false);
    g.channel(NETCTL, 1, CLASSIFIER, 2, true);
    g.channel(NETCTL, 2, VIRT_TX, 1, true);
    for (k, (pd, _, _)) in clients.iter().enumerate() {
        // Channel 1 is virt_tx for the classifier (bypass) and every VIF.
        g.channel(pd, 1, VIRT_TX, 2 + k, false);
    }
    for (parent, id, child) in &child_channels {
        g.channel(parent, *id, child, 0, false);
    }
    for (j, v) in t.vifs.iter().enumerate() {
        g.channel(NETCTL, 3 + j, &v.name, 2, false);
    }
    // The document.
    let mut x = String::new();
    writeln!(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>").unwrap();
    writeln!(x, "<!-- Generated by `capuchin vif sysgen` (tools/src/net/sysgen.rs); edit the topology, not this file.")
        .unwrap();
    for line in t.comment.lines() {
        writeln!(x, "     {line}").unwrap();
    }
    writeln!(x, "-->").unwrap();
    writeln!(x, "<system>").unwrap();
    for (name, size, _) in &g.regions {
        match g.phys.iter().find(|(n, _)| n == name) {
            Some((_, p)) => {
                writeln!(x, "    <memory_region name=\"{name}\" size=\"{size:#x}\" phys_addr=\"{p:#x}\" />").unwrap()
            }
            None => writeln!(x, "    <memory_region name=\"{name}\" size=\"{size:#x}\" />").unwrap(),
        }
    }
    let pd = |x: &mut String, name: &str, image: &str, prio: u8, indent: &str, extra: &str| {
        writeln!(x, "{indent}<protection_domain name=\"{name}\" priority=\"{prio}\"{extra}>").unwrap();
        writeln!(x, "{indent}    <program_image path=\"{image}\" />").unwrap();
        if let Some((_, maps)) = g.maps.iter().find(|(p, _)| p == name) {
            for m in maps {
                writeln!(x, "{indent}    {m}").unwrap();
            }
        }
        for (_, e) in g.extra.iter().filter(|(p, _)| p == name) {
            writeln!(x, "{indent}    {e}").unwrap();
        }
    };
    // netctl is the lowest priority (it calls the virtualisers); the driver
    // the highest, then the transmit and receive virtualisers, then VIFs
    // (sDDF's order).
    pd(&mut x, NETCTL, "netctl.elf", 50, "    ", "");
    pd(&mut x, DRIVER, "netdriver.elf", 250, "        ", " id=\"0\"");
    writeln!(x, "        </protection_domain>").unwrap();
    writeln!(x, "    </protection_domain>").unwrap();
    pd(&mut x, VIRT_TX, "net_virt_tx.elf", 210, "    ", "");
    writeln!(x, "    </protection_domain>").unwrap();
    pd(&mut x, CLASSIFIER, "net_classifier.elf", 200, "    ", "");
    writeln!(x, "    </protection_domain>").unwrap();
    for v in &t.vifs {
        let depth = {
            let mut d = 0;
            let mut p = v.parent.clone();
            while let Some(name) = p {
                d += 1;
                p = t.vifs.iter().find(|w| w.name == name).and_then(|w| w.parent.clone());
            }
            d
        };
        pd(&mut x, &v.name, "vif.elf", 150u8.saturating_sub(depth * 5).max(60), "    ", "");
        writeln!(x, "    </protection_domain>").unwrap();
    }
    for c in &g.channels {
        writeln!(x, "{c}").unwrap();
    }
    writeln!(x, "</system>").unwrap();
    Ok(x)
}

/// The example systems committed under examples/net/ (a test keeps them
/// in sync with this generator).
pub fn examples() -> Vec<(&'static str, NetTopology)> {
    vec![
        (
            "examples/net/vif-relay.xml",
            NetTopology {
                rx_buffers: 512,
                bypass_buffers: 512,
                vifs: vec![VifSpec { name: "vif0".into(), parent: None, buffers: 512 }],
                comment: "One VIF domain behind the classifier, and the classifier's bypass pool:\n\
                          `capuchin bench vif` and most network tests boot this system."
                    .into(),
                virtio: false,
            },
        ),
        (
            "examples/net/vif-tree.xml",
            NetTopology {
                rx_buffers: 512,
                bypass_buffers: 256,
                vifs: vec![
                    VifSpec { name: "vif0".into(), parent: None, buffers: 256 },
                    VifSpec { name: "vif1".into(), parent: None, buffers: 256 },
                    VifSpec { name: "web".into(), parent: Some("vif1".into()), buffers: 256 },
                    VifSpec { name: "dns".into(), parent: Some("vif1".into()), buffers: 256 },
                ],
                comment: "A VIF tree: vif0 and vif1 under the classifier, vif1 splitting its\n\
                          traffic to web and dns (000's hierarchical virtualization)."
                    .into(),
                virtio: false,
            },
        ),
        (
            "examples/net/vif-virtio.xml",
            NetTopology {
                rx_buffers: 256,
                bypass_buffers: 128,
                vifs: vec![
                    VifSpec { name: "vif0".into(), parent: None, buffers: 128 },
                    VifSpec { name: "vif1".into(), parent: None, buffers: 128 },
                    VifSpec { name: "vif2".into(), parent: None, buffers: 128 },
                ],
                comment: "seL4 on QEMU virt: virtio-net (virtio-mmio at 0xa003e00, IRQ 79) as the\n\
                          driver's device, three VIF domains and the bypass under the classifier;\n\
                          `make qemu-net` boots it with examples/net/virtio.conf."
                    .into(),
                virtio: true,
            },
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sdf::{parse, PlatformConfig};

    #[test]
    fn generated_systems_validate() {
        for (path, t) in examples() {
            let xml = system_xml(&t).unwrap();
            let sys = parse(path, &xml, &PlatformConfig::default()).unwrap_or_else(|e| panic!("{path}: {e}\n{xml}"));
            assert!(sys.pds.iter().any(|p| p.name == "netdriver" && p.parent.is_some()));
        }
    }

    #[test]
    fn topology_strings() {
        let v = NetTopology::parse_vifs("a, b:a@256 ,c", 512).unwrap();
        assert_eq!(v[1], VifSpec { name: "b".into(), parent: Some("a".into()), buffers: 256 });
        assert_eq!(v[2].buffers, 512);
        let bad =
            NetTopology { rx_buffers: 100, bypass_buffers: 0, vifs: vec![], comment: String::new(), virtio: false };
        assert!(system_xml(&bad).is_err());
    }
}
