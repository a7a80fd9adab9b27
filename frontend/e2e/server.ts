// Starts the real api binary for the e2e tests: CHORUS_API_BIN, else $CARGO_TARGET_DIR/debug/api, else
// ../target/debug/api, on a free port (or the given one) with a temporary SQLite data dir and the built client.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const dist = resolve(here, '..', 'dist');

function findBinary(): string {
  const candidates = [
    process.env.CHORUS_API_BIN,
    process.env.CARGO_TARGET_DIR && join(process.env.CARGO_TARGET_DIR, 'debug', 'api'),
    resolve(here, '..', '..', 'target', 'debug', 'api'),
    process.env.HOME && join(process.env.HOME, '.cache', 'chorus-target', 'debug', 'api'),
  ].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`api binary not found (tried ${candidates.join(', ')}): run \`cargo build -p api\``);
  return found;
}

export interface RunningServer {
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

export function newDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'chorus-e2e-'));
}

export async function startServer(
  opts: { dataDir?: string; port?: number; env?: Record<string, string> } = {},
): Promise<RunningServer> {
  if (!existsSync(join(dist, 'index.html'))) throw new Error('frontend/dist is missing: run `npm run build`');
  const dataDir = opts.dataDir ?? newDataDir();
  const child: ChildProcess = spawn(findBinary(), [], {
    env: {
      ...process.env,
      CHORUS_BIND: `127.0.0.1:${opts.port ?? 0}`,
      CHORUS_DATA_DIR: dataDir,
      CHORUS_STATIC_DIR: dist,
      DATABASE_URL: '',
      REDIS_URL: '',
      S3_BUCKET: '',
      S3_ENDPOINT: '',
      CHORUS_TLS_BIND: '',
      CHORUS_ARGON2_M_COST: '256',
      CHORUS_ARGON2_T_COST: '1',
      // Specs sign up dozens of people from one address (the @here spec alone makes a room of 12).
      CHORUS_SIGNUPS_PER_IP_PER_HOUR: '1000',
      // The link preview spec serves its page on 127.0.0.1; every other private address stays refused.
      CHORUS_PREVIEW_ALLOW_HOSTS: '127.0.0.1',
      // As a locked-down deployment runs: the client must learn what it may do from `serverInfo` (the image
      // tests fail if uploads are not offered).
      CHORUS_INTROSPECTION: 'false',
      RUST_LOG: process.env.RUST_LOG ?? 'warn',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error('api did not start within 30 s')), 30_000);
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => {
      if (process.env.E2E_SERVER_LOG) process.stderr.write(c);
      onData(c);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`api exited with ${code}: ${out}`));
    });
  });
  return {
    url,
    port: Number(new URL(url).port),
    dataDir,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export function removeDataDir(dataDir: string): void {
  rmSync(dataDir, { recursive: true, force: true });
}
