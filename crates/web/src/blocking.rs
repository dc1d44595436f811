//! CPU-bound work (ranking, index updates, checking an uploaded file) runs
//! on tokio's blocking threads, so it neither stalls the async workers nor
//! escapes the request timeout, which then only waits for it.

/// Runs `f` on a blocking thread; a panic in it resumes in the caller, where
/// the panic layer answers it like any other failure.
pub async fn cpu<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
}
