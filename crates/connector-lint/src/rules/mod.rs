//! The rule table: every rule's stable id, severity, rationale and fix hint, and the
//! function that checks it. Rules live in small files by theme.

mod extensions;
mod media_types;
mod metadata;
mod operations;
mod parameters;
mod security;
mod style;
mod versioning;

use serde::Serialize;

use crate::context::Subject;
use crate::finding::Severity;

/// Where a rule comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Power Platform certification (what Microsoft's validator rejects or flags).
    Certification,
    /// The project's style guide (seed 000).
    Style,
}

/// One lint rule.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Stable id (kebab case); used by `--allow`, configs, JSON and SARIF.
    pub id: &'static str,
    /// Where the rule comes from.
    pub category: Category,
    /// Severity of its findings.
    pub severity: Severity,
    /// One line: what the rule checks.
    pub summary: &'static str,
    /// Why it matters.
    pub rationale: &'static str,
    /// How to fix a finding.
    pub fix: &'static str,
    pub(crate) check: fn(&Subject<'_>, &mut Emit),
}

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// A finding before it is located: which file, where, what.
pub(crate) struct Pending {
    pub rule: &'static str,
    pub in_api_properties: bool,
    pub pointer: String,
    pub message: String,
}

/// Collects the findings of one rule.
pub(crate) struct Emit {
    pub rule: &'static str,
    pub out: Vec<Pending>,
}

impl Emit {
    /// A finding in the definition at `pointer`.
    pub fn at(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.out.push(Pending {
            rule: self.rule,
            in_api_properties: false,
            pointer: pointer.into(),
            message: message.into(),
        });
    }

    /// A finding in `apiProperties.json` at `pointer`.
    pub fn in_props(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.out.push(Pending {
            rule: self.rule,
            in_api_properties: true,
            pointer: pointer.into(),
            message: message.into(),
        });
    }
}

use Category::{Certification as Cert, Style};
use Severity::{Error, Info, Warning};

macro_rules! rules {
    ($( $id:literal, $cat:ident, $sev:ident, $check:path,
        summary: $summary:literal, why: $why:literal, fix: $fix:literal; )*) => {
        /// Every rule, in documentation order.
        pub static RULES: &[Rule] = &[$(Rule {
            id: $id, category: $cat, severity: $sev, summary: $summary,
            rationale: $why, fix: $fix, check: $check,
        }),*];
    };
}

