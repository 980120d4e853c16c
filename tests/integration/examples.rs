//! Every example runs: `examples/*.rad` through `radnomo run`, so they never rot.

use crate::cli::tempfile_folder;
use crate::support::{Run, root};

#[test]
fn every_rad_example_runs() {
    let mut count = 0;
    for entry in std::fs::read_dir(root().join("examples"))
        .unwrap()
        .flatten()
    {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "rad") {
            let plots = tempfile_folder(&format!(
                "example-{}",
                path.file_stem().unwrap().to_string_lossy()
            ));
            Run::args([
                "--plots".as_ref(),
                plots.as_os_str(),
                "run".as_ref(),
                path.as_os_str(),
            ])
            .succeeds();
            count += 1;
        }
    }
    assert!(count >= 1, "no examples ran");
}
