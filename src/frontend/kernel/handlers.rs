//! What the kernel answers, request by request (messaging protocol 5.3): kernel_info, execute,
//! complete, inspect, is_complete, history, comm_info, shutdown and interrupt. Every answer comes
//! from the same `Session` the REPL uses: the same completer, the same help text, the same
//! rollback of a failing cell.

use super::cell::CellOutput;
use super::progress::NotebookProgress;
use super::server::Publisher;
use super::wire::Message;
use crate::Session;
use crate::session::CancelFlag;
use serde_json::{Value, json};
use std::sync::Mutex;

/// A stored cell: its execution count, code and value (the text of its `execute_result`).
struct HistoryEntry {
    count: u64,
    code: String,
    value: Option<String>,
}

pub struct Kernel {
    session: std::sync::Arc<Mutex<Session>>,
    cancel: CancelFlag,
    progress: std::sync::Arc<NotebookProgress>,
    history: Mutex<Vec<HistoryEntry>>,
    count: Mutex<u64>,
}

fn status(state: &str) -> Value {
    json!({ "execution_state": state })
}

/// The kernel_info_reply content.
pub fn kernel_info() -> Value {
    json!({
        "status": "ok",
        "protocol_version": super::wire::PROTOCOL_VERSION,
        "implementation": "radnomo",
        "implementation_version": env!("CARGO_PKG_VERSION"),
        "language_info": {
            "name": "radnomo",
            "version": env!("CARGO_PKG_VERSION"),
            "mimetype": "text/x-radnomo",
            "file_extension": ".rad",
            // No editor ships a radnomo mode; the shell's is the nearest: `#` comments,
            // quoted strings, numbers and `key=value` words are coloured as radnomo reads them.
            "pygments_lexer": "bash",
            "codemirror_mode": "shell",
        },
        "banner": "radnomo — radiomics nomograms from DCE-MRI; `help` lists the commands",
        "help_links": [],
    })
}

/// Byte offset of the `cursor`-th code point of `text` (Jupyter counts code points).
fn byte_offset(text: &str, cursor: usize) -> usize {
    text.char_indices()
        .nth(cursor)
        .map_or(text.len(), |(offset, _)| offset)
}

fn code_points(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())].chars().count()
}

/// complete / incomplete / invalid, as is_complete_request wants it: a line ending in `+`, `,`
/// or `\`, or an open string, waits for more.
pub fn completeness(code: &str) -> &'static str {
    let trimmed = code.trim_end();
    if trimmed.ends_with('+') || trimmed.ends_with(',') || trimmed.ends_with('\\') {
        return "incomplete";
    }
    if code.matches('"').count() % 2 == 1 {
        return "incomplete";
    }
    if Session::parse(code).is_ok() {
        "complete"
    } else {
        "invalid"
    }
}

impl Default for Kernel {
    fn default() -> Kernel {
        Kernel::new()
    }
}

impl Kernel {
    pub fn new() -> Kernel {
        let mut session = Session::new();
        let cancel = session.cancel_flag();
        let progress = std::sync::Arc::new(NotebookProgress::default());
        session.set_progress(progress.clone());
        Kernel {
            session: std::sync::Arc::new(Mutex::new(session)),
            cancel,
            progress,
            history: Mutex::new(Vec::new()),
            count: Mutex::new(0),
        }
    }

    /// A control-channel request: (reply, whether to shut down).
    pub async fn control(&self, request: &Message, publisher: &Publisher) -> (Message, bool) {
        match request.msg_type() {
            "interrupt_request" => {
                self.cancel.cancel();
                (
                    request.reply("interrupt_reply", json!({"status": "ok"})),
                    false,
                )
            }
            _ => self.shell(request, publisher).await,
        }
    }

