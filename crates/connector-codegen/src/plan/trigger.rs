//! What a trigger operation adds to its builder: for a polling trigger, where each
//! poll's items are and their type; for a webhook, the notification payload's type.
//! Planned with the operation's request, as the types it needs are built.

use connector_spec::{Connector, PolicyTemplate, Schema, SchemaKind};

use super::OperationPlan;
use super::decode::Decode;
use crate::types::{TypeRef, TypeSpace};

/// Where a poll's items are in the response body.
pub enum PollItemsAt {
    /// The body is the item.
    Body,
    /// The body is an array of items.
    Array,
    /// A property of the body holds the items.
    Property(String),
}

/// A trigger's plan.
pub enum TriggerPlan {
    /// Not a trigger.
    None,
    /// A polling trigger whose response is not JSON: no poller.
    NotJson {
        /// `x-ms-trigger`.
        kind: String,
    },
    /// A polling trigger.
    Polling {
        /// `x-ms-trigger`.
        kind: String,
        /// Where the items are.
        items_at: PollItemsAt,
        /// Item type.
        item: TypeRef,
        /// A `pollingtrigger` policy computes the next poll's query.
        policy: bool,
    },
    /// A webhook subscription.
    Webhook {
        /// `x-ms-trigger`, when declared.
        kind: Option<String>,
        /// The notification payload's type and description, when declared.
        notification: Option<(TypeRef, Option<String>)>,
    },
}

/// Plans `plan`'s trigger; `decode` is how its success body decodes.
pub fn plan(
    plan: &OperationPlan<'_>,
    connector: &Connector,
    decode: &Decode,
    space: &mut TypeSpace<'_>,
) -> TriggerPlan {
    let kind = plan.trigger.map(str::to_owned);
    if plan.webhook.is_some() {
        let notification = plan.op.notification.as_ref().map(|content| {
            let hint = format!("{} Notification", plan.builder);
            let t = space.type_for(&content.schema, &hint);
            (t, content.description.clone())
        });
        return TriggerPlan::Webhook { kind, notification };
    }
    match (kind, decode) {
        (Some(kind), Decode::Json(response)) => polling(plan, connector, kind, response, space),
        (Some(kind), _) => TriggerPlan::NotJson { kind },
        (None, _) => TriggerPlan::None,
    }
}

fn polling(
    plan: &OperationPlan<'_>,
    connector: &Connector,
    kind: String,
    response: &TypeRef,
    space: &mut TypeSpace<'_>,
) -> TriggerPlan {
    let op = plan.op;
    let policy = connector
        .policies
        .iter()
        .find(|p| p.template == PolicyTemplate::PollingTrigger && p.applies_to(&op.id));
    let response_schema = op
        .success_response()
        .and_then(|r| r.schema.clone())
        .unwrap_or_default();
    let resolved = space.resolve(&response_schema).clone();
    // Where the items are: the policy's `triggerDataPath`, else the response's shape.
    let data_property = policy
        .and_then(|p| p.parameter_text("triggerDataPath"))
        .and_then(|path| {
            let rest = path
                .trim()
                .strip_prefix("@triggerBody()")?
                .strip_prefix('.')?;
            (!rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
                .then(|| rest.to_owned())
        });
    let array_property = |name: Option<&str>, space: &TypeSpace<'_>| -> Option<(String, Schema)> {
        let SchemaKind::Object(obj) = &resolved.kind else {
            return None;
        };
        let arrays: Vec<(String, Schema)> = obj
            .properties
            .iter()
            .filter_map(|p| match &space.resolve(&p.schema).kind {
                SchemaKind::Array(items) => Some((p.name.clone(), (**items).clone())),
                _ => None,
            })
            .collect();
        match name {
            Some(n) => arrays.into_iter().find(|(p, _)| p == n),
            None => {
                let value = arrays.iter().find(|(p, _)| p == "value").cloned();
                value.or_else(|| (arrays.len() == 1).then(|| arrays[0].clone()))
            }
        }
    };
    let hint = format!("{} Item", plan.builder);
    let (items_at, item) = if kind == "single" && policy.is_none() {
        (PollItemsAt::Body, response.clone())
    } else if let Some(name) = data_property {
        let t = match array_property(Some(&name), space) {
            Some((_, items)) => space.type_for(&items, &hint),
            None => space.type_for(&Schema::default(), &hint),
        };
        (PollItemsAt::Property(name), t)
    } else if let SchemaKind::Array(items) = &resolved.kind {
        let items = (**items).clone();
        (PollItemsAt::Array, space.type_for(&items, &hint))
    } else if let Some((name, items)) = array_property(None, space) {
        (PollItemsAt::Property(name), space.type_for(&items, &hint))
    } else {
        (PollItemsAt::Body, response.clone())
    };
    TriggerPlan::Polling {
        kind,
        items_at,
        item,
        policy: policy.is_some(),
    }
}
