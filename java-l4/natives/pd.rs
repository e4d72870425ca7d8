//! The JVM protection domain's handler: the Microkit entry points call
//! Java directly, on the PD's own thread. `protected()` copies the request
//! from the message registers into the dispatch stream, invokes the
//! registered server's `dispatch` (one [`Vm::invoke`]: a fresh budget and
//! the depth limit per entry), and copies the reply back; `notified()`
//! invokes `Env.deliverNotification` per channel. No threads, semaphores or
//! polling stand between the kernel and Java (003's server thread and
//! busy waiting cost it orders of magnitude).
//!
//! A Java exception escaping a handler does not end the PD: the caller
//! gets a reply labelled [`EXCEPTION_LABEL`](crate::EXCEPTION_LABEL) with
//! a string naming the exception, the stack trace goes to the debug
//! console, and the PD serves the next call. Only `System.exit` ends it
//! (a fault, as a PD cannot exit on the Microkit).

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use ipc_bindings::stream::STREAM_CAPACITY;
use ipc_bindings::{Channel, ChannelSet, Handler, MessageInfo};
use pd_jvm::heap::{FieldSpan, Heap, Ref, SpanFields};
use pd_jvm::runtime::{EntryPlan, InterpretedPlan, Output, Pins, RefCall, SlotRefs, Value, Vm, VmConfig, VmError};

use crate::image::PdImage;
use crate::kernel::Kernel;
use crate::natives::set_tag;
use crate::state::{reap, state, L4State, PdEnv, StreamBuf, TAG_BYTES};
use crate::{describe, EXCEPTION_LABEL, MAX_LABEL};

/// VM output to the PD's debug console (the serial port on seL4; the
/// runner's output, prefixed with the PD's name, on the hosted platform).
pub struct DebugOutput;

/// Installs a JIT in `vm` with a hotness threshold (see
/// [`Hooks::install_jit`]).
pub type InstallJit = fn(&mut Vm, u32) -> Result<(), String>;

/// What the platform-specific PD binary can add.
#[derive(Default, Clone, Copy)]
pub struct Hooks {
    /// Monotonic nanoseconds for `System.nanoTime`.
    pub nano_clock: Option<pd_jvm::NanoClock>,
    /// Milliseconds since the epoch for `System.currentTimeMillis`.
    pub millis_clock: Option<fn() -> i64>,
    /// The PD's count of native heap allocations (`Env.nativeAllocations()`).
    pub native_allocations: Option<fn() -> u64>,
    /// More arguments for `main`, after the image's (the hosted JVM PD
    /// reads them from `CAPUCHIN_JAVA_ARGS_<pd name>`: how `capuchin bench
    /// ipc --soak N` sets the soak client's call count at run time).
    pub extra_args: Option<fn() -> Vec<String>>,
    /// Installs the JIT with the image's threshold (0: compile before the
    /// first run) before `main` runs; `None` in a PD built without the
    /// JIT. An `Err` says why the JIT cannot run here (e.g. no code
    /// memory in system.xml); the PD then interprets and says so.
    pub install_jit: Option<InstallJit>,
    /// Replaces the image's JIT policy at boot (the hosted JVM PD reads
    /// `CAPUCHIN_JIT=off|all|N`, so `capuchin bench ipc` can measure the
    /// same images interpreted and compiled in one run).
    pub jit_override: Option<fn(Option<u32>) -> Option<u32>>,
}

/// Why the JVM PD could not start, or must stop.
#[derive(Debug)]
pub enum JvmPdError {
    /// The embedded image is broken or packed for another PD.
    Image(String),
    /// The VM or the API classes could not be set up.
    Setup(String),
    /// `main` threw (the stack trace was printed) or was stopped by a guard.
    Main(String),
    /// Java called `System.exit`: a PD cannot exit, so it faults.
    Exit(i32),
}