rules! {
    "family-too-many-active", Cert, Error, versioning::too_many_active,
        summary: "More than two non-deprecated operations in one family.",
        why: "Seed 003: a new revision is introduced beside the current one, and the older one is deprecated before a third appears; certification rejects more than two live revisions.",
        fix: "Mark the oldest revisions `deprecated: true` so at most two remain.";
    "family-duplicate-revision", Cert, Error, versioning::duplicate_revision,
        summary: "Two operations with the same family and revision.",
        why: "Revisions order a family; two operations with the same number make the successor ambiguous.",
        fix: "Give each operation of the family its own `x-ms-api-annotation.revision`.";
    "revision-invalid", Cert, Error, versioning::revision_invalid,
        summary: "`x-ms-api-annotation.revision` is empty or not a positive integer.",
        why: "Seed 003 defines revision as an integral index 1, 2, 3…; anything else cannot be sequenced.",
        fix: "Write the revision as a positive integer, or remove it (revision 1).";
    "operation-id-revision-suffix", Cert, Warning, versioning::revision_suffix,
        summary: "An operationId of revision N > 1 does not end with `_VN`.",
        why: "Revisions need unique operationIds; the platform convention (and our generated names) is `Name_V2`, `Name_V3`.",
        fix: "Rename the operation to end with `_V<revision>`, e.g. `GetItems_V2`.";
    "operation-status-ahead", Cert, Warning, versioning::status_ahead,
        summary: "An operation declares Production while the connector is in Preview.",
        why: "An operation cannot be more stable than the API it belongs to (seed 003 statuses escalate from the API down).",
        fix: "Promote the connector (`x-ms-api-annotation.status` at the root) first, or mark the operation Preview.";
    "replacement-invalid", Cert, Error, versioning::replacement_invalid,
        summary: "Replacement info on an operation that is not deprecated, or naming only one of `api` and `operationId`.",
        why: "`x-ms-api-annotation.replacement` tells clients where a deprecated operation moved; on a live operation, or half written, it misleads them.",
        fix: "Set `deprecated: true` and give both `replacement.api` and `replacement.operationId`, or remove the replacement.";
    "operation-id-missing", Cert, Error, operations::id_missing,
        summary: "An operation has no operationId.",
        why: "Flows and apps reference actions by operationId; without one the platform invents a name that changes with the path.",
        fix: "Add a unique `operationId` in PascalCase.";
    "operation-id-duplicate", Cert, Error, operations::id_duplicate,
        summary: "Two operations share an operationId (case-insensitively).",
        why: "operationIds identify actions; duplicates make one of them unreachable.",
        fix: "Rename one of the operations.";
    "operation-id-too-long", Cert, Warning, operations::id_too_long,
        summary: "An operationId is longer than 80 characters.",
        why: "Long ids are truncated in designers and make unreadable generated names.",
        fix: "Shorten the operationId (keep the `_V<n>` suffix).";
    "summary-too-long", Cert, Error, operations::summary_too_long,
        summary: "An operation summary is longer than 120 characters.",
        why: "Certification limits summaries to 120 characters: it is the action's title in the designer.",
        fix: "Shorten the summary; move details into `description`.";
    "summary-restricted-characters", Cert, Error, operations::summary_restricted,
        summary: "A summary or `x-ms-summary` contains a restricted character (a control character such as a line break, `<` or `>`).",
        why: "Certification rejects summaries with characters that break the designer's rendering.",
        fix: "Remove the character or reword the summary.";
    "pageable-next-link-name", Cert, Error, operations::next_link_name,
        summary: "`x-ms-pageable.nextLinkName` is neither `nextLink` nor `@odata.nextLink`.",
        why: "The platform's pagination follows only these two property names reliably.",
        fix: "Return the next page's URL in `nextLink` or `@odata.nextLink`, or use the updatenextlink policy.";
    "multiple-success-schemas", Cert, Warning, operations::multiple_success_schemas,
        summary: "More than one 2xx response declares a schema.",
        why: "The designer shows outputs of one success response only; the others' fields are invisible.",
        fix: "Keep one 2xx response with a schema; describe the others without a schema.";
    "mime-type-invalid", Cert, Error, operations::mime_type_invalid,
        summary: "A `consumes` / `produces` / content media type is not a valid MIME type.",
        why: "Invalid media types are rejected by the validator and break request encoding.",
        fix: "Write `type/subtype`, e.g. `application/json`.";
    "path-parameter-url-encoding", Cert, Warning, parameters::url_encoding,
        summary: "A path parameter has no `x-ms-url-encoding`.",
        why: "Values with `/` in path segments are encoded differently by the platform unless `x-ms-url-encoding` says `single` or `double`.",
        fix: "Add `\"x-ms-url-encoding\": \"single\"` (or `double` when the service expects it).";
    "internal-required-without-default", Cert, Error, parameters::internal_required_without_default,
        summary: "A required parameter with `x-ms-visibility: internal` has no default.",
        why: "Users cannot see internal parameters, so a required one without a default can never be filled.",
        fix: "Give the parameter a `default`, or make it visible or optional.";
    "dynamic-values-invalid", Cert, Error, extensions::dynamic_values_invalid,
        summary: "`x-ms-dynamic-values` / `-list` / `-tree` names no operation (nor a capability), or one that does not exist.",
        why: "The designer calls the named operation to fill the dropdown; a missing or wrong name leaves it empty.",
        fix: "Name an existing operationId (and give `value-path` / `itemValuePath` unless it returns plain values).";
    "dynamic-schema-invalid", Cert, Error, extensions::dynamic_schema_invalid,
        summary: "`x-ms-dynamic-schema` / `-properties` names no operation or one that does not exist.",
        why: "The designer calls the named operation for the schema; without it the fields never appear.",
        fix: "Name an existing operationId.";
    "notification-invalid", Cert, Error, extensions::notification_invalid,
        summary: "A webhook trigger lacks `x-ms-notification-content` or a parameter with `x-ms-notification-url`.",
        why: "A webhook trigger registers a callback URL (the notification-url parameter) and describes the payload (notification-content); without either the trigger cannot work.",
        fix: "Add `x-ms-notification-url: true` to the callback parameter and `x-ms-notification-content` with a schema to the path item.";
    "title-too-long", Cert, Error, metadata::title_too_long,
        summary: "`info.title` is longer than 30 characters.",
        why: "Certification limits connector titles to 30 characters.",
        fix: "Shorten the title.";
    "title-restricted-words", Cert, Error, metadata::title_restricted_words,
        summary: "The title contains `API`, `Connector` or a Power Platform product name; or the description names a product.",
        why: "Certification rejects titles and descriptions that repeat the platform's words or claim its product names.",
        fix: "Remove the word: the title is the service's name.";
    "contact-missing", Cert, Error, metadata::contact_missing,
        summary: "`info.contact` is missing or has no name, URL or email.",
        why: "Certification requires a contact for support escalations.",
        fix: "Add `info.contact` with `name`, `url` and `email`.";
    "connector-metadata-missing", Cert, Error, metadata::connector_metadata_missing,
        summary: "`x-ms-connector-metadata` lacks Website, Privacy policy or Categories.",
        why: "Certification requires the publisher's website, privacy policy and categories.",
        fix: "Add `x-ms-connector-metadata` entries `Website`, `Privacy policy` and `Categories`.";
    "connector-categories-invalid", Cert, Warning, metadata::categories_invalid,
        summary: "A category in `x-ms-connector-metadata` Categories is not one of the platform's categories.",
        why: "Unknown categories are dropped from the connector gallery.",
        fix: "Use categories from the documented list, separated by `;`.";
    "operation-summary-missing", Style, Warning, style::summary_missing,
        summary: "An operation has no summary.",
        why: "The summary is the action's name in the designer and in generated docs.",
        fix: "Add a short `summary` in sentence case.";
    "operation-description-missing", Style, Warning, style::description_missing,
        summary: "An operation has no description.",
        why: "Descriptions become tooltips and generated documentation.",
        fix: "Add a `description` saying what the operation does.";
    "parameter-summary-missing", Style, Warning, parameters::summary_missing,
        summary: "A visible parameter has no `x-ms-summary`.",
        why: "`x-ms-summary` is the parameter's label; without it users see the wire name.",
        fix: "Add `x-ms-summary` with a human label.";
    "property-summary-missing", Style, Info, parameters::property_summary_missing,
        summary: "A request body property has no `x-ms-summary`.",
        why: "Body properties show as fields in the designer; `x-ms-summary` is their label.",
        fix: "Add `x-ms-summary` to the property.";
    "error-response-schema", Style, Warning, style::error_response_schema,
        summary: "An operation has no error response schema with code, message and correlation id.",
        why: "Seed 000: one error shape with a code, a message and a correlation id makes failures diagnosable.",
        fix: "Declare a `default` (or 4xx/5xx) response whose schema has `code`, `message` and a correlation id.";
    "throttling-retry-after", Style, Warning, style::retry_after,
        summary: "A 429 response does not declare the `Retry-After` header.",
        why: "Throttled clients need to know when to retry; our runtime honours Retry-After.",
        fix: "Add `Retry-After` to the 429 response's headers.";
    "list-operation-paginated", Style, Info, style::list_paginated,
        summary: "A GET returning a list has no `x-ms-pageable`.",
        why: "Unpaginated lists silently truncate or time out as data grows.",
        fix: "Add `x-ms-pageable` (and a next link in the response).";
    "examples-missing", Style, Info, style::examples_missing,
        summary: "An operation has no example or `x-ms-test-value`.",
        why: "Examples document the payloads and feed tests and mocks.",
        fix: "Add `x-ms-test-value` to parameters or `examples` to responses.";
    "example-secret", Style, Error, security::example_secret,
        summary: "An example or `x-ms-test-value` looks like a real secret.",
        why: "Definitions are published; a real key in an example is a leaked credential.",
        fix: "Replace the value with a placeholder and rotate the secret.";
    "https-only", Style, Error, security::https_only,
        summary: "A scheme, server or OAuth URL uses plain http.",
        why: "Credentials and data must not travel unencrypted.",
        fix: "Use https.";
    "auth-missing", Style, Warning, security::auth_missing,
        summary: "The connector declares no authentication.",
        why: "Seed 000: every connector declares how it authenticates, even when it is `none`-equivalent by design.",
        fix: "Add a security definition and a matching connection parameter.";
    "api-properties-security-mismatch", Style, Warning, security::api_properties_mismatch,
        summary: "apiProperties connection parameters do not match the definition's security schemes.",
        why: "The platform signs in with apiProperties while clients read the definition; when they disagree one of them is wrong.",
        fix: "Declare OAuth in both (securityDefinitions oauth2 + an oauthSetting parameter), or an API key in both (apiKey + securestring).";
    "path-template-name-invalid", Style, Warning, parameters::path_template_name_invalid,
        summary: "A path parameter's name is not a URI template variable name (RFC 6570: letters, digits, `_`, `.`, percent-encoded octets).",
        why: "Tools that match request paths against the template (mock servers, gateways, validators) cannot extract a variable such as `{zip code}`, so every request to the path is rejected.",
        fix: "Rename the parameter, e.g. `zip_code`, in the path and in its definition.";
    "media-type-missing", Style, Warning, media_types::media_type_missing,
        summary: "A Swagger 2.0 operation takes a body (or declares a response schema) while its effective `consumes` (or `produces`) is an empty list.",
        why: "An empty list declares no media type: the Power Platform and the generated client fall back to JSON, but a validator that follows the definition (a mock server, a gateway) rejects the request body (415) or serves no response body.",
        fix: "Declare the media type, e.g. `\"consumes\": [\"application/json\"]`, or remove the empty list so the global one applies.";
}

/// Runs every rule not in `allowed`.
pub(crate) fn run(ctx: &Subject<'_>, allowed: &dyn Fn(&str) -> bool) -> Vec<Pending> {
    let mut all = Vec::new();
    for r in RULES {
        if allowed(r.id) {
            continue;
        }
        let mut emit = Emit {
            rule: r.id,
            out: Vec::new(),
        };
        (r.check)(ctx, &mut emit);
        all.append(&mut emit.out);
    }
    all
}
