// The reference `graphql-sse` client against a running server, in distinct connections mode (a POST per
// operation) and single connection mode (PUT reservation, one GET stream, a POST per operation, DELETE to
// stop). For each mode: a query, a subscription's replayed event (then unsubscribed), and a mutation.
// Prints one JSON line of what each mode received; the Rust test `sse::the_reference_graphql_sse_client_…`
// checks it. Usage: node scripts/graphql-sse-client.mjs <sse endpoint URL> <access token> <room id>
import { createClient } from 'graphql-sse';

const [url, token, roomId] = process.argv.slice(2);
if (!url || !token || !roomId) {
  console.error('usage: node scripts/graphql-sse-client.mjs <url> <access token> <room id>');
  process.exit(2);
}

const within = (ms, promise, what) =>
  Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)),
  ]);

/** The first result of an operation that `wanted` accepts, then unsubscribes (for a subscription: DELETE in
 * single connection mode). */
async function first(client, payload, what, wanted = () => true) {
  const results = client.iterate(payload);
  try {
    for (;;) {
      const { value, done } = await within(10_000, results.next(), what);
      if (done) throw new Error(`${what}: completed without the result expected`);
      if (value.errors || wanted(value)) return value;
    }
  } finally {
    await results.return?.();
  }
}

async function run(singleConnection) {
  const client = createClient({
    url,
    singleConnection,
    retryAttempts: 0,
    headers: () => ({ authorization: `Bearer ${token}` }),
  });
  try {
    const me = await first(client, { query: '{ me { email } }' }, 'query');
    const replayed = await first(
      client,
      {
        query:
          'subscription($r: ID!) { roomEvents(roomId: $r, afterSeq: 0) { ... on MessageAdded { message { content } } } }',
        variables: { r: roomId },
      },
      'subscription',
      // The room's first events are its creation (member joins): the message comes after them.
      (result) => Boolean(result.data?.roomEvents?.message),
    );
    const mode = singleConnection ? 'single' : 'distinct';
    const sent = await first(
      client,
      {
        query: 'mutation($r: ID!, $c: String!) { sendMessage(input: { roomId: $r, content: $c }) { content } }',
        variables: { r: roomId, c: `over ${mode}` },
      },
      'mutation',
    );
    return {
      me: me.data?.me?.email ?? null,
      replayed: replayed.data?.roomEvents?.message?.content ?? null,
      sent: sent.data?.sendMessage?.content ?? null,
      errors: [me, replayed, sent].flatMap((r) => r.errors ?? []),
    };
  } finally {
    client.dispose();
  }
}

try {
  const distinct = await run(false);
  const single = await run(true);
  console.log(JSON.stringify({ distinct, single }));
} catch (err) {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
}
