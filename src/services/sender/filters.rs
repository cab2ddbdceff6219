//! Filters of a Sender subscription, given at handshake time (mode-free).

use crate::error::{Error, Result};
use crate::id::{collect_ids, Id};
use crate::model::common::{Ethnicity, Gender};
use crate::model::events::{
    ApparentColor, ApparentGender, ClothingColor, Emotion, Liveness, LowerGarmentType, Mask,
    PresenceState, SleeveLength,
};
use crate::query::Query;
use crate::services::events::MetaFilter;

/// Path of the subscription resource below the Sender's base URL.
pub const SUBSCRIPTION_PATH: &str = "/ws";

/// Filters of a Sender subscription, given at handshake time; delivered events satisfy all
/// of them. Lists are sent comma-separated.
///
/// Documented names: `sources`, `stream_ids`, `matching_candidates_labels`,
/// `object_similarity__gte/__lt`, `age__gte/__lt`, `emotions`, `masks`,
/// `lower_garment_types`, `lower_garment_colors`, `shoes_apparent_colors`,
/// `headwear_apparent_colors`, meta filters. The others (marked *inferred* on their setters)
/// follow the luna-events names of the same attributes; see the wire notes.
#[derive(Clone, Debug, Default)]
pub struct SubscriptionFilters {
    sources: Vec<String>,
    stream_ids: Vec<Id>,
    matching_candidates_labels: Vec<String>,
    object_similarity_gte: Option<f64>,
    object_similarity_lt: Option<f64>,
    age_gte: Option<u32>,
    age_lt: Option<u32>,
    emotions: Vec<Emotion>,
    masks: Vec<Mask>,
    lower_garment_types: Vec<LowerGarmentType>,
    lower_garment_colors: Vec<ClothingColor>,
    shoes_apparent_colors: Vec<ApparentColor>,
    headwear_apparent_colors: Vec<ApparentColor>,
    handler_ids: Vec<Id>,
    gender: Option<Gender>,
    ethnic_groups: Vec<Ethnicity>,
    liveness: Vec<Liveness>,
    apparent_gender: Vec<ApparentGender>,
    headwear_states: Vec<PresenceState>,
    backpack_states: Vec<PresenceState>,
    upper_clothing_colors: Vec<ClothingColor>,
    sleeve_lengths: Vec<SleeveLength>,
    meta: Vec<MetaFilter>,
}

