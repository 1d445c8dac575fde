//! An operation's method on `Client` as text (see [`crate::render::text_items`]): the
//! same item [`super::operation`] builds as tokens, printed without syn and
//! prettyplease. The `impl Client` block holding every method is one item, so printed
//! from tokens it is one job at the end of a crate's printing, after every other piece:
//! as text it costs next to nothing. The whole-crate tests generate each crate both ways
//! and compare them byte for byte.

use crate::docs::Doc;
use crate::render::Body;
use crate::render::text_items::{Signature, Stmt, TextFn};

/// One method: `pub fn {method}(&self, args) -> {builder} { {builder} { inits } }`.
pub struct ClientMethod<'a> {
    /// Its doc.
    pub doc: &'a Doc,
    /// Outer attributes, each as prettyplease prints it.
    pub attrs: Vec<String>,
    /// Method name.
    pub method: &'a str,
    /// Builder type.
    pub builder: &'a str,
    /// Parameters after `&self`, as printed.
    pub args: Vec<String>,
    /// Field initializers of the builder (`client: self.clone()`, `id: id.into()`).
    pub inits: Vec<String>,
}

impl ClientMethod<'_> {
    /// The method as prettyplease prints it inside `impl Client`, or `None` when the
    /// text printer declines it.
    pub fn print(self) -> Option<String> {
        let mut params = Vec::with_capacity(self.args.len() + 1);
        params.push("&self".to_owned());
        params.extend(self.args);
        let item = TextFn {
            doc: self.doc.clone(),
            attrs: self.attrs,
            signature: Signature {
                head: format!("pub fn {}", self.method),
                params,
                tail: format!(" -> {}", self.builder),
            },
            body: vec![Stmt::Struct {
                path: self.builder.to_owned(),
                fields: self.inits,
            }],
        };
        let mut out = String::new();
        crate::render::text_items::print_fn_in_impl(&item, &mut out)?;
        Some(out)
    }
}

/// The `impl Client` block of `methods` (each text or tokens, in order), as text: a
/// method the text printer declined is printed alone by prettyplease, inside an
/// `impl Client` of its own whose first and last lines are dropped (the methods of an
/// impl print independently of each other). A method that does not parse is handed on
/// as tokens, for the renderer to report as invalid code in `operations.rs`.
pub fn client_impl(methods: Vec<Body>) -> Body {
    let mut out = String::from("impl Client {\n");
    for m in methods {
        match m {
            Body::Text(text) => out.push_str(&text),
            Body::Tokens(t) => {
                let alone = quote::quote!(impl Client { #t });
                let Ok(file) = syn::parse2::<syn::File>(alone.clone()) else {
                    return Body::Tokens(alone);
                };
                let printed = prettyplease::unparse(&file);
                let inner = printed
                    .strip_prefix("impl Client {\n")
                    .and_then(|rest| rest.strip_suffix("}\n"))
                    .unwrap_or_default();
                out.push_str(inner);
            }
        }
    }
    out.push_str("}\n");
    Body::Text(out)
}

#[cfg(test)]
mod tests {
    use connector_spec::Connector;

    use crate::mock::text_items::tests::text_printing_inputs;
    use crate::operations::Builders;
    use crate::plan::Plan;
    use crate::render::Body;
    use crate::types::TypeSpace;

    /// `impl Client` of `connector`, built with text printing on or off.
    fn client_impl(connector: &Connector, tokens_only: bool) -> Option<Body> {
        let plan = Plan::new(connector);
        let mut space = TypeSpace::new(connector);
        let mut builders = Builders::default();
        if tokens_only {
            builders.tokens_only();
        }
        while builders.next_batch(&plan, &mut space).is_some() {}
        builders.finish(&plan).client_impl
    }

    fn printed(body: Body) -> String {
        match body {
            Body::Text(text) => text,
            Body::Tokens(tokens) => {
                prettyplease::unparse(&syn::parse2(tokens).expect("impl Client parses"))
            }
        }
    }

    #[test]
    fn impl_client_prints_as_text_exactly_as_its_tokens_print() {
        let inputs = text_printing_inputs();
        for (name, connector) in &inputs {
            let text = client_impl(connector, false).expect("has operations");
            let tokens = client_impl(connector, true).expect("has operations");
            assert!(matches!(tokens, Body::Tokens(_)), "{name}");
            // The block is text, also where some methods are left to prettyplease (the
            // widest of the widths document, lifecycle-demo's long
            // `#[deprecated(note = ..)]` lines, some of the hostile definition's).
            assert!(matches!(text, Body::Text(_)), "{name}");
            assert_eq!(printed(text), printed(tokens), "{name}");
        }
    }
}