impl fmt::Display for JvmPdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JvmPdError::Image(m) => write!(f, "Java PD image: {m}"),
            JvmPdError::Setup(m) => write!(f, "JVM setup: {m}"),
            JvmPdError::Main(m) => write!(f, "main failed: {m}"),
            JvmPdError::Exit(c) => write!(f, "System.exit({c}) called: a protection domain cannot exit"),
        }
    }
}

/// One protected procedure call for a Java server: `dispatch` with its
/// arguments (server, tag, stream), and the stream's buffer for the reply.
struct DispatchCall {
    dispatch: RefCall<3>,
    args: SlotRefs<3>,
    buf: *mut StreamBuf,
}

/// What calls of one protocol need, found once: its server's `dispatch`
/// with the arguments (server, tag, stream) as slot words, the tag's
/// fields and the dispatch stream's buffer. It holds while no collection
/// ran (the tag span's count) and the VM's entry epoch stays where it was
/// (`Env.serve` moves it: the protocol's server may change).
#[derive(Clone, Copy)]
struct ServePlan {
    protocol: u64,
    dispatch: RefCall<3>,
    args: SlotRefs<3>,
    tag_fields: FieldSpan<TAG_BYTES>,
    buf: *mut StreamBuf,
    epoch: u64,
}

/// What a call of `protocol` runs: its server's `dispatch`, with the
/// server, the dispatch tag and stream as they are now; `None` if no
/// server serves it.
fn dispatch_of(st: &L4State, pins: Pins<'_>, protocol: u64) -> Option<(RefCall<3>, [Ref; 3])> {
    let s = st.servers.iter().find(|s| s.protocol == protocol)?;
    let d = st.dispatch.as_ref()?;
    Some((s.dispatch, [pins.get(&s.server), pins.get(&d.tag), pins.get(&d.stream)]))
}

/// The plan for calls of `protocol`: its server, and the tag's fields
/// checked (after a collection, which may have moved the objects).
/// `None` if no server serves it, or the tag's fields are not 8-aligned
/// in memory (the call then writes them one by one).
#[cold]
#[inline(never)]
fn serve_plan(st: &L4State, heap: &mut Heap, pins: Pins<'_>, protocol: u64, epoch: u64) -> Option<ServePlan> {
    let (dispatch, args) = dispatch_of(st, pins, protocol)?;
    let tag_fields = heap.field_span(args[1], st.off.tag).ok()?;
    let buf = st.dispatch.as_ref()?.buf;
    Some(ServePlan { protocol, dispatch, args: SlotRefs::new(args), tag_fields, buf, epoch })
}

/// A call without a plan: the server looked up, the tag written field by
/// field. `None` if no server serves `protocol`.
#[cold]
#[inline(never)]
fn unplanned_call(
    st: &L4State,
    heap: &mut Heap,
    pins: Pins<'_>,
    protocol: u64,
    tag: (u64, usize, i32),
) -> Option<DispatchCall> {
    let (dispatch, args) = dispatch_of(st, pins, protocol)?;
    set_tag(heap, &st.off, args[1], tag.0, tag.1, 0, tag.2).ok()?;
    Some(DispatchCall { dispatch, args: SlotRefs::new(args), buf: st.dispatch.as_ref()?.buf })
}

/// The request into the dispatch stream (emptied for the reply) and its
/// tag, the tag's fields at their offsets checked since the last
/// collection: four stores.
#[inline(always)]
fn load_request(b: &mut StreamBuf, mut tag: SpanFields<'_, TAG_BYTES>, channel: Channel, msg: &MessageInfo) {
    b.start_request(msg.count());
    tag.set_i64::<0>(msg.label() as i64);
    tag.set_i32::<8>(msg.count() as i32);
    tag.set_i32::<12>(0);
    tag.set_i32::<16>(channel.index() as i32);
}

