//! The runtime every generated connector client links against.
//!
//! Generated code builds an [`Request`] describing one call (operation id, method, path
//! template, parameters, body) and hands it to [`Client::execute`]; everything that
//! touches the network — transport, auth, retries, rate limits, paging, hooks, policies,
//! tracing — lives here, so generated crates hold no HTTP logic of their own.

pub mod auth;
pub mod client;
pub mod error;
pub mod paging;
pub mod request;
pub mod response;
pub mod types;

pub use auth::{ApiKeyLocation, Auth};
pub use client::{Client, ClientBuilder};
pub use error::{Error, ErrorCode, ErrorSource};
pub use paging::{NextLink, Page};
pub use request::{Body, CollectionFormat, FilePart, Form, ParamValue, Request};
pub use response::{RawResponse, Response, ResponseMeta};
pub use types::{Date, DateTime};

/// Re-exported so generated crates need no direct dependency on these.
pub use {bytes, futures, secrecy, serde, serde_json};

/// The result type of every runtime call.
pub type Result<T, E = Error> = std::result::Result<T, E>;
