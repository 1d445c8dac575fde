//! Changes to the connector as a whole: base URL, security, connection parameters, docs.

use std::collections::BTreeSet;

use connector_spec::{Connection, ConnectionParameter};

use crate::side::API_PROPERTIES;
use crate::{At, ChangeKind, Differ};

/// Compares what is not in an operation or a named schema.
pub fn compare(d: &mut Differ<'_>) {
    let (old, new) = (&d.old.connector, &d.new.connector);
    let at = At::default();
    if old.base_url != new.base_url {
        let msg = format!(
            "base URL changed from {} to {}",
            old.base_url.as_deref().unwrap_or("(none)"),
            new.base_url.as_deref().unwrap_or("(none)")
        );
        let (po, pn) = (d.old.dialect.base_url(), d.new.dialect.base_url());
        d.push(
            ChangeKind::BaseUrlChanged,
            &at,
            Some(po.into()),
            Some(pn.into()),
            msg,
        );
    }
    if old.title != new.title || old.description != new.description {
        d.push(
            ChangeKind::DocsChanged,
            &at,
            Some("/info".into()),
            Some("/info".into()),
            "the connector's title or description changed".into(),
        );
    }
    let names: BTreeSet<&String> = old
        .security_schemes
        .keys()
        .chain(new.security_schemes.keys())
        .collect();
    for name in names {
        let (o, n) = (
            old.security_schemes.get(name),
            new.security_schemes.get(name),
        );
        if o == n {
            continue;
        }
        let what = match (o, n) {
            (Some(_), None) => "removed",
            (None, Some(_)) => "added",
            _ => "changed",
        };
        let po = o.map(|_| d.old.dialect.security_scheme(name));
        let pn = n.map(|_| d.new.dialect.security_scheme(name));
        d.push(
            ChangeKind::SecuritySchemeChanged,
            &at,
            po,
            pn,
            format!("security scheme `{name}` {what}"),
        );
    }
    if old.security != new.security {
        d.push(
            ChangeKind::SecuritySchemeChanged,
            &at,
            Some("/security".into()),
            Some("/security".into()),
            format!(
                "security requirements changed from [{}] to [{}]",
                old.security.join(", "),
                new.security.join(", ")
            ),
        );
    }
    compare_connection(d);
}

fn params(c: Option<&Connection>) -> Vec<&ConnectionParameter> {
    c.map(Connection::all_parameters).unwrap_or_default()
}

/// Connection parameters shape the generated connection builder: any difference that is
/// not documentation is a change to that API.
fn compare_connection(d: &mut Differ<'_>) {
    let old = params(d.old.connector.connection.as_ref());
    let new = params(d.new.connector.connection.as_ref());
    let at = At::default();
    let ptr = |name: &str| {
        format!(
            "/properties/connectionParameters/{}",
            crate::pointers::escape(name)
        )
    };
    let mut found = Vec::new();
    for o in &old {
        match new.iter().find(|n| n.name == o.name) {
            None => found.push((
                Some(ptr(&o.name)),
                None,
                format!("connection parameter `{}` removed", o.name),
            )),
            Some(n) => {
                if o.kind != n.kind
                    || o.required != n.required
                    || o.allowed_values != n.allowed_values
                {
                    found.push((
                        Some(ptr(&o.name)),
                        Some(ptr(&n.name)),
                        format!("connection parameter `{}` changed type, requiredness or allowed values", o.name),
                    ));
                }
            }
        }
    }
    for n in &new {
        if !old.iter().any(|o| o.name == n.name) {
            found.push((
                None,
                Some(ptr(&n.name)),
                format!("connection parameter `{}` added", n.name),
            ));
        }
    }
    let old_sets: Vec<&str> = set_names(d.old.connector.connection.as_ref());
    let new_sets: Vec<&str> = set_names(d.new.connector.connection.as_ref());
    if old_sets != new_sets {
        let p = "/properties/connectionParameterSets".to_string();
        found.push((
            Some(p.clone()),
            Some(p),
            format!(
                "connection parameter sets changed from [{}] to [{}]",
                old_sets.join(", "),
                new_sets.join(", ")
            ),
        ));
    }
    for (po, pn, msg) in found {
        d.push(ChangeKind::ConnectionChanged, &at, po, pn, msg);
        if let Some(c) = d.changes.last_mut() {
            for site in [c.old.as_mut(), c.new.as_mut()].into_iter().flatten() {
                site.file = API_PROPERTIES.to_string();
            }
        }
    }
}

fn set_names(c: Option<&Connection>) -> Vec<&str> {
    c.map(|c| c.parameter_sets.iter().map(|s| s.name.as_str()).collect())
        .unwrap_or_default()
}
