//! Login throttling per account and per client address, so guessing a
//! password is slow whichever of the two an attacker varies.

use std::num::NonZeroU32;
use std::sync::Arc;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

#[derive(Clone)]
pub struct LoginLimiter {
    per_account: Arc<DefaultKeyedRateLimiter<String>>,
    per_address: Arc<DefaultKeyedRateLimiter<String>>,
}

impl LoginLimiter {
    pub fn new(per_minute: u32) -> Self {
        let per_minute = NonZeroU32::new(per_minute.max(1)).expect("at least one");
        // An address may sign in several people (a shared office), so it gets more.
        let per_address = NonZeroU32::new(per_minute.get().saturating_mul(5)).expect("non-zero");
        Self {
            per_account: Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute))),
            per_address: Arc::new(RateLimiter::keyed(Quota::per_minute(per_address))),
        }
    }

    /// `Err(seconds)` to wait when either limit is used up.
    pub fn check(&self, account: &str, address: &str) -> Result<(), u64> {
        let now = DefaultClock::default().now();
        let account = account.trim().to_lowercase();
        for (limiter, key) in [(&self.per_address, address.to_string()), (&self.per_account, account)] {
            if let Err(not_until) = limiter.check_key(&key) {
                return Err(not_until.wait_time_from(now).as_secs().max(1));
            }
        }
        Ok(())
    }
}
