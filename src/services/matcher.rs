//! luna-python-matcher client (Python `luna_lambda_tools.public.clients.lpm.LPM`): matching of
//! face and body descriptors — references against candidates, raw descriptors against each
//! other, and cross-matching of two filtered sets. Nothing is stored; every call is a read sent
//! as `POST`, so every call is retried under the client's retry policy.
//!
//! | Python (`LPM`) | Rust ([`Matcher`]) |
//! |---|---|
//! | `LPM(lpmClient, accountId)` | `client.matcher()` |
//! | `matchFaces(candidates, references)` | `match_faces(&[Candidates], &[MatchReference])` |
//! | `matchBodies(candidates, references)` | `match_bodies(&[Candidates], &[MatchReference])` (event candidates; event or descriptor references) |
//! | `matchRaw(candidates, references)` | `match_raw(&[BinaryReference], &[BinaryReference])` |
//! | `crossmatchFaces(candidateFilters, referenceFilters, limit, threshold, sorting)` | `crossmatch_faces(candidates, references, &CrossMatchParams::new().limit(..).threshold(..).sorting(..))` |
//! | `crossmatchBodies(candidateFilters, referenceFilters, limit, threshold, sorting)` | `crossmatch_bodies(EventFilters, EventFilters, &CrossMatchParams)` |
//! | `getAddress()` | `get_address()` |
//! | `Candidates(filters, limit, threshold, targets)` | [`Candidates`]`::faces(..)` / `::events(..)` / `::attributes(..)`, `.limit(..)`, `.threshold(..)`, `.targets(..)` |
//! | `Reference(id, type)` / `BinaryReference(id, data)` | [`MatchReference`]`::face(id)` / `::event(id)` / `::attribute(id)` / `::descriptor(label, descriptor)`, [`BinaryReference`] |
//! | `FaceFilters` / `EventFilters` / `AttributeFilters` | [`FaceFilters`] (from [`FacesQuery`]) / [`EventFilters`] (from [`EventsQuery`]) / [`AttributeFilters`] |
//!
//! Answers have one entry per reference; a reference that failed carries its error
//! ([`ReferenceMatches::is_error`]) and the others are still there.
//!
//! [`FacesQuery`]: crate::services::faces::FacesQuery
//! [`EventsQuery`]: crate::services::events::EventsQuery
//!
//! Async example (blocking builds: the same calls without `.await`):
//!
#![cfg_attr(not(feature = "blocking"), doc = "```no_run")]
#![cfg_attr(feature = "blocking", doc = "```ignore")]
//! use luna_clients::model::matching::{Candidates, CrossMatchParams, MatchReference};
//! use luna_clients::services::events::EventsQuery;
//! use luna_clients::services::faces::FacesQuery;
//! use luna_clients::LunaClient;
//!
//! # async fn run() -> luna_clients::Result<()> {
//! let client = LunaClient::builder().host("10.0.0.5").account_id("8950722f-3fd4-4223-b48f-03f95f0e8dfb").build()?;
//! let matcher = client.matcher();
//! let vip = Candidates::faces(FacesQuery::new().list_id("5c3d3c6e-6f0e-4a5c-9a55-8c1a0d1f1a33"))
//!     .limit(3)
//!     .threshold(0.8);
//! let probe = MatchReference::event("7e5f3c6e-6f0e-4a5c-9a55-8c1a0d1f1a55");
//! for reference in matcher.match_faces(&[vip], &[probe]).await? {
//!     if reference.is_error() {
//!         eprintln!("{:?}: {:?}", reference.reference_id(), reference.error);
//!         continue;
//!     }
//!     if let Some(best) = reference.best() {
//!         println!("best match {:?} at {:?}", best.face, best.similarity);
//!     }
//! }
//! // Every face of the list against today's entrance events, best 5 each.
//! let pairs = matcher
//!     .crossmatch_faces(
//!         FacesQuery::new().list_id("5c3d3c6e-6f0e-4a5c-9a55-8c1a0d1f1a33"),
//!         EventsQuery::new().sources(["entrance"]),
//!         &CrossMatchParams::new().limit(5).threshold(0.7).sorting(true),
//!     )
//!     .await?;
//! println!("{} references", pairs.len());
//! # Ok(())
//! # }
//! ```

use serde_json::{json, Value};

