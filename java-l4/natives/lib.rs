//! The Rust side of Capuchin's Java IPC API, `capuchin.l4` (the Java
//! sources are in `java-l4/src/capuchin.l4`; docs/java-ipc.md describes
//! both), and of the JVM protection domain:
//!
//! * [`install`] registers the natives of `capuchin.l4` with a [`Vm`] and
//!   attaches their state: one handle table per kind of native object
//!   (capabilities, IPC streams, memory regions), the PD's channel names,
//!   and the platform ([`Kernel`]).
//! * [`JavaPd`] is the PD's [`ipc_bindings::Handler`]: it boots the VM
//!   from a [`image`] (`capuchin pack --pd`), runs `main` in init, and
//!   routes `protected()` to the registered `Server.dispatch` and
//!   `notified()` to the `NotifyHandler`, on the PD's own thread.
//!
//! `no_std` + `alloc`. The PD binary that embeds an image is `pd-jvm/pd`.

#![no_std]

extern crate alloc;

pub mod image;
pub mod kernel;
mod natives;
mod pd;
mod state;

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use pd_jvm::heap::HandleTable;
use pd_jvm::runtime::{Output, Vm, VmError};

pub use kernel::{Kernel, Microkit};
pub use pd::{DebugOutput, Hooks, InstallJit, JavaPd, JvmPdError};
pub use state::{table_stats, ChannelInfo, PdEnv, RegionInfo, TableStats, CAP_TABLE, REGION_TABLE, STREAM_TABLE};

/// The largest message label (seL4's labels have 52 bits).
pub const MAX_LABEL: u64 = (1 << 52) - 1;
/// The reply label of a call whose Java handler threw (or was stopped by a
/// resource guard); the payload is one string naming the exception.
/// `MsgTag.EXCEPTION` in Java.
pub const EXCEPTION_LABEL: u64 = MAX_LABEL;

/// `MsgTag.error()` values.
pub const ERROR_OK: i32 = 0;
pub const ERROR_PEER_FAULTED: i32 = 1;
pub const ERROR_NOT_GRANTED: i32 = 2;
pub const ERROR_NO_PLATFORM: i32 = 3;

/// The classes of `capuchin.l4` the natives belong to.
const API_CLASSES: [&str; 6] = [
    "capuchin/l4/NativeObject",
    "capuchin/l4/MsgTag",
    "capuchin/l4/IpcStream",
    "capuchin/l4/Cap",
    "capuchin/l4/MemoryRegion",
    "capuchin/l4/Env",
];

/// Describes a [`VmError`] for a log line (the exception, if one).
pub(crate) fn describe(vm: &mut Vm, e: &VmError) -> String {
    match e {
        VmError::Exception(p) | VmError::StackDepthExceeded(Some(p)) => {
            let d = vm.describe_throwable(p);
            d.lines().next().unwrap_or("").into()
        }
        other => format!("{other}"),
    }
}

/// Registers `capuchin.l4`'s natives with `vm` (whose class sources must
/// include the library and the API), links the API classes and attaches
/// the natives' state. `env` is the PD's view of system.xml; `kernel` the
/// platform; `native_allocations` counts the PD's Rust heap allocations
/// for `Env.nativeAllocations()`, if the embedder has such a counter.
pub fn install(
    vm: &mut Vm,
    env: PdEnv,
    kernel: Box<dyn Kernel>,
    native_allocations: Option<fn() -> u64>,
) -> Result<(), String> {
    natives::register(vm);
    if let Err(e) = vm.boot() {
        let d = describe(vm, &e);
        return Err(format!("the VM does not boot: {d}"));
    }
    for c in API_CLASSES {
        vm.load_and_link(c).map_err(|e| {
            format!("{}: {}: {} (is capuchin.l4 in the class image?)", c, e.class.replace('/', "."), e.message)
        })?;
    }
    let field = |vm: &Vm, class: &str, name: &str, desc: &str| -> Result<u32, String> {
        let c = vm.find_loaded(class).ok_or_else(|| format!("{class} is not loaded"))?;
        vm.instance_field_offset(c, name, desc).ok_or_else(|| format!("{class} has no field {name} {desc}"))
    };
    let tag = field(vm, "capuchin/l4/MsgTag", "label", "J")?;
    let tag_rest = [
        field(vm, "capuchin/l4/MsgTag", "words", "I")?,
        field(vm, "capuchin/l4/MsgTag", "error", "I")?,
        field(vm, "capuchin/l4/MsgTag", "channel", "I")?,
    ];
    // The linker puts the long first and the ints after it in declaration
    // order; set_tag relies on that.
    if tag_rest != [tag + 8, tag + 12, tag + 16] {
        return Err(format!(
            "capuchin.l4.MsgTag's fields are laid out as label@{tag}, words@{}, error@{}, channel@{}; \
             the natives need words, error and channel right after label",
            tag_rest[0], tag_rest[1], tag_rest[2]
        ));
    }
    let stream_tag = field(vm, "capuchin/l4/IpcStream", "tag", "Lcapuchin/l4/MsgTag;")?;
    let stream_base = field(vm, "capuchin/l4/IpcStream", "base", "J")?;
    let stream_room = field(vm, "capuchin/l4/IpcStream", "room", "I")?;
    let closed = field(vm, "capuchin/l4/NativeObject", "closed", "Z")?;
    let cap_kernel = field(vm, "capuchin/l4/Cap", "kernel", "J")?;
    let cap_channel = field(vm, "capuchin/l4/Cap", "channel", "I")?;
    let off = state::Offsets {
        kind: field(vm, "capuchin/l4/NativeObject", "kind", "I")?,
        index: field(vm, "capuchin/l4/NativeObject", "handleIndex", "I")?,
        generation: field(vm, "capuchin/l4/NativeObject", "handleGeneration", "I")?,
        tag,
        stream_tag,
        stream_base,
        stream_room,
        closed,
        cap_kernel,
        cap_channel,
        string_value: field(vm, "java/lang/String", "value", "[C")?,
        stream_fields: state::FieldRange::covering(&[(stream_tag, 4), (stream_base, 8), (stream_room, 4)]),
        cap_fields: state::FieldRange::covering(&[(closed, 1), (cap_kernel, 8), (cap_channel, 4)]),
    };
    vm.set_keyed_embedder_data(
        state::L4State {
            kernel,
            env,
            caps: HandleTable::new(CAP_TABLE),
            streams: HandleTable::new(STREAM_TABLE),
            regions: HandleTable::new(REGION_TABLE),
            off,
            servers: Vec::new(),
            dispatch: None,
            deliver: None,
            native_allocations,
            reaped: 0,
        },
        &state::L4_KEY,
    );
    let env_class = match vm.load_and_init("capuchin/l4/Env") {
        Ok(c) => c,
        Err(e) => {
            let d = describe(vm, &e);
            return Err(format!("capuchin.l4.Env does not initialize: {d}"));
        }
    };
    let deliver = vm.find_method(env_class, "deliverNotification", "(I)V");
    state::state(vm).deliver = deliver;
    Ok(())
}

/// Writes VM output (`System.out`, `System.err`) to the PD's debug console.
impl Output for DebugOutput {
    fn write(&mut self, _fd: i32, bytes: &[u8]) {
        for chunk in bytes.utf8_chunks() {
            ipc_bindings::__debug_write(chunk.valid());
            if !chunk.invalid().is_empty() {
                ipc_bindings::__debug_write("\u{fffd}");
            }
        }
    }
}
