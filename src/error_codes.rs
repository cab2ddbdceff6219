//! LUNA error codes (`error_code` of an error answer) that the LUNA reference lists, by name, for
//! matching with [`Error::error_code`](crate::Error::error_code). Descriptions are paraphrased
//! from the "LUNA PLATFORM Error Codes" pages (`ApiError::link` points at the full one).

/// API: one or more objects of a kind not found.
pub const OBJECTS_NOT_FOUND: i64 = 11020;
/// API: bad content type of an image in a multipart body.
pub const BAD_MULTIPART_IMAGE_CONTENT_TYPE: i64 = 11029;
/// API: the face has no attributes yet (matching a face without a descriptor).
pub const FACE_WITHOUT_ATTRIBUTES: i64 = 11032;
/// API: `Luna-Account-Id` is required for state-changing requests.
pub const ACCOUNT_ID_REQUIRED: i64 = 11036;
/// API: the events service is disabled while a storage policy asks to save events.
pub const EVENTS_SERVICE_DISABLED: i64 = 11040;
/// API: authorization by `Luna-Account-Id` is disabled.
pub const ACCOUNT_ID_AUTH_DISABLED: i64 = 11061;
/// API: `Luna-Account-Id` header not found.
pub const ACCOUNT_ID_HEADER_NOT_FOUND: i64 = 11066;
/// API: the handlers service is disabled.
pub const HANDLERS_SERVICE_DISABLED: i64 = 11071;
/// API: the accounts service is disabled.
pub const ACCOUNTS_SERVICE_DISABLED: i64 = 11083;
/// Bad query parameters.
pub const BAD_QUERY_PARAMETERS: i64 = 12012;
/// Required query parameters not found.
pub const REQUIRED_QUERY_PARAMETERS_NOT_FOUND: i64 = 12014;
/// None of the listed parameters found.
pub const NONE_OF_THE_PARAMETERS_FOUND: i64 = 12016;
/// Bad content type.
pub const BAD_CONTENT_TYPE: i64 = 12017;
/// JSON validation failed at a path.
pub const JSON_VALIDATION_FAILED_AT_PATH: i64 = 12022;
/// Content type not acceptable.
pub const CONTENT_TYPE_NOT_ACCEPTABLE: i64 = 12023;
/// Unsupported media type.
pub const UNSUPPORTED_MEDIA_TYPE: i64 = 12024;
/// Content type does not match the data.
pub const CONTENT_TYPE_MISMATCH: i64 = 12025;
/// JSON validation failed.
pub const JSON_VALIDATION_FAILED: i64 = 12027;
/// Bad or incomplete input data.
pub const BAD_INPUT_DATA: i64 = 12031;
/// A multipart part has a bad `Content-Type`.
pub const BAD_MULTIPART_PART_CONTENT_TYPE: i64 = 12041;
/// Invalid HTTP request.
pub const INVALID_HTTP_REQUEST: i64 = 12046;
/// Image Store: image not found.
pub const IMAGE_NOT_FOUND: i64 = 13003;
/// Image Store: bucket already exists.
pub const BUCKET_ALREADY_EXISTS: i64 = 13006;
/// Image Store: object not found.
pub const OBJECT_NOT_FOUND: i64 = 13007;
/// Image Store: object already exists.
pub const OBJECT_ALREADY_EXISTS: i64 = 13008;
/// Faces: a face already uses this `attribute_id`.
pub const ATTRIBUTE_ALREADY_USED: i64 = 22001;
/// Faces: face not found.
pub const FACE_NOT_FOUND: i64 = 22002;
/// Faces: list not found.
pub const LIST_NOT_FOUND: i64 = 22003;
/// Faces: one or more faces not found.
pub const FACES_NOT_FOUND: i64 = 22004;
/// Faces: one or more lists not found.
pub const LISTS_NOT_FOUND: i64 = 22005;
/// Faces: avatar URL not correct.
pub const BAD_AVATAR_URL: i64 = 22009;
/// Faces: attributes for update not found (expired).
pub const ATTRIBUTES_FOR_UPDATE_NOT_FOUND: i64 = 22010;
/// Faces: attributes not found (expired TTL or wrong id).
pub const ATTRIBUTES_NOT_FOUND: i64 = 22011;
/// Faces: invalid `targets` value.
pub const BAD_FACE_TARGETS: i64 = 22016;
/// Faces: a match reference must be a descriptor, an attribute id or a face id.
pub const BAD_MATCH_REFERENCE: i64 = 22017;
/// Faces: descriptor of the asked version not found for the object.
pub const FACE_DESCRIPTOR_VERSION_NOT_FOUND: i64 = 22018;
/// Faces: an attribute has neither descriptors nor basic attributes.
pub const EMPTY_ATTRIBUTE: i64 = 22022;
/// Faces: duplicate descriptor versions in one attribute.
pub const DUPLICATE_DESCRIPTOR_VERSIONS: i64 = 22024;
/// Faces: attribute samples do not match the face's.
pub const ATTRIBUTE_SAMPLES_MISMATCH: i64 = 22025;
/// Faces: list id already exists.
pub const LIST_ALREADY_EXISTS: i64 = 22026;
/// Faces: invalid `targets` for face-deletion info.
pub const BAD_DELETION_TARGETS: i64 = 22027;
/// Events: event not found.
pub const EVENT_NOT_FOUND: i64 = 23001;
/// Events: one or more events not found.
pub const EVENTS_NOT_FOUND: i64 = 23002;
/// Events: invalid `target` for getting events.
pub const BAD_EVENT_TARGET: i64 = 23005;
/// Events: body descriptor of the asked version not found.
pub const BODY_DESCRIPTOR_VERSION_NOT_FOUND: i64 = 23007;
/// Configurator: setting not found.
pub const SETTING_NOT_FOUND: i64 = 27001;
/// Python Matcher: cross-match filters select more objects than the limit allows.
pub const CROSS_MATCH_LIMIT_EXCEEDED: i64 = 31002;
/// Python Matcher: unknown cross-matching error.
pub const CROSS_MATCH_FAILED: i64 = 31003;
/// Python Matcher: too many references.
pub const TOO_MANY_REFERENCES: i64 = 31007;
/// Python Matcher: no matchers available.
pub const NO_MATCHERS_AVAILABLE: i64 = 31011;
/// Handlers: handler not found.
pub const HANDLER_NOT_FOUND: i64 = 34000;
/// Handlers: handler corrupted, cannot be loaded.
pub const HANDLER_CORRUPTED: i64 = 34002;
/// Handlers: verifier not found.
pub const VERIFIER_NOT_FOUND: i64 = 34004;

/// The "not found" codes: [`Error::is_not_found`](crate::Error::is_not_found) is true for them
/// whatever the HTTP status (some are answered with 400).
pub const NOT_FOUND: [i64; 16] = [
    OBJECTS_NOT_FOUND,
    IMAGE_NOT_FOUND,
    OBJECT_NOT_FOUND,
    FACE_NOT_FOUND,
    LIST_NOT_FOUND,
    FACES_NOT_FOUND,
    LISTS_NOT_FOUND,
    ATTRIBUTES_FOR_UPDATE_NOT_FOUND,
    ATTRIBUTES_NOT_FOUND,
    EVENT_NOT_FOUND,
    EVENTS_NOT_FOUND,
    SETTING_NOT_FOUND,
    HANDLER_NOT_FOUND,
    VERIFIER_NOT_FOUND,
    FACE_DESCRIPTOR_VERSION_NOT_FOUND,
    BODY_DESCRIPTOR_VERSION_NOT_FOUND,
];