/// A protection domain whose handlers are Java.
pub struct JavaPd {
    vm: Vm,
    /// The plan of the protocol served last, and of its `dispatch`'s
    /// entry, compiled or interpreted (made with it, in the same epoch:
    /// both are `None` whenever `serve` is replaced).
    serve: Option<ServePlan>,
    entry: Option<EntryPlan<3>>,
    interpreted: Option<InterpretedPlan<3>>,
    /// Calls served and Java exceptions that escaped handlers.
    pub calls: u64,
    pub handler_exceptions: u64,
}

impl JavaPd {
    /// Boots from an embedded image: a VM with the image's limits, the
    /// natives installed with the PD's channel table, then `main`.
    pub fn boot(
        image: &'static [u8],
        kernel: Box<dyn Kernel>,
        output: Box<dyn Output>,
        hooks: Hooks,
    ) -> Result<JavaPd, JvmPdError> {
        let img = PdImage::parse(image).map_err(|e| JvmPdError::Image(format!("{e}")))?;
        let entry = img.entry_for(kernel.pd_name()).map_err(JvmPdError::Image)?;
        let (pd_name, env) = (entry.name, PdEnv::from_entry(entry));
        let h = &img.header;
        let config = VmConfig {
            heap_quota: h.heap_quota as usize,
            budget: h.budget,
            max_depth: h.max_depth,
            nano_clock: hooks.nano_clock,
            millis_clock: hooks.millis_clock,
            ..VmConfig::default()
        };
        let mut vm = Vm::new(config, output).map_err(|e| JvmPdError::Setup(format!("{e}")))?;
        vm.add_source(Box::new(img.classes));
        crate::install(&mut vm, env, kernel, hooks.native_allocations).map_err(JvmPdError::Setup)?;
        let jit = hooks.jit_override.map_or(h.jit, |f| f(h.jit));
        if let Some(threshold) = jit {
            let installed = match hooks.install_jit {
                Some(install) => install(&mut vm, threshold),
                None => Err(String::from("this JVM PD was built without the JIT (cargo feature `jit`)")),
            };
            if let Err(why) = installed {
                ipc_bindings::debug_println!("{pd_name}: JIT off, interpreting: {why}");
            }
        }
        let mut pd = JavaPd::new(vm);
        let extra = hooks.extra_args.map(|f| f()).unwrap_or_default();
        let mut args: Vec<&str> = h.args.to_vec();
        args.extend(extra.iter().map(String::as_str));
        pd.run_main(h.main_class, &args)?;
        Ok(pd)
    }

    /// A PD over a VM prepared with [`crate::install`] (tests build their
    /// own).
    pub fn new(vm: Vm) -> JavaPd {
        JavaPd { vm, serve: None, entry: None, interpreted: None, calls: 0, handler_exceptions: 0 }
    }

    pub fn vm(&mut self) -> &mut Vm {
        &mut self.vm
    }

    /// Runs `main`: it sets the PD up (caps, `Env.serve`, `Env.onNotify`)
    /// and, in a client, may do all its work. An exception escaping it is
    /// printed as the `java` launcher does and fails the boot.
    pub fn run_main(&mut self, class: &str, args: &[&str]) -> Result<(), JvmPdError> {
        let r = self.vm.run_main(class, args);
        reap(&mut self.vm);
        match r {
            Ok(()) => Ok(()),
            Err(VmError::Exit(c)) => Err(JvmPdError::Exit(c)),
            Err(VmError::Exception(p)) => {
                self.vm.report_uncaught(&p);
                let d = describe(&mut self.vm, &VmError::Exception(p));
                Err(JvmPdError::Main(d))
            }
            Err(e) => {
                let d = describe(&mut self.vm, &e);
                Err(JvmPdError::Main(d))
            }
        }
    }

    fn log(&mut self, s: &str) {
        self.vm.write_output(2, s.as_bytes());
    }

