// Fails when the committed generated code (frontend/src/gql) is stale against codegen/schema.graphql and the
// operations: generates into a temporary folder and compares file by file. Run from frontend/.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const frontend = join(here, '..', 'frontend');
const committed = join(frontend, 'src', 'gql');
const fresh = mkdtempSync(join(tmpdir(), 'chorus-codegen-'));
try {
  execFileSync(
    process.platform === 'win32' ? 'npx.cmd' : 'npx',
    ['graphql-codegen', '--config', join(here, 'codegen.ts')],
    { cwd: frontend, stdio: 'inherit', env: { ...process.env, CODEGEN_OUT: fresh } },
  );
  const names = new Set([...readdirSync(fresh), ...(existsSync(committed) ? readdirSync(committed) : [])]);
  const stale = [...names].filter((name) => {
    const a = join(fresh, name);
    const b = join(committed, name);
    return !existsSync(a) || !existsSync(b) || readFileSync(a, 'utf8') !== readFileSync(b, 'utf8');
  });
  if (stale.length > 0) {
    console.error(`codegen: generated code is stale (${stale.join(', ')}): run \`npm run codegen\` in frontend/`);
    process.exit(1);
  }
  console.log('codegen: generated code is up to date with codegen/schema.graphql');
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
