//! The reload channel: the state of the served site (which successful build it is, and the error
//! of the last build if it failed), pushed to every open page as server-sent events.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream};
use serde::Serialize;
use tokio::sync::watch;

/// What every open page should show.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SiteState {
    /// Counts successful builds: a page reloads when it changes.
    pub generation: u64,
    /// The diagnostics of the last build, rendered for humans, when it failed (the site served is
    /// then the last good one).
    pub error: Option<String>,
}

/// Shared between the rebuild loop (which publishes) and the HTTP handlers (which subscribe).
#[derive(Clone)]
pub struct Channel {
    tx: Arc<watch::Sender<SiteState>>,
    // Serialises publishers so generation numbers never go backwards.
    lock: Arc<Mutex<()>>,
}

impl Default for Channel {
    fn default() -> Self {
        Channel {
            tx: Arc::new(watch::Sender::new(SiteState::default())),
            lock: Arc::new(Mutex::new(())),
        }
    }
}

impl Channel {
    pub fn current(&self) -> SiteState {
        self.tx.borrow().clone()
    }

    /// A successful build: the next generation, no error.
    pub fn built(&self) -> SiteState {
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let next = SiteState {
            generation: self.tx.borrow().generation + 1,
            error: None,
        };
        self.tx.send_replace(next.clone());
        next
    }

    /// A failed build: same generation (the last good site stays), with the error.
    pub fn failed(&self, error: String) -> SiteState {
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let next = SiteState {
            generation: self.tx.borrow().generation,
            error: Some(error),
        };
        self.tx.send_replace(next.clone());
        next
    }

    /// The event stream of one page: the current state at once, then every change. A watch
    /// channel keeps only the latest state, so a slow page skips states it no longer needs.
    pub fn sse(&self) -> Sse<impl Stream<Item = Result<Event, Infallible>> + use<>> {
        let mut rx = self.tx.subscribe();
        rx.mark_changed();
        let events = stream::unfold(rx, |mut rx| async move {
            rx.changed().await.ok()?;
            let state = rx.borrow_and_update().clone();
            let data = serde_json::to_string(&state).unwrap_or_else(|_| "{}".into());
            Some((Ok(Event::default().event("state").data(data)), rx))
        });
        Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_keep_the_generation_and_success_clears_the_error() {
        let c = Channel::default();
        assert_eq!(c.built().generation, 1);
        let failed = c.failed("content/x.md:2:1 error".into());
        assert_eq!(failed.generation, 1);
        assert!(failed.error.is_some());
        let fixed = c.built();
        assert_eq!(
            fixed,
            SiteState {
                generation: 2,
                error: None
            }
        );
        assert_eq!(c.current(), fixed);
    }
}