    /// Prints a handler's failure: a header, then the Java stack trace
    /// (`printStackTrace`, or the VM's own format if that fails too).
    fn report(&mut self, what: &str, e: &VmError) -> String {
        self.handler_exceptions += 1;
        let name = String::from(state(&mut self.vm).kernel.pd_name());
        let summary = match e {
            VmError::BudgetExhausted => String::from("instruction budget exhausted (the handler was stopped)"),
            VmError::StackDepthExceeded(None) => String::from("java.lang.StackOverflowError"),
            other => describe(&mut self.vm, other),
        };
        self.log(&format!("{name}: {what}: {summary} (the PD keeps serving)\n"));
        if let VmError::Exception(p) = e {
            let t = self.vm.pinned(p);
            let printed = match self.vm.find_virtual_method(t, "printStackTrace", "()V") {
                Some(m) => match self.vm.invoke(m, &[Value::Ref(t)]) {
                    Ok(_) => true,
                    Err(e) => {
                        self.release(e);
                        false
                    }
                },
                None => false,
            };
            if !printed {
                let d = self.vm.describe_throwable(p);
                self.log(&format!("{d}\n"));
            }
        }
        summary
    }

    fn release(&mut self, e: VmError) {
        if let VmError::Exception(p) | VmError::StackDepthExceeded(Some(p)) = e {
            self.vm.unpin(p);
        }
    }

    /// The error reply: [`EXCEPTION_LABEL`] and one string.
    fn error_reply(text: &str) -> MessageInfo {
        let mut end = text.len().min(STREAM_CAPACITY - 5);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        ipc_bindings::write_message(EXCEPTION_LABEL, |w| w.put_str(&text[..end]).map(drop))
            .expect("a truncated string fits")
    }

    /// Serves one protected procedure call (the Microkit's `protected()`).
    /// A call of the protocol served last, whose plan holds, enters its
    /// `dispatch` at once, compiled or interpreted; any other goes the
    /// general way.
    pub fn serve_call(&mut self, channel: Channel, msg: MessageInfo) -> Result<MessageInfo, JvmPdError> {
        self.calls += 1;
        // The entry's epoch, which the VM checks, is the plan's.
        if let (Some(p), Some(entry)) = (&self.serve, &self.entry) {
            if p.protocol == msg.label() >> 32 {
                let (span, buf) = (&p.tag_fields, p.buf);
                let prepare = |heap: &mut Heap| {
                    let Some(f) = heap.span_fields(span) else { return false };
                    // SAFETY: as in `prepare`.
                    load_request(unsafe { &mut *buf }, f, channel, &msg);
                    true
                };
                if let Some(r) = self.vm.enter_planned_long_with(entry, &p.args, prepare) {
                    return self.finish_call(channel, &msg, r, buf);
                }
            }
        } else if let (Some(p), Some(plan)) = (&self.serve, &self.interpreted) {
            if p.protocol == msg.label() >> 32 {
                let (span, buf) = (&p.tag_fields, p.buf);
                let prepare = |heap: &mut Heap| {
                    let Some(f) = heap.span_fields(span) else { return false };
                    // SAFETY: as in `prepare`.
                    load_request(unsafe { &mut *buf }, f, channel, &msg);
                    true
                };
                if let Some(r) = self.vm.enter_interpreted_long_with(plan, &p.args, prepare) {
                    return self.finish_call(channel, &msg, r, buf);
                }
            }
        }
        self.serve_call_generally(channel, msg)
    }

