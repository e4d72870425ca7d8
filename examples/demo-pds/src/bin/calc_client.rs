//! The calculator client (003's ExampleCl): calls the server on channel 0
//! from init, prints each result, and checks that a malformed request comes
//! back as an error reply. The same program serves as the Rust client of
//! the Rust server (`calc_client`) and of the Java server
//! (`calc_client_r2j`); lines start with the PD's name.

#![cfg_attr(target_os = "none", no_std, no_main)]

use demo_pds::calc;
use ipc_bindings::stream::StreamError;
use ipc_bindings::{
    debug_println, memory_region, pd_name, read_message, write_message, Channel, MessageInfo, NullHandler,
};

ipc_bindings::protection_domain!(init);

const SERVER: Channel = Channel::new(0);

fn call(
    label: u64,
    args: impl FnOnce(&mut ipc_bindings::stream::StreamWriter<'_>) -> Result<(), StreamError>,
) -> MessageInfo {
    let msg = write_message(label, args).expect("request fits in the message registers");
    SERVER.pp_call(msg)
}

fn value(reply: &MessageInfo) -> Result<i64, StreamError> {
    read_message(reply, |r| r.get_i64())
}

fn init() -> NullHandler {
    let r = call(calc::NEG, |w| w.put_i64(42).map(drop));
    debug_println!("{}: neg(42) = {}", pd_name(), value(&r).unwrap());
    let r = call(calc::ADD, |w| w.put_i64(3)?.put_i64(4).map(drop));
    debug_println!("{}: add(3, 4) = {}", pd_name(), value(&r).unwrap());
    let r = call(calc::ADD, |w| w.put_i64(i64::MAX)?.put_i64(1).map(drop));
    debug_println!("{}: add(i64::MAX, 1) = {} (wraps, as in Java)", pd_name(), value(&r).unwrap());

    // 64 KiB through the shared region: too big for 120 message registers.
    let buf = memory_region("calc_buf").expect("system.xml maps calc_buf");
    let data: alloc::vec::Vec<u8> = (0..65536u32).map(|i| (i % 251) as u8).collect();
    let expected: u64 = data.iter().map(|&b| b as u64).sum();
    let r = call(calc::SUM_BYTES, |w| w.put_shared(&buf, 0, &data).map(drop));
    let (sum, len) = read_message(&r, |r| Ok((r.get_u64()?, r.get_u32()?))).unwrap();
    debug_println!("{}: sum_bytes({len} bytes via calc_buf) = {sum} (expected {expected})", pd_name());
    assert_eq!(sum, expected);

    // A request of the wrong type is answered with an error, not a crash.
    let r = call(calc::NEG, |w| w.put_str("forty-two").map(drop));
    let why = read_message(&r, |r| r.get_str().map(alloc::string::String::from)).unwrap();
    debug_println!("{}: neg(\"forty-two\") -> error reply: {why}", pd_name());
    assert_eq!(r.label(), calc::BAD_REQUEST);

    // A quick cost figure: 1000 calls after a warm-up, one timed each.
    let mut samples = alloc::vec::Vec::with_capacity(1000);
    for i in 0..1100i64 {
        let t = demo_pds::bench::now_ns();
        let r = call(calc::ADD, |w| w.put_i64(i)?.put_i64(1).map(drop));
        let dt = demo_pds::bench::now_ns() - t;
        assert_eq!(value(&r).unwrap(), i + 1);
        if i >= 100 {
            samples.push(dt);
        }
    }
    let s = demo_pds::bench::Summary::of(&mut samples);
    debug_println!("{}: 1000 add calls: median {} ns, mean {} ns per call", pd_name(), s.median, s.mean);

    debug_println!("{}: done", pd_name());
    NullHandler::new()
}

extern crate alloc;
