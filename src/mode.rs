//! A build needs at least one mode: the features only add (`async`, `blocking`, or both).

#[cfg(not(any(feature = "async", feature = "blocking")))]
compile_error!(
    "luna-clients: enable the `async` feature (default) or the `blocking` feature; \
     with `default-features = false` write `features = [\"blocking\", \"rustls\"]` \
     or `features = [\"async\", \"rustls\"]`"
);