    /// [`JavaPd::serve_call`] without a plan that holds: the server
    /// looked up (or its [`ServePlan`] checked) and `dispatch` invoked
    /// through the VM's general entry (interpreted, not compiled yet, or
    /// the VM not idle); then the next calls are planned, if they can be.
    fn serve_call_generally(&mut self, channel: Channel, msg: MessageInfo) -> Result<MessageInfo, JvmPdError> {
        let Some(call) = self.prepare(channel, &msg) else { return Ok(self.serves_no_protocol(&msg)) };
        let args = &call.args;
        let r = self.vm.invoke_refs_long(call.dispatch, [args.get(0), args.get(1), args.get(2)]);
        // Assigned only when it changes: `self.x = match …` of a whole
        // option built it on the stack and copied it (aarch64: memcpy,
        // 67 instructions per interpreted call).
        if let Some(entry) = self.vm.plan_entry_long(call.dispatch) {
            self.plan_entry(entry);
        } else if self.entry.is_some() {
            self.entry = None;
        } else {
            self.plan_interpreted(call.dispatch);
        }
        self.finish_call(channel, &msg, r, call.buf)
    }

    /// Keeps `entry` (just made, in the current epoch) for the next calls
    /// if the protocol's plan is for its method and of the same epoch
    /// (`Env.serve` in the call just made moved it).
    #[cold]
    #[inline(never)]
    fn plan_entry(&mut self, entry: EntryPlan<3>) {
        let epoch = self.vm.entry_epoch();
        let fits = self.serve.is_some_and(|s| s.dispatch == entry.call() && s.epoch == epoch);
        self.entry = fits.then_some(entry);
    }

    /// Keeps an interpreted entry into `dispatch` for the next calls if
    /// the protocol's plan is for it and of the current epoch (as
    /// [`JavaPd::plan_entry`]); `None` if the VM cannot make one (e.g.
    /// tiering is on: the compiled entry's plan comes once it compiled).
    #[cold]
    #[inline(never)]
    fn plan_interpreted(&mut self, dispatch: RefCall<3>) {
        let epoch = self.vm.entry_epoch();
        let fits = self.serve.is_some_and(|s| s.dispatch == dispatch && s.epoch == epoch);
        self.interpreted = if fits { self.vm.plan_interpreted_long(dispatch) } else { None };
    }

    /// The reply to a call `dispatch` answered with `r`. Always inline:
    /// out of line, the result went through memory and the call cost a
    /// frame (aarch64: about 20 instructions per call).
    #[inline(always)]
    fn finish_call(
        &mut self,
        channel: Channel,
        msg: &MessageInfo,
        r: Result<i64, VmError>,
        buf: *mut StreamBuf,
    ) -> Result<MessageInfo, JvmPdError> {
        reap(&mut self.vm);
        match r {
            Ok(label) if (0..=MAX_LABEL as i64).contains(&label) => Ok(Self::send_reply(buf, label as u64)),
            r => self.failed_call(channel, msg, r.map(Value::Long)),
        }
    }

    /// The error reply to a call of a protocol no server registered.
    #[cold]
    #[inline(never)]
    fn serves_no_protocol(&mut self, msg: &MessageInfo) -> MessageInfo {
        let st = state(&mut self.vm);
        let text = format!(
            "protection domain '{}' serves no protocol {} (label {:#x})",
            st.kernel.pd_name(),
            msg.label() >> 32,
            msg.label()
        );
        Self::error_reply(&text)
    }

    /// The reply to a dispatch that threw or returned no label (or the
    /// end of the PD, on `System.exit`).
    #[cold]
    #[inline(never)]
    fn failed_call(
        &mut self,
        channel: Channel,
        msg: &MessageInfo,
        r: Result<Value, VmError>,
    ) -> Result<MessageInfo, JvmPdError> {
        match r {
            Ok(v) => {
                let text = format!("dispatch returned {v:?}, not a label in 0..2^52-1");
                let name = String::from(state(&mut self.vm).kernel.pd_name());
                self.log(&format!("{name}: {text}\n"));
                Ok(Self::error_reply(&text))
            }
            Err(VmError::Exit(c)) => Err(JvmPdError::Exit(c)),
            Err(e) => {
                let what =
                    format!("exception in Server.dispatch (channel {}, label {:#x})", channel.index(), msg.label());
                let summary = self.report(&what, &e);
                self.release(e);
                Ok(Self::error_reply(&summary))
            }
        }
    }

