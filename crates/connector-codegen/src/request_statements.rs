//! The statements of a request builder's `request()`: each parameter, then the body
//! (JSON, bytes or a form with its fields).

use connector_spec::{CollectionFormat, ParamLocation};
use proc_macro2::TokenStream;
use quote::quote;

use crate::imports::Imports;
use crate::names::ident;
use crate::plan::request::{BodyKind, ParamField, RequestPlan};
use crate::runtime_paths as rt;

/// The statement that puts the body on the request, if any.
pub(crate) fn body_statement(req: &RequestPlan, imports: &mut Imports) -> Option<TokenStream> {
    match (&req.body, &req.body_field) {
        (BodyKind::Json { required, .. }, Some(name)) => {
            let id = ident(name);
            Some(if *required {
                quote!(request.json(&self.#id)?;)
            } else {
                quote! {
                    if let Some(body) = &self.#id {
                        request.json(body)?;
                    }
                }
            })
        }
        (BodyKind::Bytes { media, required }, Some(name)) => {
            let id = ident(name);
            Some(if *required {
                quote!(request.bytes(#media, self.#id.clone());)
            } else {
                quote! {
                    if let Some(body) = &self.#id {
                        request.bytes(#media, body.clone());
                    }
                }
            })
        }
        (BodyKind::Form { multipart }, _) => {
            imports.runtime(rt::FORM);
            if req.form_fields.is_empty() {
                return Some(quote!(request.form(Form::new(#multipart));));
            }
            let fields = req.form_fields.iter().map(form_statement);
            Some(quote! {
                let mut form = Form::new(#multipart);
                #(#fields)*
                request.form(form);
            })
        }
        _ => None,
    }
}

/// The statement that puts one form field on the form.
fn form_statement(p: &ParamField) -> TokenStream {
    let id = ident(&p.field);
    let wire = &p.wire;
    let csv = {
        let format = rt::COLLECTION_FORMAT.ident();
        quote!(#format::Csv)
    };
    match (p.is_file, p.required, p.list.is_some()) {
        (true, true, _) => quote!(form.file(#wire, self.#id.clone());),
        (true, false, _) => quote! {
            if let Some(file) = &self.#id {
                form.file(#wire, file.clone());
            }
        },
        (false, true, true) => quote!(form.field(#wire, Request::join(&self.#id, #csv));),
        (false, false, true) => quote! {
            if let Some(values) = &self.#id {
                form.field(#wire, Request::join(values, #csv));
            }
        },
        (false, true, false) => quote!(form.field(#wire, &self.#id);),
        (false, false, false) => quote!(form.field_opt(#wire, self.#id.as_ref());),
    }
}

pub(crate) fn param_statement(p: &ParamField) -> TokenStream {
    let id = ident(&p.field);
    let wire = &p.wire;
    let format = p.list.map(|f| {
        let v = ident(match f {
            CollectionFormat::Csv => "Csv",
            CollectionFormat::Ssv => "Ssv",
            CollectionFormat::Tsv => "Tsv",
            CollectionFormat::Pipes => "Pipes",
            CollectionFormat::Multi => "Multi",
        });
        let format = rt::COLLECTION_FORMAT.ident();
        quote!(#format::#v)
    });
    if let Some(default) = &p.default {
        let call = match p.location {
            ParamLocation::Path if p.double => quote!(path_param_double),
            ParamLocation::Path => quote!(path_param),
            ParamLocation::Header | ParamLocation::Cookie => quote!(header),
            ParamLocation::Query => quote!(query),
        };
        return quote! {
            match &self.#id {
                Some(value) => request.#call(#wire, value),
                None => request.#call(#wire, #default),
            };
        };
    }
    match (p.location, p.required, &format) {
        (ParamLocation::Path, _, None) => {
            if p.double {
                quote!(request.path_param_double(#wire, &self.#id);)
            } else {
                quote!(request.path_param(#wire, &self.#id);)
            }
        }
        (ParamLocation::Path, _, Some(f)) => {
            if p.double {
                quote!(request.path_param_double(#wire, Request::join(&self.#id, #f));)
            } else {
                quote!(request.path_param(#wire, Request::join(&self.#id, #f));)
            }
        }
        (ParamLocation::Query, true, None) => quote!(request.query(#wire, &self.#id);),
        (ParamLocation::Query, false, None) => quote!(request.query_opt(#wire, self.#id.as_ref());),
        (ParamLocation::Query, true, Some(f)) => quote!(request.query_list(#wire, &self.#id, #f);),
        (ParamLocation::Query, false, Some(f)) => quote! {
            if let Some(values) = &self.#id {
                request.query_list(#wire, values, #f);
            }
        },
        (ParamLocation::Header, true, None) => quote!(request.header(#wire, &self.#id);),
        (ParamLocation::Header, false, None) => {
            quote!(request.header_opt(#wire, self.#id.as_ref());)
        }
        (ParamLocation::Header, true, Some(f)) => {
            quote!(request.header(#wire, Request::join(&self.#id, #f));)
        }
        (ParamLocation::Header, false, Some(f)) => quote! {
            if let Some(values) = &self.#id {
                request.header(#wire, Request::join(values, #f));
            }
        },
        (ParamLocation::Cookie, required, f) => {
            let value = match f {
                Some(f) => quote!(Request::join(v, #f)),
                None => {
                    let path = rt::PARAM_VALUE;
                    quote!(#path::to_param(v))
                }
            };
            let prefix = format!("{wire}=");
            if required {
                quote! {
                    let v = &self.#id;
                    request.header("Cookie", format!("{}{}", #prefix, #value));
                }
            } else {
                quote! {
                    if let Some(v) = &self.#id {
                        request.header("Cookie", format!("{}{}", #prefix, #value));
                    }
                }
            }
        }
    }
}
