// The socket drops (the server restarts): "Reconnecting…" shows, and once it is back every message sent in
// the meantime appears exactly once (rooms resume with afterSeq).
import { expect, test } from '@playwright/test';
import { messageLocator, screenshot, send } from './helpers';
import { removeDataDir, startServer } from './server';

const suffix = Date.now().toString(36).slice(-5);

test('reconnecting after the server restarts loses and doubles nothing', async ({ browser, request }) => {
  let server = await startServer();
  const { dataDir, port } = server;
  try {
    const gql = async (query: string, variables: Record<string, unknown>, token?: string) => {
      const res = await request.post(`${server.url}/graphql`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
        data: { query, variables },
      });
      const body = (await res.json()) as { data: Record<string, any>; errors?: unknown[] };
      expect(body.errors).toBeUndefined();
      return body.data;
    };
    const signUpQuery =
      'mutation($input: SignUpInput!) { signUp(input: $input) { accessToken user { id } } }';
    const bob = (await gql(signUpQuery, { input: { email: `gus${suffix}@example.com`, password: 'correct horse', nickname: `gus${suffix}` } })).signUp;

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.getByRole('tab', { name: 'Sign up' }).click();
    await page.getByLabel('Email').fill(`hal${suffix}@example.com`);
    await page.getByLabel('Nickname').fill(`hal${suffix}`);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('button', { name: 'New direct message' }).click();
    await page.getByLabel('Find people').fill(`gus${suffix}`);
    await page.getByRole('button', { name: `gus${suffix}`, exact: true }).click();
    await send(page, 'before the restart');
    await expect(messageLocator(page, 'before the restart')).not.toHaveClass(/message--sending/);
    const roomId = new URL(page.url()).pathname.split('/').pop()!;
    const sendQuery = 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }';
    await gql(sendQuery, { input: { roomId, content: 'live before' } }, bob.accessToken);
    await expect(messageLocator(page, 'live before')).toBeVisible();

    await server.stop();
    await expect(page.getByRole('status').filter({ hasText: 'Reconnecting…' })).toBeVisible();
    await screenshot(page, '20-reconnecting');
    await page.waitForTimeout(2_500); // let the client back off

    server = await startServer({ dataDir, port });
    for (const n of [1, 2, 3]) {
      await gql(sendQuery, { input: { roomId, content: `while away ${n}` } }, bob.accessToken);
    }
    await expect(page.getByRole('status').filter({ hasText: 'Reconnecting…' })).toHaveCount(0, { timeout: 30_000 });
    for (const n of [1, 2, 3]) await expect(messageLocator(page, `while away ${n}`)).toHaveCount(1);
    await gql(sendQuery, { input: { roomId, content: 'live after' } }, bob.accessToken);
    await expect(messageLocator(page, 'live after')).toHaveCount(1);
    await expect(messageLocator(page, 'live before')).toHaveCount(1);
    await expect(messageLocator(page, 'before the restart')).toHaveCount(1);
    await context.close();
  } finally {
    await server.stop();
    removeDataDir(dataDir);
  }
});
