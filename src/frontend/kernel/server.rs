//! The kernel's sockets and request loop (Jupyter messaging protocol 5.3 over ZeroMQ, pure Rust):
//! shell and control (ROUTER), iopub (PUB), stdin (ROUTER, unused: radnomo never asks for
//! input) and heartbeat (REP, echoes). Every request is wrapped in iopub `busy` … `idle` with the
//! request as parent; a message whose signature does not verify is logged and dropped. Commands
//! run off the socket loops, so an `interrupt_request` on control reaches a long `calibrate`
//! through the session's cancel flag.

use super::connection::ConnectionInfo;
use super::handlers::Kernel;
use super::wire::{Message, Signer};
use bytes::Bytes;
use std::sync::Arc;
use tokio::sync::Mutex;
use zeromq::{PubSocket, RepSocket, RouterSocket, Socket, SocketRecv, SocketSend, ZmqMessage};

/// The iopub socket, shared by the loops.
pub struct Publisher {
    socket: Mutex<PubSocket>,
    signer: Signer,
}

impl Publisher {
    /// Publishes `message` (its identities are replaced by the topic, the message type).
    pub async fn publish(&self, mut message: Message) {
        message.identities = vec![message.msg_type().as_bytes().to_vec()];
        let frames = message.encode(&self.signer);
        if let Some(zmq) = to_zmq(frames) {
            let _ = self.socket.lock().await.send(zmq).await;
        }
    }
}

fn to_zmq(frames: Vec<Vec<u8>>) -> Option<ZmqMessage> {
    ZmqMessage::try_from(frames.into_iter().map(Bytes::from).collect::<Vec<_>>()).ok()
}

fn from_zmq(message: ZmqMessage) -> Vec<Vec<u8>> {
    message.into_vec().into_iter().map(|b| b.to_vec()).collect()
}

/// Runs the kernel until a shutdown request.
pub fn run(info: ConnectionInfo) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the kernel's runtime: {e}"))?;
    runtime.block_on(serve(info))
}

async fn bind<S: Socket>(
    socket: &mut S,
    info: &ConnectionInfo,
    port: u16,
    name: &str,
) -> Result<(), String> {
    socket
        .bind(&info.endpoint(port))
        .await
        .map(|_| ())
        .map_err(|e| format!("cannot listen on the {name} port {port}: {e}"))
}

async fn serve(info: ConnectionInfo) -> Result<(), String> {
    let signer = Signer::new(&info.key);
    let mut shell = RouterSocket::new();
    let mut control = RouterSocket::new();
    let mut stdin = RouterSocket::new();
    let mut iopub = PubSocket::new();
    let mut heartbeat = RepSocket::new();
    bind(&mut shell, &info, info.shell_port, "shell").await?;
    bind(&mut control, &info, info.control_port, "control").await?;
    bind(&mut stdin, &info, info.stdin_port, "stdin").await?;
    bind(&mut iopub, &info, info.iopub_port, "iopub").await?;
    bind(&mut heartbeat, &info, info.hb_port, "heartbeat").await?;
    let publisher = Arc::new(Publisher {
        socket: Mutex::new(iopub),
        signer: signer.clone(),
    });
    let kernel = Arc::new(Kernel::new());
    let (stop, mut stopped) = tokio::sync::watch::channel(false);

    tokio::spawn(async move {
        while let Ok(ping) = heartbeat.recv().await {
            if heartbeat.send(ping).await.is_err() {
                break;
            }
        }
    });
    // Control (interrupt, shutdown, kernel_info) is answered even while a shell command runs.
    let control_task = tokio::spawn(answer(
        control,
        Channel::Control,
        kernel.clone(),
        publisher.clone(),
        signer.clone(),
        stop.clone(),
    ));
    let shell_task = tokio::spawn(answer(
        shell,
        Channel::Shell,
        kernel.clone(),
        publisher.clone(),
        signer.clone(),
        stop.clone(),
    ));
    let _ = stopped.wait_for(|&s| s).await;
    // Let the last reply leave before the process ends.
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    control_task.abort();
    shell_task.abort();
    Ok(())
}

/// The two ROUTER channels that take requests.
#[derive(Clone, Copy)]
enum Channel {
    Shell,
    Control,
}

/// Answers one channel's requests until a shutdown request, which it signals on `stop`.
async fn answer(
    mut socket: RouterSocket,
    channel: Channel,
    kernel: Arc<Kernel>,
    publisher: Arc<Publisher>,
    signer: Signer,
    stop: tokio::sync::watch::Sender<bool>,
) {
    while let Ok(frames) = socket.recv().await {
        let Some(request) = decode(from_zmq(frames), &signer) else {
            continue;
        };
        let (reply, shutdown) = match channel {
            Channel::Control => kernel.control(&request, &publisher).await,
            Channel::Shell => kernel.shell(&request, &publisher).await,
        };
        if let Some(zmq) = to_zmq(reply.encode(&signer)) {
            let _ = socket.send(zmq).await;
        }
        if shutdown {
            let _ = stop.send(true);
            break;
        }
    }
}

/// A verified message, or `None` after logging why not.
fn decode(frames: Vec<Vec<u8>>, signer: &Signer) -> Option<Message> {
    match Message::decode(&frames, signer) {
        Ok(message) => Some(message),
        Err(error) => {
            eprintln!("radnomo kernel: dropped a message: {error}");
            None
        }
    }
}
