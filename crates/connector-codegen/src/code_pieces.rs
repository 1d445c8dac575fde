//! The typed parts of a crate, `src/types.rs` and `src/operations.rs`, as a lazy
//! sequence of [`Piece`]s: the named schemas' types in batches, then the request
//! builders in batches with the types they brought, and last each file's head (imports,
//! `impl Client`), which needs everything before it. Generators hand out items; the
//! renderer ([`crate::render`]) alone places each piece in its file and prints, which it
//! can start while the next pieces are built.

use std::collections::VecDeque;

use connector_spec::Connector;
use proc_macro2::TokenStream;
use quote::quote;

use crate::customize::TypeCustomizer;
use crate::operations::Builders;
use crate::plan::Plan;
use crate::render::Piece;
use crate::types::TypeSpace;

/// Path of the operations module in the crate.
pub const OPERATIONS: &str = "src/operations.rs";
/// Path of the types module in the crate.
pub const TYPES: &str = "src/types.rs";

/// Where the sequence is.
enum Stage {
    /// Building the named schemas' types.
    Schemas,
    /// Building request builders.
    Operations,
    /// Every piece built; handing out what is queued.
    Done,
}

/// The pieces of `types.rs` and `operations.rs`, built as they are asked for.
pub struct CodePieces<'p, 'c> {
    plan: &'p Plan<'c>,
    space: TypeSpace<'c>,
    builders: Builders,
    stage: Stage,
    queued: VecDeque<Piece>,
    /// `[types]` customizations applied to `types.rs` items.
    customizer: Option<TypeCustomizer>,
}

impl<'p, 'c> CodePieces<'p, 'c> {
    /// The pieces of `connector`'s typed modules, following `plan`.
    pub fn new(connector: &'c Connector, plan: &'p Plan<'c>) -> Self {
        CodePieces {
            plan,
            space: TypeSpace::new(connector),
            builders: Builders::default(),
            stage: Stage::Schemas,
            queued: VecDeque::new(),
            customizer: None,
        }
    }

    /// Apply `customizer` (when given) to the items of `types.rs`.
    pub fn customized(mut self, customizer: Option<TypeCustomizer>) -> Self {
        self.customizer = customizer;
        self
    }

    /// Print every item through tokens, none as text (the equivalence tests compare
    /// both ways).
    pub fn tokens_only(mut self, tokens_only: bool) -> Self {
        if tokens_only {
            self.builders.tokens_only();
        }
        self
    }

    /// A body piece of `types.rs`, unless there is nothing in it.
    fn queue_types(&mut self, items: Vec<TokenStream>) {
        let items = match &self.customizer {
            Some(c) => c.apply(items),
            None => items,
        };
        if !items.is_empty() {
            self.queued
                .push_back(Piece::part(TYPES, 1, quote!(#(#items)*)));
        }
    }

    /// Queues the heads of both files and what is left of the types.
    fn finish(&mut self) {
        let builders = std::mem::take(&mut self.builders);
        let mut ops = builders.finish(self.plan);
        let decoders =
            crate::webhooks::decoders(self.plan.connector, &mut self.space, &mut ops.imports);
        ops.items.extend(decoders);
        let (op_imports, op_items) = (ops.imports.tokens(), ops.items);
        self.queued
            .push_back(Piece::file(crate::mock::MOCK, ops.mock_head));
        // The head of `operations.rs`: docs and imports, `impl Client`, the rest, each
        // a piece of order 0 in that order.
        self.queued.push_back(Piece::file(
            OPERATIONS,
            quote! {
                //! One request builder per operation; start from [the methods on `Client`](super::Client).
                #op_imports
            },
        ));
        if let Some(client_impl) = ops.client_impl {
            self.queued.push_back(Piece::of(OPERATIONS, 0, client_impl));
        }
        if !op_items.is_empty() {
            self.queued
                .push_back(Piece::file(OPERATIONS, quote!(#(#op_items)*)));
        }
        let rest = self.space.take_items();
        self.queue_types(rest);
        let type_imports = self.space.imports.tokens();
        self.queued.push_back(Piece::file(
            TYPES,
            quote! {
                //! A type per schema of the definition.
                #type_imports
            },
        ));
    }
}

impl Iterator for CodePieces<'_, '_> {
    type Item = Piece;

    fn next(&mut self) -> Option<Piece> {
        loop {
            if let Some(piece) = self.queued.pop_front() {
                return Some(piece);
            }
            match self.stage {
                Stage::Schemas => match self.space.next_named_batch() {
                    Some(items) => self.queue_types(items),
                    None => self.stage = Stage::Operations,
                },
                Stage::Operations => match self.builders.next_batch(self.plan, &mut self.space) {
                    Some((builders, types)) => {
                        self.queued.push_back(Piece::part(OPERATIONS, 1, builders));
                        for mocks in self.builders.take_mocks() {
                            self.queued
                                .push_back(Piece::of(crate::mock::MOCK, 1, mocks));
                        }
                        self.queue_types(types);
                    }
                    None => {
                        self.finish();
                        self.stage = Stage::Done;
                    }
                },
                Stage::Done => return None,
            }
        }
    }
}
