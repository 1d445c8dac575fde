//! Security schemes and requirements.

use std::collections::BTreeMap;

use openapiv3::{APIKeyLocation, ReferenceOr, SecurityRequirement};

use super::Norm;
use crate::model::{ParamLocation, SecurityScheme};

/// Scheme names of requirements, in order, without duplicates.
pub(crate) fn names(reqs: &[SecurityRequirement]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in reqs {
        for name in r.keys() {
            if !out.contains(name) {
                out.push(name.clone());
            }
        }
    }
    out
}

impl Norm<'_, '_> {
    pub(crate) fn security_schemes(&mut self) -> BTreeMap<String, SecurityScheme> {
        let mut out = BTreeMap::new();
        let Some(c) = &self.api.components else {
            return out;
        };
        for (name, s) in &c.security_schemes {
            let scheme = match s {
                ReferenceOr::Reference { .. } => {
                    self.rep.warn(
                        &format!(
                            "/components/securitySchemes/{}",
                            crate::pointer::escape(name)
                        ),
                        "security scheme references are not supported; ignored",
                    );
                    continue;
                }
                ReferenceOr::Item(s) => convert(s),
            };
            out.insert(name.clone(), scheme);
        }
        out
    }
}

fn convert(s: &openapiv3::SecurityScheme) -> SecurityScheme {
    match s {
        openapiv3::SecurityScheme::APIKey { location, name, .. } => SecurityScheme::ApiKey {
            name: name.clone(),
            location: match location {
                APIKeyLocation::Query => ParamLocation::Query,
                APIKeyLocation::Header => ParamLocation::Header,
                APIKeyLocation::Cookie => ParamLocation::Cookie,
            },
        },
        openapiv3::SecurityScheme::HTTP { scheme, .. } => {
            if scheme.eq_ignore_ascii_case("basic") {
                SecurityScheme::Basic
            } else if scheme.eq_ignore_ascii_case("bearer") {
                SecurityScheme::Bearer
            } else {
                SecurityScheme::Other {
                    kind: format!("http:{scheme}"),
                }
            }
        }
        openapiv3::SecurityScheme::OAuth2 { flows, .. } => {
            let sorted = |m: &indexmap::IndexMap<String, String>| {
                let mut v: Vec<String> = m.keys().cloned().collect();
                v.sort();
                v
            };
            if let Some(f) = &flows.authorization_code {
                SecurityScheme::OAuth2 {
                    flow: "authorizationCode".into(),
                    authorization_url: Some(f.authorization_url.clone()),
                    token_url: Some(f.token_url.clone()),
                    refresh_url: f.refresh_url.clone(),
                    scopes: sorted(&f.scopes),
                }
            } else if let Some(f) = &flows.implicit {
                SecurityScheme::OAuth2 {
                    flow: "implicit".into(),
                    authorization_url: Some(f.authorization_url.clone()),
                    token_url: None,
                    refresh_url: f.refresh_url.clone(),
                    scopes: sorted(&f.scopes),
                }
            } else if let Some(f) = &flows.client_credentials {
                SecurityScheme::OAuth2 {
                    flow: "clientCredentials".into(),
                    authorization_url: None,
                    token_url: Some(f.token_url.clone()),
                    refresh_url: f.refresh_url.clone(),
                    scopes: sorted(&f.scopes),
                }
            } else if let Some(f) = &flows.password {
                SecurityScheme::OAuth2 {
                    flow: "password".into(),
                    authorization_url: None,
                    token_url: Some(f.token_url.clone()),
                    refresh_url: f.refresh_url.clone(),
                    scopes: sorted(&f.scopes),
                }
            } else {
                SecurityScheme::Other {
                    kind: "oauth2".into(),
                }
            }
        }
        openapiv3::SecurityScheme::OpenIDConnect { .. } => SecurityScheme::Other {
            kind: "openIdConnect".into(),
        },
    }
}
