//! The renderer's tests: chunked and threaded printing, piece order, text pieces.
use super::*;
use quote::quote;

/// `pub struct <name>;`: a one-line item for the ordering tests.
fn item(name: &str) -> TokenStream {
    let name = quote::format_ident!("{name}");
    quote!(
        pub struct #name;
    )
}

/// The head item of `x.rs` in the ordering tests.
fn head() -> TokenStream {
    quote!(
        #[doc = "Head."]
        pub struct H;
    )
}

/// `x.rs` printed whole: the head, then an [`item`] per name.
fn headed(names: &[&str]) -> String {
    let mut tokens = head();
    tokens.extend(names.iter().map(|n| item(n)));
    rust_file("x.rs", tokens).expect("prints")
}

fn sample() -> TokenStream {
    let mut items = vec![quote! {
        //! Not a doc here: inner docs come as attributes.
        #![doc = "Crate docs."]
        #![allow(dead_code)]
        use std::collections::BTreeMap;
        use std::fmt;
    }];
    for i in 0..40 {
        let name = quote::format_ident!("Item{i}");
        let doc = format!(" Item {i} with \"quotes\" and {{braces}}.");
        items.push(quote! {
            #[doc = #doc]
            #[derive(Debug, Clone)]
            pub struct #name {
                /// A field.
                pub a: Option<BTreeMap<String, Vec<u8>>>,
            }
            impl #name {
                pub const DEFAULT: Self = Self { a: None };
                pub fn get(&self) -> usize {
                    match &self.a { Some(m) => { m.len() } None => 0 }
                }
            }
            impl fmt::Display for #name {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str("x") }
            }
            pub type Alias = #name;
            const X: #name = #name { a: None };
            connector_runtime::string_enum!(#name);
        });
    }
    quote!(#(#items)*)
}

#[test]
fn chunked_printing_matches_whole_printing() {
    let tokens = sample();
    let whole = layout::finish(&print(&tokens.to_string()).expect("parses"));
    for size in [1, 70, 500, 3000] {
        let parts = chunks(tokens.clone(), size);
        assert!(parts.len() > 1, "size {size} cuts the file");
        let joined: String = parts
            .iter()
            .map(|p| print(p).expect("each chunk parses"))
            .collect();
        assert_eq!(layout::finish(&joined), whole, "chunk size {size}");
    }
}

#[test]
fn files_finished_on_threads_are_each_finished_and_keep_their_order() {
    let one = print(&sample().to_string()).expect("parses");
    let texts: Vec<String> = (0..5)
        .map(|i| format!("{}\npub struct File{i};\n", one.repeat(i + 1)))
        .collect();
    let expected: Vec<String> = texts.iter().map(|t| layout::finish(t)).collect();
    assert_ne!(expected[0], texts[0], "finish changes the text");
    for threads in [1, 2, 3, 8] {
        assert_eq!(
            finish_files(texts.clone(), threads),
            expected,
            "{threads} threads"
        );
    }
    assert!(finish_files(Vec::new(), 2).is_empty());
}

#[test]
fn many_files_print_in_order_on_threads() {
    let files: Vec<(String, TokenStream)> =
        (0..6).map(|i| (format!("f{i}.rs"), sample())).collect();
    let printed = rust_files(files, true).expect("prints");
    let one = rust_file("f.rs", sample()).expect("prints");
    assert_eq!(printed.len(), 6);
    assert!(printed.iter().all(|p| *p == one));
    assert!(one.contains("pub struct Item39"), "{one}");
}

#[test]
fn streamed_files_keep_their_names_and_order() {
    let pieces = vec![
        Piece::file("b.rs", sample()),
        Piece::file(
            "a.rs",
            quote!(
                fn a() {}
            ),
        ),
        Piece::file("c.rs", sample()),
    ];
    let printed = rust_files_streaming(true, pieces).expect("prints");
    let names: Vec<&str> = printed.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["b.rs", "a.rs", "c.rs"]);
    assert_eq!(printed[0].1, rust_file("x.rs", sample()).expect("prints"));
    assert_eq!(printed[1].1, "fn a() {}\n");
}

#[test]
fn pieces_join_by_order_then_arrival_whatever_order_they_arrive_in() {
    let whole = headed(&["A", "B", "C", "Z"]);
    for large in [false, true] {
        // The head arrives after the parts it precedes, and another file between.
        let pieces = vec![
            Piece::part("x.rs", 1, item("A")),
            Piece::file("y.rs", item("Y")),
            Piece::part("x.rs", 1, item("B")),
            Piece::part("x.rs", 2, item("Z")),
            Piece::part("x.rs", 1, item("C")),
            Piece::file("x.rs", head()),
        ];
        let printed = rust_files_streaming(large, pieces).expect("prints");
        let names: Vec<&str> = printed.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["x.rs", "y.rs"], "large: {large}");
        assert_eq!(printed[0].1, whole, "large: {large}");
    }
}

#[test]
fn text_pieces_take_their_place_among_token_pieces_small_or_large() {
    let printed = |name: &str| print(&item(name).to_string()).expect("prints");
    let whole = headed(&["A", "B", "C"]);
    for large in [false, true] {
        let pieces = vec![
            Piece::of("x.rs", 1, Body::Text(printed("A"))),
            Piece::part("x.rs", 1, item("B")),
            Piece::of("x.rs", 1, Body::Text(printed("C"))),
            Piece::file("x.rs", head()),
        ];
        let files = rust_files_streaming(large, pieces).expect("prints");
        assert_eq!(files[0].1, whole, "large: {large}");
    }
    // Lexed back for the build.rs module.
    let joined = join_pieces(vec![
        Piece::of("x.rs", 0, Body::Text(printed("A"))),
        Piece::part("x.rs", 0, item("B")),
    ])
    .expect("lexes");
    assert_eq!(
        joined[0].1.to_string(),
        quote!(
            pub struct A;
            pub struct B;
        )
        .to_string()
    );
}

#[test]
fn a_chunk_that_does_not_parse_names_its_file() {
    for large in [false, true] {
        let files = vec![
            (
                "src/x.rs".to_owned(),
                quote!(
                    fn g() {}
                ),
            ),
            ("src/bad.rs".to_owned(), quote!(fn f() -> {})),
        ];
        match rust_files(files, large) {
            Err(GenerateError::InvalidCode { file, .. }) => assert_eq!(file, "src/bad.rs"),
            other => panic!("expected InvalidCode, got {other:?}"),
        }
    }
}