    /// Loads the request into the dispatch stream and tag; what to call.
    /// The protocol's plan if it holds, else made again from the natives'
    /// state.
    #[inline]
    fn prepare(&mut self, channel: Channel, msg: &MessageInfo) -> Option<DispatchCall> {
        let protocol = msg.label() >> 32;
        let plan = match self.serve {
            Some(p)
                if p.protocol == protocol
                    && p.epoch == self.vm.entry_epoch()
                    && self.vm.heap().span_is_current(&p.tag_fields) =>
            {
                p
            }
            _ => match self.plan_serving(protocol) {
                Some(p) => p,
                None => return self.unplanned_call(channel, msg),
            },
        };
        let f = self.vm.heap_mut().span_fields(&plan.tag_fields)?;
        // SAFETY: the dispatch stream's buffer lives as long as the PD
        // (DispatchStream::buf), and no Java code runs meanwhile.
        load_request(unsafe { &mut *plan.buf }, f, channel, msg);
        Some(DispatchCall { dispatch: plan.dispatch, args: plan.args, buf: plan.buf })
    }

    /// The plan for calls of `protocol`, made again (another protocol, a
    /// collection, `Env.serve`); the entry's plan goes with the old one.
    #[cold]
    #[inline(never)]
    fn plan_serving(&mut self, protocol: u64) -> Option<ServePlan> {
        let epoch = self.vm.entry_epoch();
        let (st, heap, pins) = self.vm.embedder_data_heap_and_pins::<L4State>()?;
        self.serve = serve_plan(st, heap, pins, protocol, epoch);
        self.entry = None;
        self.interpreted = None;
        self.serve
    }

    /// A call without a plan (no server serves `protocol`, or the tag's
    /// fields are not 8-aligned): `unplanned_call`, the request loaded.
    #[cold]
    #[inline(never)]
    fn unplanned_call(&mut self, channel: Channel, msg: &MessageInfo) -> Option<DispatchCall> {
        let (st, heap, pins) = self.vm.embedder_data_heap_and_pins::<L4State>()?;
        // SAFETY: as in `prepare`.
        let b = unsafe { &mut *st.dispatch.as_ref()?.buf };
        b.start_request(msg.count());
        let tag = (msg.label(), msg.count(), channel.index() as i32);
        unplanned_call(st, heap, pins, msg.label() >> 32, tag)
    }

    /// Stores what dispatch wrote in the message registers.
    #[inline(always)]
    fn send_reply(buf: *mut StreamBuf, label: u64) -> MessageInfo {
        // SAFETY: as in `prepare`; dispatch has returned.
        let b = unsafe { &mut *buf };
        MessageInfo::new(label, b.send())
    }

    /// Delivers notifications (the Microkit's `notified()`), one Java entry
    /// per channel.
    pub fn deliver_notifications(&mut self, channels: ChannelSet) -> Result<(), JvmPdError> {
        let Some(deliver) = state(&mut self.vm).deliver else { return Ok(()) };
        for ch in channels.iter() {
            let r = self.vm.invoke(deliver, &[Value::Int(ch.index() as i32)]);
            reap(&mut self.vm);
            match r {
                Ok(_) => {}
                Err(VmError::Exit(c)) => return Err(JvmPdError::Exit(c)),
                Err(e) => {
                    let what = format!("exception in the notification handler (channel {})", ch.index());
                    self.report(&what, &e);
                    self.release(e);
                }
            }
        }
        Ok(())
    }
}

impl Handler for JavaPd {
    type Error = JvmPdError;

    fn notified(&mut self, channels: ChannelSet) -> Result<(), Self::Error> {
        self.deliver_notifications(channels)
    }

    fn protected(&mut self, channel: Channel, msg_info: MessageInfo) -> Result<MessageInfo, Self::Error> {
        self.serve_call(channel, msg_info)
    }
}
