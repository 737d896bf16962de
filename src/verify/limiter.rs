//! Client-side rate limiting for verification: requests are spaced evenly so that
//! at most `--verify-rate` go out per minute (a token bucket holding one token),
//! and every worker pauses while the API has said to back off (`Retry-After`,
//! `X-RateLimit-Remaining: 0` until `X-RateLimit-Reset`).
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The caller would have to wait past its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PastDeadline;

#[derive(Debug, Default)]
struct State {
    /// Earliest time the next request may start.
    next: Option<Instant>,
    /// The API asked everyone to wait until then.
    paused_until: Option<Instant>,
}

/// Shared by all verification workers of one run.
#[derive(Debug)]
pub struct Limiter {
    interval: Duration,
    state: Mutex<State>,
}

impl Limiter {
    /// A limiter allowing `per_minute` requests per minute (at least one).
    pub fn new(per_minute: u32) -> Limiter {
        Limiter {
            interval: Duration::from_secs(60) / per_minute.max(1),
            state: Mutex::new(State::default()),
        }
    }

    /// The spacing between two requests.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A worker that panicked cannot leave the state inconsistent: it only holds
        // two instants. Keep going with what is there.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Reserves the next send slot at or after `now` and returns its time.
    pub fn reserve(&self, now: Instant) -> Instant {
        let mut s = self.lock();
        let mut slot = now;
        if let Some(n) = s.next {
            slot = slot.max(n);
        }
        if let Some(p) = s.paused_until {
            slot = slot.max(p);
        }
        s.next = Some(slot + self.interval);
        slot
    }

    /// Until when the API asked to pause, if that is still ahead of `now`.
    pub fn paused_until(&self, now: Instant) -> Option<Instant> {
        self.lock().paused_until.filter(|p| *p > now)
    }

    /// Makes every worker wait until `until` before its next request.
    pub fn pause_until(&self, until: Instant) {
        let mut s = self.lock();
        s.paused_until = Some(s.paused_until.map_or(until, |p| p.max(until)));
    }

    /// Blocks until this worker may send, or fails at once if that would be
    /// after `deadline` (so a run never waits past `--verify-timeout`).
    pub fn acquire(&self, deadline: Instant) -> Result<(), PastDeadline> {
        loop {
            let now = Instant::now();
            let slot = self.reserve(now);
            if slot > deadline {
                return Err(PastDeadline);
            }
            std::thread::sleep(slot.saturating_duration_since(now));
            // A pause may have started while this worker slept on its slot.
            if self.paused_until(Instant::now()).is_none() {
                return Ok(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_spaced_by_the_rate() {
        let l = Limiter::new(60);
        assert_eq!(l.interval(), Duration::from_secs(1));
        let t0 = Instant::now();
        let slots: Vec<Duration> = (0..4).map(|_| l.reserve(t0) - t0).collect();
        assert_eq!(
            slots,
            [0, 1, 2, 3].map(Duration::from_secs).to_vec(),
            "four requests asked for at once go out one second apart"
        );
        // After a quiet period the next request may go at once.
        let later = t0 + Duration::from_secs(30);
        assert_eq!(l.reserve(later), later);
    }

    #[test]
    fn pause_delays_every_later_slot() {
        let l = Limiter::new(600);
        let t0 = Instant::now();
        l.pause_until(t0 + Duration::from_secs(5));
        // A shorter pause never shortens a longer one.
        l.pause_until(t0 + Duration::from_secs(2));
        assert_eq!(l.reserve(t0), t0 + Duration::from_secs(5));
        assert_eq!(
            l.reserve(t0),
            t0 + Duration::from_secs(5) + Duration::from_millis(100)
        );
        assert_eq!(l.paused_until(t0), Some(t0 + Duration::from_secs(5)));
        assert_eq!(l.paused_until(t0 + Duration::from_secs(6)), None);
    }

    #[test]
    fn acquire_refuses_to_wait_past_the_deadline() {
        let l = Limiter::new(1);
        let now = Instant::now();
        assert_eq!(l.acquire(now + Duration::from_secs(5)), Ok(()));
        // The next slot is a minute away.
        assert_eq!(l.acquire(now + Duration::from_secs(5)), Err(PastDeadline));
    }
}
