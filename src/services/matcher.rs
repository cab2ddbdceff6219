//! The `Matcher` client of one mode. Its mode-free data types (requests, constants, answers) are
//! in [`crate::model::matching`]; its documentation (Python → Rust map) is
//! [`crate::services::matcher`].

#[allow(unused_imports)] // the blocking build rewrites `impl Future` away
use std::future::Future;

use crate::call::Call;
use crate::catalogue::{matcher as ep, Endpoint};
use super::client::LunaClient;
use super::context::ServiceContext;
use super::handle::service_handle_common;
use super::maybe_async;
use crate::error::{Error, Result};
use crate::model::matching::{
    binary_lists_body, BinaryReference, Candidates, CrossMatchParams, EventFilters, MatchFilters, MatchReference,
    PerReference, ReferenceMatches, ReferenceSimilarities,
};
use crate::service::Service;

#[cfg(doc)]
use crate::model::matching::{AttributeFilters, FaceFilters};

/// The luna-python-matcher client. Get one with [`LunaClient::matcher`].
#[derive(Clone, Debug)]
pub struct Matcher {
    ctx: ServiceContext,
}

service_handle_common!(Matcher);


/// What a kind of matching accepts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Faces,
    Bodies,
}

impl Matcher {
    #[inline]
    pub(crate) fn new(client: LunaClient) -> Self {
        Matcher {
            ctx: client.context(Service::Matcher),
        }
    }

    /// The JSON body of `match_faces` / `match_bodies` (`{"candidates": [...], "references":
    /// [...]}`), checked before anything is sent. The references are written by the SDK's
    /// encoder straight into the body (no `Value` per reference, base64 encoded in place).
    #[inline]
    fn match_body(kind: Kind, candidates: &[Candidates], references: &[MatchReference]) -> Result<String> {
        if candidates.is_empty() {
            return Err(Error::invalid("candidates", "give at least one candidate set"));
        }
        if references.is_empty() {
            return Err(Error::invalid("references", "give at least one reference"));
        }
        if kind == Kind::Bodies {
            if let Some(c) = candidates
                .iter()
                .find(|c| !matches!(c.filters(), MatchFilters::Events(_)))
            {
                return Err(Error::invalid(
                    "candidates",
                    format!(
                        "body matching takes event candidates only, not {}",
                        c.filters().origin()
                    ),
                ));
            }
            if let Some(r) = references
                .iter()
                .find(|r| matches!(r, MatchReference::Face(_) | MatchReference::Attribute(_)))
            {
                return Err(Error::invalid(
                    "references",
                    format!(
                        "body matching takes event or descriptor references, not {}",
                        r.kind().unwrap_or("this kind")
                    ),
                ));
            }
        }
        let candidates = candidates
            .iter()
            .map(|c| c.to_json(None))
            .collect::<Result<Vec<_>>>()?;
        for reference in references {
            reference.check("references")?;
        }
        let candidates = serde_json::to_string(&candidates)
            .map_err(|e| Error::invalid("candidates", format!("cannot serialize: {e}")))?;
        let mut body = String::with_capacity(candidates.len() + 32);
        body.push_str("{\"candidates\":");
        body.push_str(&candidates);
        body.push_str(",\"references\":");
        MatchReference::write_json_array(references, &mut body)?;
        body.push('}');
        Ok(body)
    }

    #[inline]
    fn cross_call(
        &self,
        endpoint: &'static Endpoint,
        candidates: &MatchFilters,
        references: &MatchFilters,
        params: &CrossMatchParams,
    ) -> Result<Call> {
        let body = params.to_body(candidates, references, self.ctx.client.account_id())?;
        endpoint
            .call(&[])?
            .query(|q| {
                q.push_flag_opt("sorting", params.sorting_value());
            })
            .json(&body)
    }
}

/// The API of [`Matcher`] as a trait (import it with the prelude): generic code and test
/// fakes can stand for the service handle. The async client's futures are `Send`.
#[maybe_async(AFIT)]
pub trait MatcherApi: Send + Sync {
    /// Python `getAddress()`: the service base URL, `<origin>/<api_version>` (no request).
    fn get_address(&self) -> String;

    /// Python `matchFaces`: `POST /matcher/faces` — matches every reference (faces, events,
    /// attributes by id, or descriptors) against every candidate set ([`FaceFilters`],
    /// [`EventFilters`] or [`AttributeFilters`] with `limit` / `threshold` / `targets`).
    /// The client's account goes as the `account_id` query. One entry per reference, in request
    /// order; failed references carry their error.
    fn match_faces(
        &self,
        candidates: &[Candidates],
        references: &[MatchReference],
    ) -> impl Future<Output = Result<Vec<ReferenceMatches>>> + Send;