    /// A shell request: busy, the answer, idle.
    pub async fn shell(&self, request: &Message, publisher: &Publisher) -> (Message, bool) {
        publisher
            .publish(request.reply("status", status("busy")))
            .await;
        let content = &request.content;
        let kind = request.msg_type().to_string();
        let (reply_type, reply, shutdown) = match kind.as_str() {
            "kernel_info_request" => ("kernel_info_reply", kernel_info(), false),
            "execute_request" => (
                "execute_reply",
                self.execute(request, publisher).await,
                false,
            ),
            "is_complete_request" => {
                let code = content["code"].as_str().unwrap_or_default();
                let state = completeness(code);
                let mut reply = json!({ "status": state });
                if state == "incomplete" {
                    reply["indent"] = json!("");
                }
                ("is_complete_reply", reply, false)
            }
            "complete_request" => ("complete_reply", self.complete(content), false),
            "inspect_request" => ("inspect_reply", self.inspect(content), false),
            "history_request" => ("history_reply", self.history(content), false),
            "comm_info_request" => (
                "comm_info_reply",
                json!({"status": "ok", "comms": {}}),
                false,
            ),
            "shutdown_request" => (
                "shutdown_reply",
                json!({"status": "ok", "restart": content["restart"].as_bool().unwrap_or(false)}),
                true,
            ),
            other => {
                eprintln!("radnomo kernel: no handler for {other}");
                let reply_type = other.replace("_request", "_reply");
                let reply = request.reply(&reply_type, json!({"status": "error", "ename": "NotImplemented", "evalue": other, "traceback": []}));
                publisher
                    .publish(request.reply("status", status("idle")))
                    .await;
                return (reply, false);
            }
        };
        let reply = request.reply(reply_type, reply);
        publisher
            .publish(request.reply("status", status("idle")))
            .await;
        (reply, shutdown)
    }

