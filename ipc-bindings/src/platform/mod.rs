//! Selects the backend that carries out IPC: `hosted` (Linux processes) or
//! `sel4` (the Microkit). Without either, every operation reports
//! [`IpcError::NoPlatform`](crate::IpcError::NoPlatform); that build exists
//! to prove the API is `no_std`.

#[cfg(feature = "hosted")]
pub(crate) use crate::hosted::ops::*;

#[cfg(not(feature = "hosted"))]
mod unbound;
#[cfg(not(feature = "hosted"))]
pub(crate) use unbound::*;
