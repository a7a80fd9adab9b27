// GraphQL over HTTP conformance: runs the `graphql-http` package's server audits (the spec's test suite)
// against a running server and prints one line per audit. Exits with 1 when any MUST or SHOULD audit fails
// (MAY audits are reported only). Run by the Rust test `graphql_http::the_graphql_over_http_audit_passes`
// against the real server; by hand: `node scripts/graphql-http-audit.mjs http://127.0.0.1:8080/graphql`.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node scripts/graphql-http-audit.mjs <graphql endpoint URL>');
  process.exit(2);
}

const results = await auditServer({ url });
let failed = 0;
for (const result of results) {
  const level = result.name.split(' ')[0];
  if (result.status === 'ok') {
    console.log(`ok      ${result.id} ${result.name}`);
    continue;
  }
  let body = '';
  try {
    body = await result.response.text();
  } catch {
    // The audit already read it.
  }
  const required = level === 'MUST' || level === 'SHOULD';
  if (required) failed += 1;
  console.log(
    `${required ? 'FAILED ' : 'notice '} ${result.id} ${result.name}: ${result.reason}` +
      ` (HTTP ${result.response.status} ${result.response.headers.get('content-type') ?? ''}) ${body}`,
  );
}
const counted = results.filter((r) => /^(MUST|SHOULD) /.test(r.name)).length;
console.log(`graphql-http audit: ${counted - failed} of ${counted} MUST and SHOULD audits passed (${results.length} audits in all)`);
process.exit(failed === 0 ? 0 : 1);
