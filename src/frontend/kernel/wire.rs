//! Jupyter messages on the wire (messaging protocol 5.3, "The Wire Protocol" in the
//! jupyter_client documentation): one message is the multipart frames
//!
//! ```text
//! identities…, "<IDS|MSG>", signature, header, parent_header, metadata, content, buffers…
//! ```
//!
//! with the four dicts as JSON and `signature` the lower-case hex HMAC-SHA256 of those four
//! frames in order, keyed by the connection file's `key` (an empty key switches signing off and
//! leaves the signature empty). A message whose signature does not verify is refused here; the
//! kernel logs it and keeps serving.

use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The frame that ends the routing identities.
pub const DELIMITER: &[u8] = b"<IDS|MSG>";
/// The protocol version every header carries.
pub const PROTOCOL_VERSION: &str = "5.3";

/// Signs and checks messages with the connection's key (scheme `hmac-sha256`).
#[derive(Clone)]
pub struct Signer {
    key: Vec<u8>,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the key.
        f.debug_struct("Signer")
            .field("signing", &!self.key.is_empty())
            .finish()
    }
}

impl Signer {
    pub fn new(key: &str) -> Signer {
        Signer {
            key: key.as_bytes().to_vec(),
        }
    }

    fn mac(&self, parts: &[&[u8]]) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key");
        for part in parts {
            mac.update(part);
        }
        mac
    }

    /// The hex signature of `parts` (empty when signing is off).
    pub fn sign(&self, parts: &[&[u8]]) -> String {
        if self.key.is_empty() {
            return String::new();
        }
        self.mac(parts)
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Whether `signature` (hex) is the signature of `parts`, compared in constant time.
    pub fn verify(&self, signature: &[u8], parts: &[&[u8]]) -> bool {
        if self.key.is_empty() {
            return true;
        }
        let Some(bytes) = decode_hex(signature) else {
            return false;
        };
        self.mac(parts).verify_slice(&bytes).is_ok()
    }
}

fn decode_hex(text: &[u8]) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    text.chunks(2)
        .map(|pair| {
            let digit = |c: u8| (c as char).to_digit(16);
            Some((digit(pair[0])? * 16 + digit(pair[1])?) as u8)
        })
        .collect()
}

/// Why incoming frames are not a message.
#[derive(Debug, Clone, PartialEq)]
pub enum WireError {
    NoDelimiter,
    TooFewFrames(usize),
    BadSignature,
    BadJson { frame: &'static str, error: String },
}

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WireError::NoDelimiter => write!(f, "no <IDS|MSG> delimiter among the frames"),
            WireError::TooFewFrames(n) => {
                write!(f, "{n} frame(s) after the delimiter; a message needs 5")
            }
            WireError::BadSignature => write!(f, "the signature does not match the message"),
            WireError::BadJson { frame, error } => write!(f, "the {frame} is not JSON: {error}"),
        }
    }
}

/// One Jupyter message.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// Routing identities of the ROUTER socket the request came through (kept for the reply).
    pub identities: Vec<Vec<u8>>,
    pub header: Value,
    pub parent_header: Value,
    pub metadata: Value,
    pub content: Value,
    pub buffers: Vec<Vec<u8>>,
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A message id unique within the process and, with the process id and start time, across
/// kernels (not a random UUID; Jupyter only needs it unique).
pub fn new_id() -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{:08x}-{:016x}-{n:08x}", std::process::id(), now as u64)
}

/// The current time as ISO 8601 UTC with microseconds: `2026-12-02T17:20:05.123456Z`.
pub fn now_iso8601() -> String {
    let (now, micros) = crate::calendar::Civil::now();
    iso8601(&now, micros)
}

fn iso8601(c: &crate::calendar::Civil, micros: u32) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{micros:06}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

/// A header for a new message of `msg_type` in `session`.
pub fn header(msg_type: &str, session: &str) -> Value {
    json!({
        "msg_id": new_id(),
        "session": session,
        "username": "radnomo",
        "date": now_iso8601(),
        "msg_type": msg_type,
        "version": PROTOCOL_VERSION,
    })
}

