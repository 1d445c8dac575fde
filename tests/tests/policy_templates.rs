//! The template list exists once, in `connector_spec::PolicyTemplate`; codegen maps each
//! variant to the runtime's `PolicyKind` with an exhaustive match. The runtime cannot
//! depend on the model, so this checks the two enums name the same templates.

use connector_runtime::PolicyKind;
use connector_spec::PolicyTemplate;

#[test]
fn model_and_runtime_know_the_same_policy_templates() {
    let mut model: Vec<&str> = PolicyTemplate::ALL.iter().map(PolicyTemplate::id).collect();
    let mut runtime: Vec<&str> = PolicyKind::ALL.iter().map(|k| k.id()).collect();
    model.sort_unstable();
    runtime.sort_unstable();
    assert_eq!(
        model, runtime,
        "a template the loader accepts silently must be one the runtime runs"
    );
    for id in &runtime {
        assert!(PolicyTemplate::from_id(&id.to_uppercase()).is_known());
    }
}
