//! The grammar corpus: every `grammar/corpus/*.rad` parses to the tree (good-*) or the rendered
//! error (bad-*) in the `.expected` file beside it. `BLESS=1 cargo test corpus` rewrites them.

use crate::support::{assert_golden, root};
use radnomo::Session;

#[test]
fn every_corpus_case_gives_its_expected_tree_or_error() {
    let folder = root().join("grammar/corpus");
    let mut cases: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "rad"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 15, "the corpus has {} cases", cases.len());
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let source = std::fs::read_to_string(&case).unwrap();
        let actual = match Session::parse(&source) {
            Ok(script) => {
                assert!(
                    name.starts_with("good-"),
                    "{name} parsed but is a bad case:\n{script}"
                );
                script.to_string()
            }
            Err(error) => {
                assert!(
                    name.starts_with("bad-"),
                    "{name} failed but is a good case:\n{}",
                    error.render(&source, Some(&name))
                );
                format!("{}\n", error.render(&source, Some(&name)))
            }
        };
        assert_golden(case.with_extension("expected"), &actual);
    }
}
