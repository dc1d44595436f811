//! Counts per key and minute in the database, for limits that must hold
//! across all nodes together: a guesser spreading sign-in attempts over
//! several nodes gets no more tries than against one.

use crate::{Db, Result, on_db, on_tx};

/// Keys are built from what a caller typed; longer ones are cut.
const MAX_KEY_CHARS: usize = 200;

/// Hits under one key: this minute's, including the one just counted, and
/// the previous minute's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    pub current: i64,
    pub previous: i64,
    /// Seconds into the current minute (0–59).
    pub second: i64,
}

impl Window {
    /// Hits in the last 60 seconds, estimated by weighting the previous
    /// minute by how much of it is still inside them. A fixed minute alone
    /// would let twice the limit through around the turn of a minute.
    pub fn last_minute(&self) -> f64 {
        self.previous as f64 * (60 - self.second) as f64 / 60.0 + self.current as f64
    }

    /// Seconds until one more hit fits under `limit`, as the estimate of
    /// [`Window::last_minute`] will see it then (at least 1, at most 120).
    pub fn retry_after(&self, limit: f64) -> u64 {
        (1..=120)
            .find(|t| {
                let s = self.second + t;
                let then = match s {
                    0..60 => self.previous as f64 * (60 - s) as f64 / 60.0 + self.current as f64,
                    // Next minute: this minute's hits become the previous ones.
                    60..120 => self.current as f64 * (120 - s) as f64 / 60.0,
                    _ => 0.0,
                };
                then + 1.0 <= limit
            })
            .unwrap_or(120) as u64
    }
}

/// Counts one hit under `key` at `now` (Unix seconds) and returns the window.
pub async fn hit(db: &Db, key: &str, now: i64) -> Result<Window> {
    let key: String = key.chars().take(MAX_KEY_CHARS).collect();
    let minute = now.div_euclid(60);
    let mut tx = db.begin().await?;
    let current: i64 = on_tx!(&mut tx, conn => sqlx::query_scalar(
        "INSERT INTO throttle (limit_key, minute, hits) VALUES ($1, $2, 1)
         ON CONFLICT (limit_key, minute) DO UPDATE SET hits = throttle.hits + 1 RETURNING hits")
        .bind(&key).bind(minute).fetch_one(conn).await?);
    let previous: Option<i64> = on_tx!(&mut tx, conn => sqlx::query_scalar(
        "SELECT hits FROM throttle WHERE limit_key = $1 AND minute = $2")
        .bind(&key).bind(minute - 1).fetch_optional(conn).await?);
    if current == 1 {
        // Once per key and minute is often enough to keep the table small.
        on_tx!(&mut tx, conn => sqlx::query("DELETE FROM throttle WHERE minute < $1")
            .bind(minute - 1).execute(conn).await?.rows_affected());
    }
    tx.commit().await?;
    Ok(Window { current, previous: previous.unwrap_or(0), second: now.rem_euclid(60) })
}

/// Takes back a hit that was refused, so waiting as told is enough and
/// retrying while refused does not lengthen the wait.
pub async fn unhit(db: &Db, key: &str, now: i64) -> Result<()> {
    let key: String = key.chars().take(MAX_KEY_CHARS).collect();
    on_db!(db, pool => sqlx::query("UPDATE throttle SET hits = hits - 1 WHERE limit_key = $1 AND minute = $2 AND hits > 0")
        .bind(&key).bind(now.div_euclid(60)).execute(pool).await?.rows_affected());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Window;

    #[test]
    fn the_previous_minute_counts_for_what_is_left_of_it() {
        let turn = Window { current: 1, previous: 10, second: 0 };
        assert_eq!(turn.last_minute(), 11.0);
        let half = Window { current: 1, previous: 10, second: 30 };
        assert_eq!(half.last_minute(), 6.0);
    }

    #[test]
    fn the_wait_is_until_the_next_hit_fits() {
        // 10 hits at second 10 of a minute, limit 10: the turn of the minute
        // is not enough (the previous minute still weighs almost fully).
        let full = Window { current: 10, previous: 0, second: 10 };
        let wait = full.retry_after(10.0);
        assert!(wait > 50, "{wait}");
        // After waiting as told, one more hit is within the limit.
        let s = 10 + wait as i64 - 60;
        assert!(10.0 * (60 - s) as f64 / 60.0 + 1.0 <= 10.0);
        assert_eq!(Window { current: 3, previous: 0, second: 59 }.retry_after(10.0), 1);
        assert_eq!(Window { current: 50, previous: 50, second: 0 }.retry_after(10.0), 110);
    }
}