    /// Python `matchBodies`: `POST /matcher/bodies` — body descriptors. Candidates must be
    /// events ([`Candidates::events`]); references events or descriptors (others fail with
    /// [`Error::InvalidArgument`], nothing sent). Account and answer as in
    /// [`Matcher::match_faces`].
    fn match_bodies(
        &self,
        candidates: &[Candidates],
        references: &[MatchReference],
    ) -> impl Future<Output = Result<Vec<ReferenceMatches>>> + Send;

    /// Python `matchRaw`: `POST /matcher/raw` — every candidate descriptor against every
    /// reference descriptor, no database involved (no account). One entry per reference with
    /// each candidate's similarity.
    fn match_raw(
        &self,
        candidates: &[BinaryReference],
        references: &[BinaryReference],
    ) -> impl Future<Output = Result<Vec<ReferenceSimilarities>>> + Send;

    /// Python `crossmatchFaces`: `POST /crossmatcher/faces` — collects the objects selected by
    /// the candidate and reference filters (faces, events or attributes each) and matches every
    /// reference with every candidate, synchronously. `limit` / `threshold` go in the body,
    /// `sorting` in the query; the client's account joins both filter objects. One entry per
    /// reference, failed ones with their error.
    fn crossmatch_faces(
        &self,
        candidate_filters: impl Into<MatchFilters> + Send,
        reference_filters: impl Into<MatchFilters> + Send,
        params: &CrossMatchParams,
    ) -> impl Future<Output = Result<Vec<ReferenceSimilarities>>> + Send;

    /// Python `crossmatchBodies`: `POST /crossmatcher/bodies` — as
    /// [`Matcher::crossmatch_faces`] with body descriptors, which only events have.
    fn crossmatch_bodies(
        &self,
        candidate_filters: impl Into<EventFilters> + Send,
        reference_filters: impl Into<EventFilters> + Send,
        params: &CrossMatchParams,
    ) -> impl Future<Output = Result<Vec<ReferenceSimilarities>>> + Send;
}

#[maybe_async(AFIT)]
impl MatcherApi for Matcher {
    #[inline]
    fn get_address(&self) -> String {
        self.ctx.base_url()
    }

    #[inline]
    async fn match_faces(
        &self,
        candidates: &[Candidates],
        references: &[MatchReference],
    ) -> Result<Vec<ReferenceMatches>> {
        let body = Self::match_body(Kind::Faces, candidates, references)?;
        let call = ep::MATCH_FACES.call(&[])?.json_text(body);
        let PerReference(results) = self.ctx.json(call).await?;
        Ok(results)
    }

    #[inline]
    async fn match_bodies(
        &self,
        candidates: &[Candidates],
        references: &[MatchReference],
    ) -> Result<Vec<ReferenceMatches>> {
        let body = Self::match_body(Kind::Bodies, candidates, references)?;
        let call = ep::MATCH_BODIES.call(&[])?.json_text(body);
        let PerReference(results) = self.ctx.json(call).await?;
        Ok(results)
    }

    #[inline]
    async fn match_raw(
        &self,
        candidates: &[BinaryReference],
        references: &[BinaryReference],
    ) -> Result<Vec<ReferenceSimilarities>> {
        let body = binary_lists_body(candidates, references)?;
        let call = ep::MATCH_RAW.call(&[])?.json_text(body);
        let PerReference(results) = self.ctx.json(call).await?;
        Ok(results)
    }

    #[inline]
    async fn crossmatch_faces(
        &self,
        candidate_filters: impl Into<MatchFilters> + Send,
        reference_filters: impl Into<MatchFilters> + Send,
        params: &CrossMatchParams,
    ) -> Result<Vec<ReferenceSimilarities>> {
        let call = self.cross_call(
            &ep::CROSSMATCH_FACES,
            &candidate_filters.into(),
            &reference_filters.into(),
            params,
        )?;
        let PerReference(results) = self.ctx.json(call).await?;
        Ok(results)
    }

    #[inline]
    async fn crossmatch_bodies(
        &self,
        candidate_filters: impl Into<EventFilters> + Send,
        reference_filters: impl Into<EventFilters> + Send,
        params: &CrossMatchParams,
    ) -> Result<Vec<ReferenceSimilarities>> {
        let call = self.cross_call(
            &ep::CROSSMATCH_BODIES,
            &MatchFilters::Events(candidate_filters.into()),
            &MatchFilters::Events(reference_filters.into()),
            params,
        )?;
        let PerReference(results) = self.ctx.json(call).await?;
        Ok(results)
    }
}

