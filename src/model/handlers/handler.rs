//! Handlers and verifiers: their types, what creates them (`NewHandler`, `NewVerifier`) and
//! what reading them returns.

use super::*;

// ---------------------------------------------------------------------------------------------
// Handlers

wire_enum! {
    /// Handler type (`handler_type`).
    pub enum HandlerType {
        /// 0: policies stored with the handler.
        Static = 0,
        /// 1: policies given with every emit request.
        Dynamic = 1,
        /// 2: a luna-lambda of type *handlers* does the processing.
        Lambda = 2,
    }
}

/// The body of `create_handler` / `update_handler` (Python `policies`, `handlerType`,
/// `lambdaId`, `description`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NewHandler {
    /// Policies (required by static handlers; not stored for dynamic ones).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policies: Option<Policies>,
    /// Handler type (server default when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handler_type: Option<HandlerType>,
    /// The lambda of a lambda handler.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lambda_id: Option<Uuid>,
    /// User description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl NewHandler {
    /// A static handler with these policies.
    pub fn with_policies(policies: Policies) -> Self {
        NewHandler {
            policies: Some(policies),
            handler_type: Some(HandlerType::Static),
            ..Self::default()
        }
    }

    /// A dynamic handler (policies come with each emit request).
    pub fn dynamic() -> Self {
        NewHandler {
            handler_type: Some(HandlerType::Dynamic),
            ..Self::default()
        }
    }

    /// A lambda handler.
    pub fn lambda(lambda_id: Uuid) -> Self {
        NewHandler {
            handler_type: Some(HandlerType::Lambda),
            lambda_id: Some(lambda_id),
            ..Self::default()
        }
    }

    /// Sets the policies.
    #[must_use]
    pub fn policies(mut self, policies: Policies) -> Self {
        self.policies = Some(policies);
        self
    }

    /// Sets the handler type.
    #[must_use]
    pub fn handler_type(mut self, handler_type: HandlerType) -> Self {
        self.handler_type = Some(handler_type);
        self
    }

    /// Sets the description.
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Checks what this crate knows before sending: a static handler has policies, a lambda
    /// handler has a lambda id, the policies' ranges.
    pub(crate) fn check(&self) -> Result<()> {
        match self.handler_type {
            Some(HandlerType::Static) if self.policies.is_none() => {
                return Err(Error::invalid("policies", "a static handler needs policies"))
            }
            Some(HandlerType::Lambda) if self.lambda_id.is_none() => {
                return Err(Error::invalid("lambda_id", "a lambda handler needs a lambda id"))
            }
            _ => {}
        }
        self.policies.as_ref().map_or(Ok(()), Policies::check)
    }
}

/// A handler (`get_handler_by_id`, items of `get_handlers`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Handler {
    /// Handler id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handler_id: Option<Uuid>,
    /// Owner account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<Uuid>,
    /// Creation time.
    #[serde(
        default,
        deserialize_with = "time_format::option",
        serialize_with = "time_format::serialize_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub create_time: Option<OffsetDateTime>,
    /// Time of the last change.
    #[serde(
        default,
        deserialize_with = "time_format::option",
        serialize_with = "time_format::serialize_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_update_time: Option<OffsetDateTime>,
    /// User description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Policies (absent for dynamic handlers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policies: Option<Policies>,
    /// Handler type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handler_type: Option<HandlerType>,
    /// Lambda of a lambda handler.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lambda_id: Option<Uuid>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A created handler or verifier: its id and location.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Created {
    /// The new id.
    pub id: Uuid,
    /// Its location (`url` of the answer, else the `Location` header).
    pub url: Option<String>,
}

/// The body of `create_verifier` / `put_verifier` (Python `policies`, `description`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NewVerifier {
    /// The verifier's policies.
    pub policies: VerifierPolicies,
    /// User description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl NewVerifier {
    /// A verifier with these policies and no description.
    pub fn new(policies: VerifierPolicies) -> Self {
        NewVerifier {
            policies,
            description: None,
        }
    }

    /// User description (`description`).
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
}

/// A verifier's policies (Python `VerifierPolicies`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VerifierPolicies {
    /// Detection and estimation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detect_policy: Option<DetectPolicy>,
    /// Extraction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extract_policy: Option<ExtractPolicy>,
    /// Storage: only `attribute_policy` and `face_sample_policy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_policy: Option<VerifierStoragePolicy>,
    /// Similarity from which a verification succeeds, 0…1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification_threshold: Option<f64>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl VerifierPolicies {
    /// Nothing set: the server's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Detection and estimation.
    #[must_use]
    pub fn detect_policy(mut self, policy: DetectPolicy) -> Self {
        self.detect_policy = Some(policy);
        self
    }

    /// Extraction.
    #[must_use]
    pub fn extract_policy(mut self, policy: ExtractPolicy) -> Self {
        self.extract_policy = Some(policy);
        self
    }

    /// Storage.
    #[must_use]
    pub fn storage_policy(mut self, policy: VerifierStoragePolicy) -> Self {
        self.storage_policy = Some(policy);
        self
    }

    /// Similarity from which a verification succeeds (0…1).
    #[must_use]
    pub fn verification_threshold(mut self, threshold: f64) -> Self {
        self.verification_threshold = Some(threshold);
        self
    }

    /// Checks the ranges this crate knows; called before anything is sent.
    pub fn check(&self) -> Result<()> {
        check_unit("verification_threshold", self.verification_threshold)?;
        if let Some(p) = &self.detect_policy {
            p.check()?;
        }
        if let Some(p) = &self.extract_policy {
            p.check()?;
        }
        if let Some(storage) = &self.storage_policy {
            StoragePolicy {
                attribute_policy: storage.attribute_policy.clone(),
                face_sample_policy: storage.face_sample_policy.clone(),
                ..StoragePolicy::default()
            }
            .check()?;
        }
        Ok(())
    }
}

/// `storage_policy` of a verifier.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VerifierStoragePolicy {
    /// Temporary attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_policy: Option<AttributePolicy>,
    /// Face samples.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub face_sample_policy: Option<SamplePolicy>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl VerifierStoragePolicy {
    /// Nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Temporary attributes.
    #[must_use]
    pub fn attribute_policy(mut self, policy: AttributePolicy) -> Self {
        self.attribute_policy = Some(policy);
        self
    }

    /// Face samples.
    #[must_use]
    pub fn face_sample_policy(mut self, policy: SamplePolicy) -> Self {
        self.face_sample_policy = Some(policy);
        self
    }
}

/// A verifier (`get_verifier`, items of `get_verifiers`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Verifier {
    /// Verifier id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verifier_id: Option<Uuid>,
    /// Owner account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<Uuid>,
    /// Creation time.
    #[serde(
        default,
        deserialize_with = "time_format::option",
        serialize_with = "time_format::serialize_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub create_time: Option<OffsetDateTime>,
    /// Time of the last change.
    #[serde(
        default,
        deserialize_with = "time_format::option",
        serialize_with = "time_format::serialize_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_update_time: Option<OffsetDateTime>,
    /// User description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Policies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policies: Option<VerifierPolicies>,
    /// Members this crate does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
