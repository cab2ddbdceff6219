//! Name resolution of the blocking backend without a thread per call.
//!
//! ureq bounds a name lookup by the request's deadline by resolving on a new thread for every
//! request (its pool is looked up only after resolving), about 1 ms per call on loopback. The
//! [`AgentResolver`] of a client instead answers IP literals on the calling thread and reuses a
//! host name's addresses for [`RESOLVED_NAME_TTL`]: a lookup thread starts at most once per
//! host and period, and each lookup stays bounded by the deadline of the request that makes it.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// How long the addresses of a host name are reused before the name is looked up again.
pub(crate) const RESOLVED_NAME_TTL: Duration = Duration::from_secs(10);

/// Host names remembered at most (a client talks to a handful of services); past it the
/// oldest answers are forgotten.
const MAX_NAMES: usize = 64;

/// A host name and port, lower-cased.
type NameKey = (String, u16);
/// When a name was resolved, and its addresses.
type Resolved = (Instant, Vec<SocketAddr>);

/// Resolver of one client's agent (see the module documentation); `R` does the lookups.
#[derive(Debug, Default)]
pub(crate) struct AgentResolver<R = DefaultResolver> {
    lookup: R,
    names: Mutex<HashMap<NameKey, Resolved>>,
}

impl<R> AgentResolver<R> {
    #[cfg(test)]
    fn with_lookup(lookup: R) -> Self {
        AgentResolver {
            lookup,
            names: Mutex::new(HashMap::new()),
        }
    }

    fn remembered(&self, key: &NameKey, now: Instant) -> Option<Vec<SocketAddr>> {
        let names = self.names.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let (at, addrs) = names.get(key)?;
        (now.duration_since(*at) < RESOLVED_NAME_TTL).then(|| addrs.clone())
    }

    fn remember(&self, key: NameKey, now: Instant, addrs: &[SocketAddr]) {
        let mut names = self.names.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        names.retain(|_, (at, _)| now.duration_since(*at) < RESOLVED_NAME_TTL);
        if names.len() >= MAX_NAMES {
            names.clear();
        }
        names.insert(key, (now, addrs.to_vec()));
    }
}

/// The port a request goes to: the URI's, or its scheme's default.
fn port_of(uri: &ureq::http::Uri) -> Option<u16> {
    uri.port_u16().or(match uri.scheme_str() {
        Some("https") => Some(443),
        Some("http") => Some(80),
        _ => None,
    })
}

impl<R: Resolver> Resolver for AgentResolver<R> {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let host = uri.host().unwrap_or_default();
        let Some(port) = port_of(uri) else {
            return self.lookup.resolve(uri, config, timeout);
        };
        let literal = host.trim_start_matches('[').trim_end_matches(']');
        let mut answer = self.empty();
        if let Ok(ip) = literal.parse::<IpAddr>() {
            answer.push(SocketAddr::new(ip, port));
            return Ok(answer);
        }
        let key = (host.to_ascii_lowercase(), port);
        let now = Instant::now();
        if let Some(addrs) = self.remembered(&key, now) {
            for addr in addrs {
                answer.push(addr);
            }
            return Ok(answer);
        }
        let resolved = self.lookup.resolve(uri, config, timeout)?;
        if !resolved.is_empty() {
            self.remember(key, now, &resolved);
        }
        Ok(resolved)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// Answers every name with 10.0.0.<n>, n = how many lookups it made.
    #[derive(Debug, Default)]
    struct CountingLookup(AtomicUsize);

    impl Resolver for CountingLookup {
        fn resolve(
            &self,
            uri: &ureq::http::Uri,
            _config: &ureq::config::Config,
            _timeout: NextTimeout,
        ) -> Result<ResolvedSocketAddrs, ureq::Error> {
            let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
            let mut addrs = self.empty();
            let ip = IpAddr::from([10, 0, 0, n as u8]);
            addrs.push(SocketAddr::new(ip, port_of(uri).unwrap_or(0)));
            Ok(addrs)
        }
    }

    fn resolve(resolver: &AgentResolver<CountingLookup>, uri: &str) -> Vec<SocketAddr> {
        let uri: ureq::http::Uri = uri.parse().unwrap();
        let config = ureq::config::Config::default();
        let answer = resolver.resolve(&uri, &config, NextTimeout::default());
        answer.unwrap().to_vec()
    }

    #[test]
    fn ip_literals_are_never_looked_up() {
        let resolver = AgentResolver::with_lookup(CountingLookup::default());
        let v4 = resolve(&resolver, "http://127.0.0.1:5030/3/faces");
        let v6 = resolve(&resolver, "https://[::1]/1/images");
        assert_eq!(v4, ["127.0.0.1:5030".parse().unwrap()]);
        assert_eq!(v6, ["[::1]:443".parse().unwrap()]);
        assert_eq!(resolver.lookup.0.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn a_host_name_is_looked_up_once_per_period_and_port() {
        let resolver = AgentResolver::with_lookup(CountingLookup::default());
        let first = resolve(&resolver, "http://faces.luna:5030/3/faces");
        for _ in 0..100 {
            assert_eq!(resolve(&resolver, "http://FACES.luna:5030/3/lists"), first);
        }
        assert_eq!(resolver.lookup.0.load(Ordering::SeqCst), 1);
        resolve(&resolver, "http://faces.luna:5040/2/events");
        assert_eq!(resolver.lookup.0.load(Ordering::SeqCst), 2, "another port");
    }

    #[test]
    fn an_expired_answer_is_looked_up_again() {
        let resolver = AgentResolver::with_lookup(CountingLookup::default());
        resolve(&resolver, "http://faces.luna:5030/");
        {
            let mut names = resolver.names.lock().unwrap();
            let (at, _) = names.get_mut(&("faces.luna".to_string(), 5030)).unwrap();
            *at -= RESOLVED_NAME_TTL;
        }
        let again = resolve(&resolver, "http://faces.luna:5030/");
        assert_eq!(again, ["10.0.0.2:5030".parse().unwrap()]);
        assert_eq!(resolver.lookup.0.load(Ordering::SeqCst), 2);
    }
}