macro_rules! setters {
    ($( $(#[$doc:meta])* $name:ident: $t:ty; )*) => {
        $(
            $(#[$doc])*
            #[must_use]
            pub fn $name(mut self, values: impl IntoIterator<Item = $t>) -> Self {
                self.$name = values.into_iter().collect();
                self
            }
        )*
    };
}

impl SubscriptionFilters {
    /// No filter: every event of the account.
    pub fn new() -> Self {
        Self::default()
    }

    /// Event sources (`sources`).
    #[must_use]
    pub fn sources<S: Into<String>>(mut self, sources: impl IntoIterator<Item = S>) -> Self {
        self.sources = sources.into_iter().map(Into::into).collect();
        self
    }

    /// Video stream ids (`stream_ids`).
    #[must_use]
    pub fn stream_ids<I>(mut self, ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Id>,
    {
        self.stream_ids = collect_ids(ids);
        self
    }

    /// Labels of which the event must contain at least one (`matching_candidates_labels`).
    #[must_use]
    pub fn matching_candidates_labels<S: Into<String>>(
        mut self,
        labels: impl IntoIterator<Item = S>,
    ) -> Self {
        self.matching_candidates_labels = labels.into_iter().map(Into::into).collect();
        self
    }

    /// Lower bound, included, of the top-match similarity, 0…1 (`object_similarity__gte`).
    #[must_use]
    pub fn object_similarity_gte(mut self, similarity: f64) -> Self {
        self.object_similarity_gte = Some(similarity);
        self
    }

    /// Upper bound, excluded, of the top-match similarity, 0…1 (`object_similarity__lt`).
    #[must_use]
    pub fn object_similarity_lt(mut self, similarity: f64) -> Self {
        self.object_similarity_lt = Some(similarity);
        self
    }

    /// Lower bound, included, of the age (`age__gte`).
    #[must_use]
    pub fn age_gte(mut self, age: u32) -> Self {
        self.age_gte = Some(age);
        self
    }

    /// Upper bound, excluded, of the age (`age__lt`).
    #[must_use]
    pub fn age_lt(mut self, age: u32) -> Self {
        self.age_lt = Some(age);
        self
    }

    /// Handler ids (`handler_ids`, inferred).
    #[must_use]
    pub fn handler_ids<I>(mut self, ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<Id>,
    {
        self.handler_ids = collect_ids(ids);
        self
    }

    /// Gender (`gender`, inferred).
    #[must_use]
    pub fn gender(mut self, gender: Gender) -> Self {
        self.gender = Some(gender);
        self
    }

    setters! {
        /// Dominant emotions (`emotions`).
        emotions: Emotion;
        /// Mask states (`masks`).
        masks: Mask;
        /// Lower garment types (`lower_garment_types`).
        lower_garment_types: LowerGarmentType;
        /// Lower garment colours (`lower_garment_colors`).
        lower_garment_colors: ClothingColor;
        /// Shoes colours (`shoes_apparent_colors`).
        shoes_apparent_colors: ApparentColor;
        /// Headwear colours (`headwear_apparent_colors`).
        headwear_apparent_colors: ApparentColor;
        /// Ethnic groups (`ethnic_groups`, inferred).
        ethnic_groups: Ethnicity;
        /// Liveness values (`liveness`, inferred).
        liveness: Liveness;
        /// Apparent genders (`apparent_gender`, inferred).
        apparent_gender: ApparentGender;
        /// Headwear states (`headwear_states`, inferred).
        headwear_states: PresenceState;
        /// Backpack states (`backpack_states`, inferred).
        backpack_states: PresenceState;
        /// Upper clothing colours (`upper_clothing_colors`, inferred).
        upper_clothing_colors: ClothingColor;
        /// Sleeve lengths (`sleeve_lengths`, inferred).
        sleeve_lengths: SleeveLength;
    }

    /// Adds a user-defined-data filter (`meta.<path>__<operator>:<type>`).
    #[must_use]
    pub fn meta(mut self, filter: MetaFilter) -> Self {
        self.meta.push(filter);
        self
    }

    /// Writes every filter on its wire name.
    pub fn write(&self, q: &mut Query) -> Result<()> {
        for (name, values) in [
            ("sources", &self.sources),
            ("matching_candidates_labels", &self.matching_candidates_labels),
        ] {
            if let Some(bad) = values.iter().find(|v| v.contains(',')) {
                return Err(Error::invalid(
                    name,
                    format!("{bad:?} contains a comma, the list separator"),
                ));
            }
        }
        q.push_list("sources", &self.sources);
        q.push_list("stream_ids", Id::resolve_all(&self.stream_ids, "stream_ids")?);
        q.push_list("matching_candidates_labels", &self.matching_candidates_labels);
        for (name, value) in [
            ("object_similarity__gte", self.object_similarity_gte),
            ("object_similarity__lt", self.object_similarity_lt),
        ] {
            crate::query::check_unit("object_similarity", value)?;
            q.push_opt(name, value);
        }
        q.push_opt("age__gte", self.age_gte);
        q.push_opt("age__lt", self.age_lt);
        q.push_list("emotions", &self.emotions);
        q.push_list("masks", &self.masks);
        q.push_list("lower_garment_types", &self.lower_garment_types);
        q.push_list("lower_garment_colors", &self.lower_garment_colors);
        q.push_list("shoes_apparent_colors", &self.shoes_apparent_colors);
        q.push_list("headwear_apparent_colors", &self.headwear_apparent_colors);
        q.push_list("handler_ids", Id::resolve_all(&self.handler_ids, "handler_ids")?);
        q.push_opt("gender", self.gender);
        q.push_list("ethnic_groups", &self.ethnic_groups);
        q.push_list("liveness", &self.liveness);
        q.push_list("apparent_gender", &self.apparent_gender);
        q.push_list("headwear_states", &self.headwear_states);
        q.push_list("backpack_states", &self.backpack_states);
        q.push_list("upper_clothing_colors", &self.upper_clothing_colors);
        q.push_list("sleeve_lengths", &self.sleeve_lengths);
        for filter in &self.meta {
            q.push_owned(filter.key()?, filter.value()?);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::events::MetaOperator;

    #[test]
    fn filters_pin_every_wire_name() {
        let filters = SubscriptionFilters::new()
            .sources(["cam-1", "cam-2"])
            .stream_ids(["1b2c3d4e-6f0e-4a5c-9a55-8c1a0d1f1a77"])
            .matching_candidates_labels(["staff"])
            .object_similarity_gte(0.5)
            .object_similarity_lt(0.9)
            .age_gte(18)
            .age_lt(65)
            .emotions([Emotion::Fear, Emotion::Sadness])
            .masks([Mask::Missing])
            .lower_garment_types([LowerGarmentType::Shorts])
            .lower_garment_colors([ClothingColor::Gray])
            .shoes_apparent_colors([ApparentColor::Black])
            .headwear_apparent_colors([ApparentColor::Undefined])
            .handler_ids(["0a1b2c3d-6f0e-4a5c-9a55-8c1a0d1f1a66"])
            .gender(Gender::Female)
            .ethnic_groups([Ethnicity::Asian])
            .liveness([Liveness::Spoof])
            .apparent_gender([ApparentGender::Male])
            .headwear_states([PresenceState::Absent])
            .backpack_states([PresenceState::Present])
            .upper_clothing_colors([ClothingColor::Pink])
            .sleeve_lengths([SleeveLength::Undefined])
            .meta(MetaFilter::new("zone", MetaOperator::Eq, "north"));
        let mut q = Query::new();
        filters.write(&mut q).unwrap();
        crate::catalogue::assert_declared(&crate::catalogue::sender::SUBSCRIBE, &q);
        let pairs: Vec<(&str, &str)> = q.pairs().collect();
        assert_eq!(
            pairs,
            vec![
                ("sources", "cam-1,cam-2"),
                ("stream_ids", "1b2c3d4e-6f0e-4a5c-9a55-8c1a0d1f1a77"),
                ("matching_candidates_labels", "staff"),
                ("object_similarity__gte", "0.5"),
                ("object_similarity__lt", "0.9"),
                ("age__gte", "18"),
                ("age__lt", "65"),
                ("emotions", "3,6"),
                ("masks", "1"),
                ("lower_garment_types", "shorts"),
                ("lower_garment_colors", "gray"),
                ("shoes_apparent_colors", "black"),
                ("headwear_apparent_colors", "undefined"),
                ("handler_ids", "0a1b2c3d-6f0e-4a5c-9a55-8c1a0d1f1a66"),
                ("gender", "0"),
                ("ethnic_groups", "3"),
                ("liveness", "0"),
                ("apparent_gender", "1"),
                ("headwear_states", "0"),
                ("backpack_states", "1"),
                ("upper_clothing_colors", "pink"),
                ("sleeve_lengths", "undefined"),
                ("meta.zone__eq:string", "north"),
            ]
        );
        for bad in [
            SubscriptionFilters::new().sources(["a,b"]),
            SubscriptionFilters::new().stream_ids(["x"]),
            SubscriptionFilters::new().object_similarity_gte(2.0),
            SubscriptionFilters::new().meta(MetaFilter::eq("", 1)),
        ] {
            assert!(bad.write(&mut Query::new()).is_err(), "{bad:?}");
        }
    }
}
