//! Process-shared futex wait and wake (never `FUTEX_PRIVATE`: the words
//! live in memfd pages mapped by several processes).

use core::sync::atomic::AtomicU32;
use rustix::thread::futex;

/// Sleeps while `*word == expected`; returns on wake, on a changed value,
/// or on a signal.
pub fn wait(word: &AtomicU32, expected: u32) {
    let _ = futex::wait(word, futex::Flags::empty(), expected, None);
}

/// Like [`wait`] but gives up after `timeout`.
pub fn wait_timeout(word: &AtomicU32, expected: u32, timeout: core::time::Duration) {
    let ts = rustix::time::Timespec { tv_sec: timeout.as_secs() as _, tv_nsec: timeout.subsec_nanos() as _ };
    let _ = futex::wait(word, futex::Flags::empty(), expected, Some(&ts));
}

/// Wakes up to `n` waiters.
pub fn wake(word: &AtomicU32, n: u32) {
    let _ = futex::wake(word, futex::Flags::empty(), n);
}