use crate::call::Call;
use crate::client::LunaClient;
use crate::context::ServiceContext;
use crate::error::{Error, Result};
use crate::model::matching::{
    BinaryReference, Candidates, CrossMatchParams, EventFilters, MatchFilters, MatchReference,
    PerReference, ReferenceMatches, ReferenceSimilarities,
};
use crate::service::Service;
use crate::services::service_handle_common;

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
    pub(crate) fn new(client: LunaClient) -> Self {
        Matcher {
            ctx: client.context(Service::Matcher),
        }
    }

    /// Python `getAddress()`: the service base URL, `<origin>/<api_version>` (no request).
    pub fn get_address(&self) -> String {
        self.ctx.base_url()
    }

    /// The body of `match_faces` / `match_bodies`, checked before anything is sent.
    fn match_body(kind: Kind, candidates: &[Candidates], references: &[MatchReference]) -> Result<Value> {
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
        let references = references
            .iter()
            .map(MatchReference::to_json)
            .collect::<Result<Vec<_>>>()?;
        Ok(json!({"candidates": candidates, "references": references}))
    }

    fn binary_list(argument: &'static str, items: &[BinaryReference]) -> Result<Vec<Value>> {
        if items.is_empty() {
            return Err(Error::invalid(argument, "give at least one descriptor"));
        }
        items
            .iter()
            .map(|b| b.json_for(argument))
            .collect()
    }

    fn cross_call(
        &self,
        path: &'static str,
        candidates: &MatchFilters,
        references: &MatchFilters,
        params: &CrossMatchParams,
    ) -> Result<Call> {
        let body = params.to_body(candidates, references, self.ctx.client.account_id())?;
        Ok(Call::post(path)
            .query(|q| {
                q.push_flag_opt("sorting", params.sorting_value());
            })
            .json(&body)?
            .retry_safe())
    }
}

#[maybe_async::maybe_async]
impl Matcher {
    /// Python `matchFaces`: `POST /matcher/faces` — matches every reference (faces, events,
    /// attributes by id, or descriptors) against every candidate set ([`FaceFilters`],
    /// [`EventFilters`] or [`AttributeFilters`] with `limit` / `threshold` / `targets`).
    /// The client's account goes as the `account_id` query. One entry per reference, in request
    /// order; failed references carry their error.
    pub async fn match_faces(
        &self,
        candidates: &[Candidates],
        references: &[MatchReference],
    ) -> Result<Vec<ReferenceMatches>> {
        let body = Self::match_body(Kind::Faces, candidates, references)?;
        let call = Call::post("/matcher/faces")
            .with_account_query()
            .json(&body)?
            .retry_safe();
        let PerReference(results) = self.ctx.json(call).await?;
        Ok(results)
    }

    /// Python `matchBodies`: `POST /matcher/bodies` — body descriptors. Candidates must be
    /// events ([`Candidates::events`]); references events or descriptors (others fail with
    /// [`Error::InvalidArgument`], nothing sent). Account and answer as in
    /// [`Matcher::match_faces`].
    pub async fn match_bodies(
        &self,
        candidates: &[Candidates],
        references: &[MatchReference],
    ) -> Result<Vec<ReferenceMatches>> {
        let body = Self::match_body(Kind::Bodies, candidates, references)?;
        let call = Call::post("/matcher/bodies")
            .with_account_query()
            .json(&body)?
            .retry_safe();
        let PerReference(results) = self.ctx.json(call).await?;
        Ok(results)
    }

    /// Python `matchRaw`: `POST /matcher/raw` — every candidate descriptor against every
    /// reference descriptor, no database involved (no account). One entry per reference with
    /// each candidate's similarity.
    pub async fn match_raw(
        &self,
        candidates: &[BinaryReference],
        references: &[BinaryReference],
    ) -> Result<Vec<ReferenceSimilarities>> {
        let body = json!({
            "candidates": Self::binary_list("candidates", candidates)?,
            "references": Self::binary_list("references", references)?,
        });
        let call = Call::post("/matcher/raw").json(&body)?.retry_safe();
        let PerReference(results) = self.ctx.json(call).await?;
        Ok(results)
    }

    /// Python `crossmatchFaces`: `POST /crossmatcher/faces` — collects the objects selected by
    /// the candidate and reference filters (faces, events or attributes each) and matches every
    /// reference with every candidate, synchronously. `limit` / `threshold` go in the body,
    /// `sorting` in the query; the client's account joins both filter objects. One entry per
    /// reference, failed ones with their error.
    pub async fn crossmatch_faces(
        &self,
        candidate_filters: impl Into<MatchFilters>,
        reference_filters: impl Into<MatchFilters>,
        params: &CrossMatchParams,
    ) -> Result<Vec<ReferenceSimilarities>> {
        let call = self.cross_call(
            "/crossmatcher/faces",
            &candidate_filters.into(),
            &reference_filters.into(),
            params,
        )?;
        let PerReference(results) = self.ctx.json(call).await?;
        Ok(results)
    }

    /// Python `crossmatchBodies`: `POST /crossmatcher/bodies` — as
    /// [`Matcher::crossmatch_faces`] with body descriptors, which only events have.
    pub async fn crossmatch_bodies(
        &self,
        candidate_filters: impl Into<EventFilters>,
        reference_filters: impl Into<EventFilters>,
        params: &CrossMatchParams,
    ) -> Result<Vec<ReferenceSimilarities>> {
        let call = self.cross_call(
            "/crossmatcher/bodies",
            &MatchFilters::Events(candidate_filters.into()),
            &MatchFilters::Events(reference_filters.into()),
            params,
        )?;
        let PerReference(results) = self.ctx.json(call).await?;
        Ok(results)
    }
}