    async fn execute(&self, request: &Message, publisher: &Publisher) -> Value {
        let code = request.content["code"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let silent = request.content["silent"].as_bool().unwrap_or(false);
        let store = request.content["store_history"]
            .as_bool()
            .unwrap_or(!silent);
        let count = {
            let mut count = self.count.lock().unwrap_or_else(|p| p.into_inner());
            if store {
                *count += 1;
            }
            *count
        };
        if !silent {
            publisher
                .publish(request.reply(
                    "execute_input",
                    json!({"code": code, "execution_count": count}),
                ))
                .await;
        }
        self.cancel.reset();
        let (outlet, mut messages) = tokio::sync::mpsc::unbounded_channel();
        self.progress.attach(outlet.clone());
        let (session, progress) = (self.session.clone(), self.progress.clone());
        let source = code.clone();
        let running = tokio::task::spawn_blocking(move || {
            let mut session = session.lock().unwrap_or_else(|p| p.into_inner());
            let statements = Session::parse(&source).map_or(0, |script| script.statements.len());
            let mut cell = CellOutput::new(outlet, count, statements);
            let outcome = session.execute_with(&source, |result| {
                cell.show(&result.output, result.settings.digits)
            });
            progress.detach();
            let value = cell.end(outcome.is_ok());
            (outcome, value)
        });
        while let Some((kind, content)) = messages.recv().await {
            if !silent {
                publisher.publish(request.reply(kind, content)).await;
            }
        }
        let (outcome, value) = running.await.unwrap_or_else(|e| {
            let error = crate::Error::invalid(format!("the command stopped: {e}"));
            (Err(error), None)
        });
        if store {
            self.history
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(HistoryEntry {
                    count,
                    code: code.clone(),
                    value,
                });
        }
        match outcome {
            Ok(()) => json!({
                "status": "ok",
                "execution_count": count,
                "payload": [],
                "user_expressions": {},
            }),
            Err(error) => {
                let ename = error.kind_name();
                let evalue = error.to_string();
                let traceback: Vec<String> = error
                    .render(&code, None)
                    .lines()
                    .map(String::from)
                    .collect();
                let content = json!({"ename": ename, "evalue": evalue, "traceback": traceback});
                if !silent {
                    publisher
                        .publish(request.reply("error", content.clone()))
                        .await;
                }
                let mut reply = content;
                reply["status"] = json!("error");
                reply["execution_count"] = json!(count);
                reply
            }
        }
    }

    fn complete(&self, content: &Value) -> Value {
        let code = content["code"].as_str().unwrap_or_default();
        let cursor = byte_offset(code, content["cursor_pos"].as_u64().unwrap_or(0) as usize);
        let session = self.session.lock().unwrap_or_else(|p| p.into_inner());
        let completion = session.complete(code, cursor);
        let matches: Vec<&str> = completion
            .candidates
            .iter()
            .map(|c| c.text.as_str())
            .collect();
        json!({
            "status": "ok",
            "matches": matches,
            "cursor_start": code_points(code, completion.start),
            "cursor_end": code_points(code, completion.end),
            "metadata": {},
        })
    }

    fn inspect(&self, content: &Value) -> Value {
        let code = content["code"].as_str().unwrap_or_default();
        let cursor = byte_offset(code, content["cursor_pos"].as_u64().unwrap_or(0) as usize);
        let session = self.session.lock().unwrap_or_else(|p| p.into_inner());
        match session.inspect(code, cursor) {
            Some(text) => {
                json!({"status": "ok", "found": true, "data": {"text/plain": text}, "metadata": {}})
            }
            None => json!({"status": "ok", "found": false, "data": {}, "metadata": {}}),
        }
    }

    /// history_request: `tail` (the last n), `range` (execution counts start..stop) or `search`
    /// (a glob pattern over the code, `*` and `?`; `unique` keeps the latest of equal codes; `n`
    /// the last n matches), each entry [session, count, code] or [session, count, [code, value]].
    fn history(&self, content: &Value) -> Value {
        let history = self.history.lock().unwrap_or_else(|p| p.into_inner());
        let output = content["output"].as_bool().unwrap_or(false);
        let n = content["n"].as_u64();
        let chosen: Vec<&HistoryEntry> = match content["hist_access_type"].as_str() {
            Some("tail") => last_n(history.iter().collect(), n),
            Some("search") => {
                let pattern = content["pattern"].as_str().unwrap_or("*");
                let mut matching: Vec<&HistoryEntry> = history
                    .iter()
                    .filter(|entry| glob_matches(pattern, &entry.code))
                    .collect();
                if content["unique"].as_bool().unwrap_or(false) {
                    let mut seen = std::collections::HashSet::new();
                    matching.reverse();
                    matching.retain(|entry| seen.insert(entry.code.as_str()));
                    matching.reverse();
                }
                last_n(matching, n)
            }
            _ => {
                let start = content["start"].as_u64().unwrap_or(0);
                let stop = content["stop"].as_u64().unwrap_or(u64::MAX);
                history
                    .iter()
                    .filter(|entry| entry.count >= start && entry.count < stop)
                    .collect()
            }
        };
        let entries: Vec<Value> = chosen
            .into_iter()
            .map(|entry| {
                if output {
                    json!([0, entry.count, [entry.code, entry.value]])
                } else {
                    json!([0, entry.count, entry.code])
                }
            })
            .collect();
        json!({"status": "ok", "history": entries})
    }
}

/// The last `n` of `entries`, or all of them.
fn last_n<T>(mut entries: Vec<T>, n: Option<u64>) -> Vec<T> {
    if let Some(n) = n {
        entries.drain(..entries.len().saturating_sub(n as usize));
    }
    entries
}

/// Whether `text` matches the glob `pattern` as a whole (`*` any run, `?` one character), as
/// IPython's history search does.
fn glob_matches(pattern: &str, text: &str) -> bool {
    let (pattern, text): (Vec<char>, Vec<char>) =
        (pattern.chars().collect(), text.chars().collect());
    // Classic two-pointer matching with backtracking to the last `*`.
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((star_p, star_t)) = star {
            p = star_p + 1;
            t = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completeness_follows_the_language() {
        assert_eq!(completeness("describe"), "complete");
        assert_eq!(completeness("fit grade+"), "incomplete");
        assert_eq!(completeness("load table \"demo"), "incomplete");
        assert_eq!(completeness("describe columns=age,"), "incomplete");
        assert_eq!(completeness("fit = = ="), "invalid");
    }

    #[test]
    fn history_search_globs_the_whole_code() {
        assert!(glob_matches("load*", "load cohort"));
        assert!(!glob_matches("load*", "x = load cohort"));
        assert!(glob_matches("*cohort*", "x = load cohort n=5"));
        assert!(glob_matches("fit ?ge", "fit age"));
        assert!(!glob_matches("fit ?ge", "fit agee"));
        assert!(glob_matches("*", ""));
    }

    #[test]
    fn cursor_positions_count_code_points() {
        let text = "set plots=\"ré\" d";
        assert_eq!(byte_offset(text, 13), 14);
        assert_eq!(code_points(text, 14), 13);
    }
}
