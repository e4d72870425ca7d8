//! Selects the backend that carries out IPC:
//!
//! * `hosted`: Linux processes started by `capuchin run`;
//! * `external-platform`: the operations are resolved at link time through
//!   the `extern "Rust"` functions declared in [`external`], which a backend
//!   crate defines with `#[no_mangle]` (the seL4 Microkit backend,
//!   `ipc-bindings-sel4` in the separate `sel4/` workspace; see docs/sel4.md);
//! * neither: every operation reports
//!   [`IpcError::NoPlatform`](crate::IpcError::NoPlatform); that build exists
//!   to prove the API is `no_std`.

// With both `hosted` and `external-platform` (e.g. `--all-features`), the
// hosted backend wins and the external declarations are left out.

#[cfg(feature = "hosted")]
pub(crate) use crate::hosted::ops::*;

#[cfg(all(feature = "external-platform", not(feature = "hosted")))]
pub mod external;
#[cfg(all(feature = "external-platform", not(feature = "hosted")))]
pub(crate) use external::ops::*;

#[cfg(not(any(feature = "hosted", feature = "external-platform")))]
mod unbound;
#[cfg(not(any(feature = "hosted", feature = "external-platform")))]
pub(crate) use unbound::*;
