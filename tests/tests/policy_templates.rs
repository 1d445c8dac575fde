//! The loader (which warns about unknown policy templates) and the runtime (which runs
//! them) each keep the list of template ids, because neither layer may depend on the
//! other. This keeps the two lists from drifting apart.

#[test]
fn loader_and_runtime_know_the_same_policy_templates() {
    let mut loader: Vec<&str> = connector_spec::KNOWN_POLICY_TEMPLATES.to_vec();
    let mut runtime: Vec<&str> = connector_runtime::policy::KNOWN_TEMPLATES.to_vec();
    loader.sort_unstable();
    runtime.sort_unstable();
    assert_eq!(
        loader, runtime,
        "a template the loader accepts silently must be one the runtime runs"
    );
    for id in &runtime {
        assert!(connector_spec::is_known_policy_template(&id.to_uppercase()));
    }
}
