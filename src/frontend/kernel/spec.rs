//! The kernelspec Jupyter finds radnomo by (`radnomo kernel install`): a folder
//! `…/share/jupyter/kernels/NAME/` holding `kernel.json` with the command that starts the kernel,
//! the display name and language, and `interrupt_mode: message` (interrupts arrive as
//! interrupt_request on control, not as signals), and the logo files. JupyterLab, Notebook, nbclient, Quarto and VS
//! Code all read the same folder.

use serde_json::json;
use std::path::{Path, PathBuf};

/// Where to install: the user's data folder, the active Python environment, or a prefix.
#[derive(Debug, Clone, PartialEq)]
pub enum Location {
    User,
    SysPrefix,
    Prefix(PathBuf),
}

/// The kernels folder of `location`.
pub fn kernels_folder(location: &Location) -> Result<PathBuf, String> {
    let prefix = match location {
        Location::User => {
            if let Some(data) = std::env::var_os("JUPYTER_DATA_DIR") {
                return Ok(PathBuf::from(data).join("kernels"));
            }
            let home = std::env::var_os("HOME").ok_or("HOME is not set; give --prefix DIR")?;
            return Ok(PathBuf::from(home).join(".local/share/jupyter/kernels"));
        }
        Location::SysPrefix => PathBuf::from(
            std::env::var_os("VIRTUAL_ENV")
                .or_else(|| std::env::var_os("CONDA_PREFIX"))
                .ok_or(
                    "no active Python environment (VIRTUAL_ENV or CONDA_PREFIX); give --prefix DIR",
                )?,
        ),
        Location::Prefix(dir) => dir.clone(),
    };
    Ok(prefix.join("share/jupyter/kernels"))
}

/// The kernel.json for the executable at `program`.
pub fn kernel_json(program: &Path, name: &str) -> String {
    let spec = json!({
        "argv": [program.display().to_string(), "kernel", "--connection-file", "{connection_file}"],
        "display_name": if name == "radnomo" { "radnomo".to_string() } else { format!("radnomo ({name})") },
        "language": "radnomo",
        "interrupt_mode": "message",
        "metadata": {"debugger": false},
    });
    serde_json::to_string_pretty(&spec).expect("JSON") + "\n"
}

/// Writes the kernelspec; returns its folder.
pub fn install(location: &Location, name: &str, program: &Path) -> Result<PathBuf, String> {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        return Err(format!(
            "`{name}` is not a kernel name (letters, digits, - _ .)"
        ));
    }
    let folder = kernels_folder(location)?.join(name);
    std::fs::create_dir_all(&folder).map_err(|e| {
        format!(
            "{}: cannot create the kernelspec folder: {e}",
            folder.display()
        )
    })?;
    let file = folder.join("kernel.json");
    std::fs::write(&file, kernel_json(program, name))
        .map_err(|e| format!("{}: {e}", file.display()))?;
    for (file_name, contents) in super::logo::files()? {
        let file = folder.join(file_name);
        std::fs::write(&file, contents).map_err(|e| format!("{}: {e}", file.display()))?;
    }
    Ok(folder)
}

/// Removes the kernelspec; returns its folder.
pub fn uninstall(location: &Location, name: &str) -> Result<PathBuf, String> {
    let folder = kernels_folder(location)?.join(name);
    if !folder.join("kernel.json").exists() {
        return Err(format!("no radnomo kernelspec at {}", folder.display()));
    }
    std::fs::remove_dir_all(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    Ok(folder)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installs_and_uninstalls_under_a_prefix() {
        let prefix =
            std::env::temp_dir().join(format!("radnomo-kernelspec-{}", std::process::id()));
        let location = Location::Prefix(prefix.clone());
        let folder = install(&location, "radnomo", Path::new("/opt/bin/radnomo")).unwrap();
        assert_eq!(folder, prefix.join("share/jupyter/kernels/radnomo"));
        let spec: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(folder.join("kernel.json")).unwrap())
                .unwrap();
        assert_eq!(spec["argv"][0], "/opt/bin/radnomo");
        assert_eq!(spec["argv"][3], "{connection_file}");
        assert_eq!(spec["interrupt_mode"], "message");
        assert_eq!(spec["display_name"], "radnomo");
        for logo in ["logo-svg.svg", "logo-32x32.png", "logo-64x64.png"] {
            assert!(folder.join(logo).is_file(), "{logo} missing");
        }
        assert!(install(&location, "bad name", Path::new("x")).is_err());
        uninstall(&location, "radnomo").unwrap();
        assert!(!folder.exists());
        assert!(
            uninstall(&location, "radnomo")
                .unwrap_err()
                .contains("no radnomo kernelspec")
        );
    }
}
