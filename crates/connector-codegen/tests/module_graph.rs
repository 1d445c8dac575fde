//! The crate's modules form no import cycle: the plan imports no emitter, and emitters
//! read the plan rather than each other. (Read from the sources: `crate::<module>` paths
//! outside `#[cfg(test)]` code.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level module -> the top-level modules its non-test code names.
fn module_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut files = Vec::new();
    let mut dirs = vec![src.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    for file in files {
        let rel = file.strip_prefix(src).unwrap();
        let module = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_owned();
        if module == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        let uses = graph.entry(module.clone()).or_default();
        for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for (i, _) in line.match_indices("crate::") {
                let rest = &line[i + "crate::".len()..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && name != module {
                    uses.insert(name);
                }
            }
            // `use crate::{a, b::c}` groups.
            if let Some(group) = line.trim().strip_prefix("use crate::{") {
                for part in group.trim_end_matches("};").split(',') {
                    let name = part.trim().split("::").next().unwrap_or_default();
                    if !name.is_empty() && name != module {
                        uses.insert(name.to_owned());
                    }
                }
            }
        }
    }
    graph
}

/// A cycle through `from`, if any.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut c = path[at..].to_vec();
            c.push(node.to_owned());
            return Some(c);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

#[test]
fn codegen_modules_form_no_cycle() {
    let graph = module_graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert_eq!(cycle(&graph), None, "{graph:#?}");
    // The plan reads the model and types; it names no emitter.
    for emitter in [
        "operations",
        "dynamic",
        "triggers",
        "metadata",
        "client",
        "connection",
    ] {
        assert!(!graph["plan"].contains(emitter), "plan imports {emitter}");
    }
    for emitter in ["dynamic", "triggers", "metadata", "platform"] {
        assert!(
            !graph[emitter].contains("operations"),
            "{emitter} imports operations"
        );
    }
}

#[test]
fn spec_modules_form_no_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../connector-spec/src");
    let graph = module_graph(&src);
    assert!(graph.contains_key("normalize") && graph.contains_key("model"));
    // `normalize` submodules reach their parent with `super::`: not a cycle between
    // top-level modules.
    let cycle = cycle(&graph);
    assert!(cycle.is_none(), "{cycle:?}");
}

#[test]
fn no_crate_of_the_workspace_has_a_module_cycle() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut checked = Vec::new();
    for entry in std::fs::read_dir(&crates).unwrap().flatten() {
        let src = entry.path().join("src");
        if !src.is_dir() {
            continue;
        }
        let graph = module_graph(&src);
        let cycle = cycle(&graph);
        assert!(cycle.is_none(), "{}: {cycle:?}", entry.path().display());
        checked.push(entry.file_name());
    }
    // spec, codegen, runtime, the CLI, lint and diff at least.
    assert!(checked.len() >= 6, "{checked:?}");
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let graph: BTreeMap<String, BTreeSet<String>> =
        [("a", vec!["b"]), ("b", vec!["c"]), ("c", vec!["a"])]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.into_iter().map(str::to_owned).collect()))
            .collect();
    assert_eq!(
        cycle(&graph),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
}