impl Message {
    /// Parses and verifies multipart frames.
    pub fn decode(frames: &[Vec<u8>], signer: &Signer) -> Result<Message, WireError> {
        let at = frames
            .iter()
            .position(|f| f.as_slice() == DELIMITER)
            .ok_or(WireError::NoDelimiter)?;
        let rest = &frames[at + 1..];
        if rest.len() < 5 {
            return Err(WireError::TooFewFrames(rest.len()));
        }
        let parts: Vec<&[u8]> = rest[1..5].iter().map(Vec::as_slice).collect();
        if !signer.verify(&rest[0], &parts) {
            return Err(WireError::BadSignature);
        }
        let parse = |frame: &'static str, bytes: &[u8]| {
            serde_json::from_slice::<Value>(bytes).map_err(|e| WireError::BadJson {
                frame,
                error: e.to_string(),
            })
        };
        Ok(Message {
            identities: frames[..at].to_vec(),
            header: parse("header", parts[0])?,
            parent_header: parse("parent header", parts[1])?,
            metadata: parse("metadata", parts[2])?,
            content: parse("content", parts[3])?,
            buffers: rest[5..].to_vec(),
        })
    }

    /// The frames of this message, signed.
    pub fn encode(&self, signer: &Signer) -> Vec<Vec<u8>> {
        let dicts: Vec<Vec<u8>> = [
            &self.header,
            &self.parent_header,
            &self.metadata,
            &self.content,
        ]
        .iter()
        .map(|v| serde_json::to_vec(v).expect("JSON values serialise"))
        .collect();
        let parts: Vec<&[u8]> = dicts.iter().map(Vec::as_slice).collect();
        let signature = signer.sign(&parts);
        let mut frames = self.identities.clone();
        frames.push(DELIMITER.to_vec());
        frames.push(signature.into_bytes());
        frames.extend(dicts);
        frames.extend(self.buffers.iter().cloned());
        frames
    }

    /// The message type named in the header (`""` if none).
    pub fn msg_type(&self) -> &str {
        self.header["msg_type"].as_str().unwrap_or_default()
    }

    /// A new message of `msg_type` answering this one: same identities (so a reply on the
    /// ROUTER socket finds its client) and session, this header as the parent.
    pub fn reply(&self, msg_type: &str, content: Value) -> Message {
        let session = self.header["session"].as_str().unwrap_or_default();
        Message {
            identities: self.identities.clone(),
            header: header(msg_type, session),
            parent_header: self.header.clone(),
            metadata: json!({}),
            content,
            buffers: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_as_rfc_4231_test_case_2() {
        // HMAC-SHA256 with key "Jefe" over "what do ya want for nothing?", split across parts
        // as the four dicts are: the parts are signed as one concatenated string.
        let signer = Signer::new("Jefe");
        assert_eq!(
            signer.sign(&[b"what do ya ", b"want ", b"for nothing?"]),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    fn request() -> Message {
        Message {
            identities: vec![b"client-7".to_vec()],
            header: header("execute_request", "s1"),
            parent_header: json!({}),
            metadata: json!({}),
            content: json!({"code": "describe", "silent": false}),
            buffers: vec![],
        }
    }

    #[test]
    fn round_trip_keeps_identities_and_verifies() {
        let signer = Signer::new("a-secret-key");
        let message = request();
        let frames = message.encode(&signer);
        assert_eq!(frames[1], DELIMITER);
        assert_eq!(frames[2].len(), 64);
        assert_eq!(Message::decode(&frames, &signer).unwrap(), message);
    }

    #[test]
    fn forged_or_missing_signatures_and_broken_frames_are_refused() {
        let signer = Signer::new("a-secret-key");
        let mut frames = request().encode(&signer);
        // Content changed after signing.
        frames[6] = br#"{"code": "quit"}"#.to_vec();
        assert_eq!(
            Message::decode(&frames, &signer),
            Err(WireError::BadSignature)
        );
        let mut frames = request().encode(&signer);
        frames[2] = b"".to_vec();
        assert_eq!(
            Message::decode(&frames, &signer),
            Err(WireError::BadSignature)
        );
        frames[2] = b"zz".to_vec();
        assert_eq!(
            Message::decode(&frames, &signer),
            Err(WireError::BadSignature)
        );
        // Signed with another key.
        let other = request().encode(&Signer::new("other"));
        assert_eq!(
            Message::decode(&other, &signer),
            Err(WireError::BadSignature)
        );
        assert_eq!(
            Message::decode(&[b"x".to_vec()], &signer),
            Err(WireError::NoDelimiter)
        );
        let frames = request().encode(&signer);
        assert_eq!(
            Message::decode(&frames[..5], &signer),
            Err(WireError::TooFewFrames(3))
        );
    }

    #[test]
    fn unsigned_connections_send_an_empty_signature() {
        let signer = Signer::new("");
        let frames = request().encode(&signer);
        assert!(frames[2].is_empty());
        assert!(Message::decode(&frames, &signer).is_ok());
    }

    #[test]
    fn replies_carry_the_parent_and_the_identities() {
        let message = request();
        let reply = message.reply("execute_reply", json!({"status": "ok"}));
        assert_eq!(reply.identities, message.identities);
        assert_eq!(reply.parent_header, message.header);
        assert_eq!(reply.header["session"], "s1");
        assert_eq!(reply.header["version"], "5.3");
        assert_eq!(reply.msg_type(), "execute_reply");
        assert_ne!(reply.header["msg_id"], message.header["msg_id"]);
    }

    #[test]
    fn dates_are_iso_8601_utc() {
        let at = |seconds| crate::calendar::Civil::from_unix(seconds);
        assert_eq!(iso8601(&at(0), 0), "1970-01-01T00:00:00.000000Z");
        // 2026-12-02 17:20:05 UTC.
        assert_eq!(
            iso8601(&at(1_796_232_005), 42),
            "2026-12-02T17:20:05.000042Z"
        );
        assert_eq!(iso8601(&at(951_782_400), 0), "2000-02-29T00:00:00.000000Z");
    }
}
