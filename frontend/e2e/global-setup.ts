// Starts one api for the whole run (see server.ts) and stops it afterwards. Tests read CHORUS_E2E_URL.
import { removeDataDir, startServer } from './server';

export default async function globalSetup() {
  if (process.env.CHORUS_E2E_URL) return undefined; // an already running server
  const server = await startServer();
  process.env.CHORUS_E2E_URL = server.url;
  return async () => {
    await server.stop();
    removeDataDir(server.dataDir);
  };
}
