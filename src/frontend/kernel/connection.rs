//! The connection file a Jupyter client writes and passes as `--connection-file FILE`: where the
//! five sockets listen and the key that signs messages ("Connection files" in the jupyter_client
//! documentation).

use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ConnectionInfo {
    pub transport: String,
    pub ip: String,
    pub shell_port: u16,
    pub iopub_port: u16,
    pub stdin_port: u16,
    pub control_port: u16,
    pub hb_port: u16,
    #[serde(default)]
    pub key: String,
    #[serde(default = "default_scheme")]
    pub signature_scheme: String,
}

fn default_scheme() -> String {
    "hmac-sha256".into()
}

impl ConnectionInfo {
    /// Reads and checks `path`; errors name the file and what is wrong.
    pub fn read(path: &Path) -> Result<ConnectionInfo, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: cannot read the connection file: {e}", path.display()))?;
        let info: ConnectionInfo = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{}: not a Jupyter connection file (line {}, column {}): {e}",
                path.display(),
                e.line(),
                e.column()
            )
        })?;
        if info.transport != "tcp" {
            return Err(format!(
                "{}: transport `{}` is not supported; radnomo's kernel listens on tcp",
                path.display(),
                info.transport
            ));
        }
        if !info.key.is_empty() && info.signature_scheme != "hmac-sha256" {
            return Err(format!(
                "{}: signature scheme `{}` is not supported; use hmac-sha256",
                path.display(),
                info.signature_scheme
            ));
        }
        Ok(info)
    }

    /// The endpoint of one socket: `tcp://127.0.0.1:PORT`.
    pub fn endpoint(&self, port: u16) -> String {
        format!("{}://{}:{port}", self.transport, self.ip)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(name: &str, text: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("radnomo-connection-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn reads_a_client_connection_file() {
        let path = write(
            "ok.json",
            r#"{"shell_port": 5001, "iopub_port": 5002, "stdin_port": 5003, "control_port": 5004,
                "hb_port": 5005, "ip": "127.0.0.1", "key": "abc", "transport": "tcp",
                "signature_scheme": "hmac-sha256", "kernel_name": "radnomo"}"#,
        );
        let info = ConnectionInfo::read(&path).unwrap();
        assert_eq!(info.endpoint(info.hb_port), "tcp://127.0.0.1:5005");
        assert_eq!(info.key, "abc");
    }

    #[test]
    fn bad_files_are_named_with_the_problem() {
        let path = write("broken.json", "{\"shell_port\": 1,\n \"ip\": }");
        let message = ConnectionInfo::read(&path).unwrap_err();
        assert!(message.contains("broken.json"), "{message}");
        assert!(message.contains("line 2"), "{message}");
        let path = write(
            "ipc.json",
            r#"{"shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4,
                "hb_port": 5, "ip": "kernel", "key": "", "transport": "ipc"}"#,
        );
        assert!(
            ConnectionInfo::read(&path)
                .unwrap_err()
                .contains("transport `ipc`")
        );
        let missing = ConnectionInfo::read(Path::new("/nonexistent/kernel-1.json")).unwrap_err();
        assert!(missing.contains("kernel-1.json"), "{missing}");
    }
}
