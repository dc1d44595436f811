//! Login throttling per account and per client address, so guessing a
//! password is slow whichever of the two an attacker varies. The counts
//! live in the database, so the limits hold for all nodes together.

use tukiverkko_store::{Db, throttle};

#[derive(Clone)]
pub struct LoginLimiter {
    per_account: f64,
    per_address: f64,
}

impl LoginLimiter {
    pub fn new(per_minute: u32) -> Self {
        let per_minute = per_minute.max(1);
        // An address may sign in several people (a shared office), so it gets more.
        Self { per_account: f64::from(per_minute), per_address: f64::from(per_minute.saturating_mul(5)) }
    }

    /// Counts an attempt; `Ok(Err(seconds))` to wait when either limit is
    /// used up. An attempt the address limit refuses does not count
    /// against the account it named.
    pub async fn check(&self, db: &Db, account: &str, address: &str) -> tukiverkko_store::Result<Result<(), u64>> {
        let now = tukiverkko_store::now();
        let account = account.trim().to_lowercase();
        for (limit, key) in [
            (self.per_address, format!("login-address|{address}")),
            (self.per_account, format!("login-account|{account}")),
        ] {
            let window = throttle::hit(db, &key, now).await?;
            if window.last_minute() > limit {
                // A refused attempt does not count: waiting as told is enough.
                throttle::unhit(db, &key, now).await?;
                let counted = throttle::Window { current: window.current - 1, ..window };
                return Ok(Err(counted.retry_after(limit)));
            }
        }
        Ok(Ok(()))
    }
}
