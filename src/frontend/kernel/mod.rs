//! The Jupyter kernel (issue in progress): so far the parts that need no sockets — messages on
//! the wire with their HMAC-SHA256 signatures (`wire.rs`) and the connection file
//! (`connection.rs`). The ZeroMQ transport, the request handlers and `radnomo kernel install`
//! build on these.

pub mod connection;
pub mod wire;
