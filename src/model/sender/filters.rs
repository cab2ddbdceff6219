//! Filters of a Sender subscription, given at handshake time (mode-free).

use crate::error::Result;
use crate::query::Query;

/// Path of the subscription resource below the Sender's base URL.
pub const SUBSCRIPTION_PATH: &str = "/ws";

crate::model::events::with_event_attribute_filters! {
    /// Filters of a Sender subscription, given at handshake time; delivered events satisfy all
    /// of them. Lists are sent comma-separated; the attribute filters are those of
    /// [`EventsQuery`](crate::model::events::EventsQuery), declared once for both, and take
    /// [`OrNull::Null`](crate::model::events::OrNull::Null) ("not estimated") like them.
    ///
    /// Documented names: `sources`, `stream_ids`, `matching_candidates_labels`,
    /// `object_similarity__gte/__lt`, `age__gte/__lt`, `emotions`, `masks`,
    /// `lower_garment_types`, `lower_garment_colors`, `shoes_apparent_colors`,
    /// `headwear_apparent_colors`, meta filters. The others (`handler_ids`, `gender`,
    /// `ethnic_groups`, `liveness`, `apparent_gender`, `headwear_states`, `backpack_states`,
    /// `upper_clothing_colors`, `sleeve_lengths`) are inferred: they follow the luna-events names
    /// of the same attributes; see the wire notes.
    #[derive(Clone, Debug, Default)]
    pub struct SubscriptionFilters {
        /// Event sources (`sources`).
        sources: texts => "sources",
        /// Video stream ids (`stream_ids`).
        stream_ids: ids => "stream_ids",
        /// Labels of which the event must contain at least one (`matching_candidates_labels`).
        matching_candidates_labels: texts => "matching_candidates_labels",
        /// Lower bound, included, of the top-match similarity, 0…1 (`object_similarity__gte`).
        object_similarity_gte: unit => "object_similarity__gte",
        /// Upper bound, excluded, of the top-match similarity, 0…1 (`object_similarity__lt`).
        object_similarity_lt: unit => "object_similarity__lt",
    } + {
        /// Adds a user-defined-data filter (`meta.<path>__<operator>:<type>`).
        meta: meta => "meta",
    }
    new("No filter: every event of the account.");
}

impl SubscriptionFilters {
    /// Writes every filter on its wire name.
    pub fn write(&self, q: &mut Query) -> Result<()> {
        self.write_params(q, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::common::{Ethnicity, Gender};
    use crate::model::events::{
        ApparentColor, ApparentGender, ClothingColor, Emotion, Liveness, LowerGarmentType, Mask,
        PresenceState, SleeveLength,
    };
    use crate::model::events::{MetaFilter, MetaOperator};

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
                ("handler_ids", "0a1b2c3d-6f0e-4a5c-9a55-8c1a0d1f1a66"),
                ("age__lt", "65"),
                ("age__gte", "18"),
                ("gender", "0"),
                ("emotions", "3,6"),
                ("masks", "1"),
                ("ethnic_groups", "3"),
                ("liveness", "0"),
                ("apparent_gender", "1"),
                ("headwear_states", "0"),
                ("headwear_apparent_colors", "undefined"),
                ("sleeve_lengths", "undefined"),
                ("upper_clothing_colors", "pink"),
                ("lower_garment_types", "shorts"),
                ("lower_garment_colors", "gray"),
                ("shoes_apparent_colors", "black"),
                ("backpack_states", "1"),
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
