//! Hooks: `before_request`, `after_response`, `on_error`, `on_retry`, run in ascending
//! priority (ties in registration order, so the order is deterministic). A hook may
//! modify the request or response, or abort the call.
//!
//! Hand-written rather than tower layers: hooks are registered at run time with a
//! priority and must see one context shape per stage; a sorted `Vec<Arc<dyn Hook>>`
//! does that with no boxing of futures on the hot path.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use crate::error::Error;
use crate::request::Request;
use crate::response::RawResponse;

/// The stage a hook runs at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HookKind {
    /// Before each attempt is sent (after rate limiting, auth applied).
    BeforeRequest,
    /// After a successful response arrives.
    AfterResponse,
    /// When an attempt fails.
    OnError,
    /// Before a retry's delay starts.
    OnRetry,
}

/// What a hook sees and may change.
pub struct HookContext<'a> {
    /// The stage.
    pub kind: HookKind,
    /// The request (always present; read-only outside `BeforeRequest`).
    pub request: &'a mut Request,
    /// The response: at `AfterResponse`, and at `OnError` when the failure is a
    /// response (an error status: its status, headers and body; changes made there are
    /// not kept).
    pub response: Option<&'a mut RawResponse>,
    /// The error (`OnError`, `OnRetry`).
    pub error: Option<&'a mut Error>,
    /// 1-based attempt number.
    pub attempt: u32,
    /// Free-form metadata shared by the hooks of one logical operation.
    pub metadata: &'a mut BTreeMap<String, String>,
    pub(crate) abort: Option<String>,
}

impl fmt::Debug for HookContext<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HookContext")
            .field("kind", &self.kind)
            .field("operation", &self.request.operation)
            .field("attempt", &self.attempt)
            .finish_non_exhaustive()
    }
}

impl HookContext<'_> {
    /// Change the outgoing request.
    pub fn modify_request(&mut self, update: impl FnOnce(&mut Request)) {
        update(self.request);
    }

    /// Change the incoming response (no-op when there is none).
    pub fn modify_response(&mut self, update: impl FnOnce(&mut RawResponse)) {
        if let Some(r) = self.response.as_deref_mut() {
            update(r);
        }
    }

    /// Cancel the call; it fails with `CANCELLED` from source `UserHook`.
    pub fn abort(&mut self, reason: impl Into<String>) {
        self.abort = Some(reason.into());
    }
}

/// A hook.
pub trait Hook: Send + Sync {
    /// Unique name, for logs.
    fn name(&self) -> &str;
    /// Execution order: lower runs first (default 0).
    fn priority(&self) -> i32 {
        0
    }
    /// Whether this hook runs at `kind` (default: every stage).
    fn runs_at(&self, kind: HookKind) -> bool {
        let _ = kind;
        true
    }
    /// The hook's work.
    fn execute(&self, ctx: &mut HookContext<'_>);
}

type HookFn = dyn Fn(&mut HookContext<'_>) + Send + Sync;

/// A hook made from a closure for one stage.
pub struct FnHook {
    name: String,
    priority: i32,
    kind: HookKind,
    f: Box<HookFn>,
}

impl FnHook {
    /// A hook named `name` running `f` at `kind` with `priority`.
    pub fn new(
        name: impl Into<String>,
        kind: HookKind,
        priority: i32,
        f: impl Fn(&mut HookContext<'_>) + Send + Sync + 'static,
    ) -> Self {
        FnHook {
            name: name.into(),
            priority,
            kind,
            f: Box::new(f),
        }
    }
}

impl Hook for FnHook {
    fn name(&self) -> &str {
        &self.name
    }
    fn priority(&self) -> i32 {
        self.priority
    }
    fn runs_at(&self, kind: HookKind) -> bool {
        kind == self.kind
    }
    fn execute(&self, ctx: &mut HookContext<'_>) {
        (self.f)(ctx)
    }
}

/// The registered hooks, sorted once at build time.
#[derive(Clone, Default)]
pub struct Hooks {
    hooks: Vec<Arc<dyn Hook>>,
}

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(
                self.hooks
                    .iter()
                    .map(|h| (h.name().to_owned(), h.priority())),
            )
            .finish()
    }
}

impl Hooks {
    /// Add a hook, keeping the list ordered by priority then registration.
    pub fn push(&mut self, hook: Arc<dyn Hook>) {
        self.hooks.push(hook);
        // Stable sort: equal priorities keep registration order.
        self.hooks.sort_by_key(|h| h.priority());
    }

    /// No hooks registered.
    pub fn is_empty(&self) -> bool {
        self.hooks.is_empty()
    }

    /// Run the hooks for `kind`; `Err(reason)` when one aborted.
    pub(crate) fn run(
        &self,
        kind: HookKind,
        request: &mut Request,
        response: Option<&mut RawResponse>,
        error: Option<&mut Error>,
        attempt: u32,
        metadata: &mut BTreeMap<String, String>,
    ) -> Result<(), (String, String)> {
        if self.hooks.is_empty() {
            return Ok(());
        }
        let mut ctx = HookContext {
            kind,
            request,
            response,
            error,
            attempt,
            metadata,
            abort: None,
        };
        for hook in self.hooks.iter().filter(|h| h.runs_at(kind)) {
            hook.execute(&mut ctx);
            if let Some(reason) = ctx.abort.take() {
                return Err((hook.name().to_owned(), reason));
            }
        }
        Ok(())
    }
}
