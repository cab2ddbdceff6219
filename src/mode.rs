//! Compile-time checks that exactly one of the two modes is built.

#[cfg(not(any(feature = "async", feature = "blocking")))]
compile_error!(
    "luna-clients: enable the `async` feature (default) or the `blocking` feature; \
     with `default-features = false` write `features = [\"blocking\", \"rustls\"]` \
     or `features = [\"async\", \"rustls\"]`"
);

/// maybe-async's `is_sync` feature is global to a build (maybe-async issues #6 and #21): if
/// another crate turns it on, every `#[maybe_async]` function of this crate silently becomes
/// blocking. In an async build this turns that into one clear compile error.
#[cfg(all(feature = "async", not(feature = "blocking")))]
mod is_sync_guard {
    #[diagnostic::on_unimplemented(
        message = "luna-clients: another crate in this build enabled maybe-async's `is_sync` \
                   feature, which would make this async build blocking",
        label = "this should be a future in an async build",
        note = "enable luna-clients' `blocking` feature for a blocking client, or remove \
                `maybe-async/is_sync` from the crate that enables it"
    )]
    pub trait AsyncBuildIntact {}
    impl<F: std::future::Future> AsyncBuildIntact for F {}

    #[maybe_async::maybe_async]
    async fn probe() {}

    fn require<T: AsyncBuildIntact>(_: T) {}

    #[allow(dead_code)]
    fn check() {
        require(probe());
    }
}
