//! Connector-level certification rules: title, description, contact, metadata.

use serde_json::Value;

use super::Emit;
use crate::context::Subject;

/// Longest title certification accepts.
const MAX_TITLE: usize = 30;
/// Words a title may not contain (whole words, case-insensitive).
const TITLE_WORDS: &[&str] = &["api", "connector"];
/// Product names neither the title nor the description may claim.
const PRODUCTS: &[&str] = &[
    "power apps",
    "powerapps",
    "power automate",
    "power platform",
    "copilot studio",
    "logic apps",
    "microsoft flow",
];
/// Categories of the connector gallery (`x-ms-connector-metadata` Categories).
pub(crate) const CATEGORIES: &[&str] = &[
    "AI",
    "Business Intelligence",
    "Business Management",
    "Collaboration",
    "Commerce",
    "Communication",
    "Content and Files",
    "Data",
    "Finance",
    "Human Resources",
    "Internet of Things",
    "IT Operations",
    "Lifestyle and Entertainment",
    "Marketing",
    "Productivity",
    "Sales and CRM",
    "Security",
    "Social Media",
    "Website",
];

pub(crate) fn title_too_long(ctx: &Subject<'_>, out: &mut Emit) {
    let n = ctx.c.title.chars().count();
    if n > MAX_TITLE {
        out.at(
            "/info/title",
            format!("title is {n} characters (at most {MAX_TITLE})"),
        );
    }
}

/// Whether `phrase` occurs in `text` as whole words (case-insensitive).
fn contains_words(text: &str, phrase: &str) -> bool {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let want: Vec<&str> = phrase.split(' ').collect();
    words
        .windows(want.len())
        .any(|w| w.iter().zip(&want).all(|(a, b)| a == b))
}

pub(crate) fn title_restricted_words(ctx: &Subject<'_>, out: &mut Emit) {
    let title = &ctx.c.title;
    for w in TITLE_WORDS.iter().chain(PRODUCTS) {
        if contains_words(title, w) {
            out.at(
                "/info/title",
                format!("title contains the restricted word `{w}`"),
            );
        }
    }
    if let Some(d) = &ctx.c.description {
        for w in PRODUCTS {
            if contains_words(d, w) {
                out.at(
                    "/info/description",
                    format!("description names the product `{w}`"),
                );
            }
        }
    }
}

pub(crate) fn contact_missing(ctx: &Subject<'_>, out: &mut Emit) {
    let contact = ctx.doc.pointer("/info/contact");
    let filled = contact.is_some_and(|c| {
        ["name", "url", "email"].iter().any(|k| {
            c.get(*k)
                .and_then(Value::as_str)
                .is_some_and(|s| !s.trim().is_empty())
        })
    });
    if !filled {
        let (pointer, what) = match contact {
            Some(_) => ("/info/contact", "info.contact has no name, url or email"),
            None => ("/info", "info.contact is missing"),
        };
        out.at(pointer, what);
    }
}

fn metadata_value<'a>(ctx: &'a Subject<'_>, name: &str) -> Option<&'a str> {
    ctx.c
        .connector_metadata
        .iter()
        .find(|m| m.name.trim().eq_ignore_ascii_case(name))
        .map(|m| m.value.as_str())
}

pub(crate) fn connector_metadata_missing(ctx: &Subject<'_>, out: &mut Emit) {
    let pointer = if ctx.doc.get("x-ms-connector-metadata").is_some() {
        "/x-ms-connector-metadata"
    } else {
        ""
    };
    for name in ["Website", "Privacy policy", "Categories"] {
        if metadata_value(ctx, name).is_none_or(|v| v.trim().is_empty()) {
            out.at(pointer, format!("x-ms-connector-metadata has no `{name}`"));
        }
    }
}

pub(crate) fn categories_invalid(ctx: &Subject<'_>, out: &mut Emit) {
    let Some(value) = metadata_value(ctx, "Categories") else {
        return;
    };
    for cat in value
        .split([';', ','])
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        if !CATEGORIES.iter().any(|k| k.eq_ignore_ascii_case(cat)) {
            out.at(
                "/x-ms-connector-metadata",
                format!("`{cat}` is not a connector category"),
            );
        }
    }
}
