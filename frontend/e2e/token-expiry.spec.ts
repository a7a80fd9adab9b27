// Short-lived access tokens: the server closes the open socket with 4403 when the token expires; the client
// refreshes, reconnects and resumes, so nothing is missed, and HTTP requests keep working.
import { expect, test } from '@playwright/test';
import { messageLocator, send } from './helpers';
import { removeDataDir, startServer } from './server';

const suffix = Date.now().toString(36).slice(-5);

test('an access token that expires on an open socket is replaced without losing messages', async ({ browser, request }) => {
  const server = await startServer({ env: { ACCESS_TOKEN_TTL: '6' } });
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
    const bobEmail = `ivy${suffix}@example.com`;
    await gql('mutation($input: SignUpInput!) { signUp(input: $input) { user { id } } }', {
      input: { email: bobEmail, password: 'correct horse', nickname: `ivy${suffix}` },
    });

    const context = await browser.newContext();
    const page = await context.newPage();
    const closes: number[] = [];
    page.on('websocket', (ws) => ws.on('close', () => closes.push(Date.now())));
    await page.goto(`${server.url}/`);
    await page.getByRole('tab', { name: 'Sign up' }).click();
    await page.getByLabel('Email').fill(`jay${suffix}@example.com`);
    await page.getByLabel('Nickname').fill(`jay${suffix}`);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('button', { name: 'New direct message' }).click();
    await page.getByLabel('Find people').fill(`ivy${suffix}`);
    await page.getByRole('button', { name: `ivy${suffix}`, exact: true }).click();
    await send(page, 'before expiry');
    await expect(messageLocator(page, 'before expiry')).not.toHaveClass(/message--sending/);
    const roomId = new URL(page.url()).pathname.split('/').pop()!;

    // Outlive the first access token: the socket is closed (4403) and replaced.
    await page.waitForTimeout(9_000);
    expect(closes.length).toBeGreaterThan(0);

    const logIn = 'mutation($input: LogInInput!) { logIn(input: $input) { accessToken } }';
    const bob = (await gql(logIn, { input: { email: bobEmail, password: 'correct horse' } })).logIn;
    const sendQuery = 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }';
    await gql(sendQuery, { input: { roomId, content: 'after expiry' } }, bob.accessToken);
    await expect(messageLocator(page, 'after expiry')).toHaveCount(1);

    await send(page, 'reply after expiry');
    await expect(messageLocator(page, 'reply after expiry')).not.toHaveClass(/message--sending/);
    await expect(page.getByText('Reconnecting…')).toHaveCount(0);
    await context.close();
  } finally {
    await server.stop();
    removeDataDir(server.dataDir);
  }
});
