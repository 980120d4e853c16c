//! radnomo as a Jupyter kernel: messages on the wire with their HMAC-SHA256 signatures
//! (`wire.rs`), the connection file (`connection.rs`), the sockets and loops (`server.rs`), the
//! answers to each request from the same `Session` as the REPL (`handlers.rs`) and results as
//! MIME bundles (`mime.rs`), long steps' progress bars (`progress.rs`) and the kernelspec
//! (`spec.rs`).

pub mod cell;
pub mod connection;
pub mod handlers;
pub mod logo;
pub mod mime;
pub mod progress;
pub mod server;
pub mod spec;
pub mod wire;

/// Runs the kernel on the sockets a client's connection file names.
pub fn run(connection_file: &std::path::Path) -> Result<(), String> {
    let info = connection::ConnectionInfo::read(connection_file)?;
    server::run(info)
}
