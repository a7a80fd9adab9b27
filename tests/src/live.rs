//! Starting live subscriptions so that a test knows they listen before it acts.
//!
//! A stream that replays from storage proves it listens by its first replayed event: the server subscribes to
//! the bus before it reads storage, so everything committed after that read reaches the stream. Prefer
//! [`room_events_ready`]. Streams that replay nothing (`notifications`, `mentions`, `roomEvents` without
//! `afterSeq`) send nothing when they start, so a delivery is the only evidence: [`until_live`].

use std::time::Duration;

use serde_json::{Value, json};

use crate::chat::{last_seq, send};
use crate::{Frame, Session, TestApp, WsClient};

/// Starts operation `id` on `ws`: `query` is a `roomEvents` subscription taking `$room` and `$after` and
/// selecting `seq`. It starts just before the room's last stored event and returns once that event is
/// replayed (returned): from then on the operation receives every new event of the room.
pub async fn room_events_ready(
    app: &TestApp,
    ws: &mut WsClient,
    who: &Session,
    id: &str,
    query: &str,
    room: &str,
) -> Value {
    let last = last_seq(app, who, room).await;
    assert!(last > 0, "a room has stored events from its creation on");
    ws.subscribe(id, query, json!({ "room": room, "after": last - 1 }))
        .await;
    let replayed = ws.next_data(id).await["roomEvents"].clone();
    assert_eq!(
        replayed["seq"], last,
        "the replay starts after afterSeq: {replayed}"
    );
    replayed
}

/// How long a probe may take to show before the next one is sent. Only the number of probes depends on it,
/// never the outcome.
const PROBE_EVERY: Duration = Duration::from_millis(200);

/// For streams without a replay: `who` sends the message `"{marker} {i}"` to `room` for i = 0, 1, … (each must
/// reach every operation in `ids` of `ws` once it listens: mention the subscriber, say) until each operation
/// has delivered one. Then reads on until each has delivered the last one sent (it went out after they
/// listened, so it comes), leaving no probe in flight to surprise the test. Returns the `next` messages read,
/// in order; anything else, a message that is not a probe included, fails the test.
pub async fn until_live(
    app: &TestApp,
    ws: &mut WsClient,
    ids: &[&str],
    who: &Session,
    room: &str,
    marker: &str,
) -> Vec<Value> {
    let mut probes = Probes {
        ids,
        marker,
        sent: 0,
        seen: vec![None; ids.len()],
        read: Vec::new(),
    };
    while probes.seen.iter().any(Option::is_none) {
        assert!(
            probes.sent < 100,
            "{ids:?} never went live: {:?}",
            probes.read
        );
        send(app, who, room, &format!("{marker} {}", probes.sent)).await;
        probes.sent += 1;
        while let Some(frame) = ws.next_frame_within(PROBE_EVERY).await {
            match frame {
                Frame::Json(v) if v["type"] == "ping" || v["type"] == "ka" => {}
                Frame::Json(v) => probes.take(v),
                other => panic!("expected probes, got {other:?}"),
            }
        }
    }
    let last = Some(probes.sent - 1);
    while probes.seen.iter().any(|s| *s != last) {
        let msg = ws.next_message().await;
        probes.take(msg);
    }
    probes.read
}

struct Probes<'a> {
    ids: &'a [&'a str],
    marker: &'a str,
    sent: usize,
    /// The highest probe each operation delivered.
    seen: Vec<Option<usize>>,
    read: Vec<Value>,
}

impl Probes<'_> {
    fn take(&mut self, msg: Value) {
        assert_eq!(msg["type"], "next", "{msg}");
        assert!(msg["payload"]["errors"].is_null(), "{msg}");
        let op = self
            .ids
            .iter()
            .position(|id| msg["id"] == *id)
            .unwrap_or_else(|| panic!("unexpected operation: {msg}"));
        let text = msg.to_string();
        let i = (0..self.sent)
            .rev()
            .find(|i| text.contains(&format!("\"{} {i}\"", self.marker)))
            .unwrap_or_else(|| panic!("expected a probe, got {msg}"));
        assert!(self.seen[op] <= Some(i), "probes arrive in order: {msg}");
        self.seen[op] = Some(i);
        self.read.push(msg);
    }
}
