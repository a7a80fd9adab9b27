// A room's integrations from the web client: its owner creates an incoming webhook (URL shown once) and
// registers a slash command answered by a local receiver; a member sees the command suggested on `/`, runs
// it, and both see the bot's answer; a post to the hook with a `username` shows under that name.
import { createServer, type Server } from 'node:http';
import { expect, test, type Page } from '@playwright/test';
import { messageLocator, send, signUp } from './helpers';

const suffix = Date.now().toString(36).slice(-5);

async function createGroup(page: Page, name: string, member: string) {
  await page.getByRole('button', { name: 'New group' }).click();
  await page.getByLabel('Group name').fill(name);
  await page.getByLabel('Add people').fill(member);
  await page.getByRole('button', { name: member, exact: true }).click();
  await page.getByRole('button', { name: 'Create group' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `# ${name}` })).toBeVisible();
}

/** Answers every command with `{"text": "echo: <args>"}`, on 127.0.0.1 (allow-listed by the e2e server). */
async function receiver(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const { args } = JSON.parse(body) as { args: string };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ text: `echo: ${args}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { server, url: `http://127.0.0.1:${address.port}/command` };
}

test('a room owner sets up a webhook and a slash command; a member runs it', async ({ browser }) => {
  const { server, url } = await receiver();
  try {
    const ann = await signUp(browser, `ann${suffix}`);
    const ben = await signUp(browser, `ben${suffix}`);
    const room = `ops-${suffix}`;
    await createGroup(ann.page, room, ben.nickname);

    // A bot of Ann's, from the settings (the dialog offers her bots).
    await ann.page.evaluate(async (nickname) => {
      const token = JSON.parse(localStorage.getItem('chorus.session')!).accessToken as string;
      await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: 'mutation($n: String!) { createBot(input: { nickname: $n }) { id } }', variables: { n: nickname } }),
      });
    }, `echo${suffix}`);

    await ann.page.getByRole('button', { name: 'Integrations' }).click();
    const dialog = ann.page.getByRole('dialog');
    await dialog.getByLabel('Incoming webhook name').fill(`ci${suffix}`);
    await dialog.getByRole('button', { name: 'Create incoming webhook' }).click();
    const hookUrl = await dialog.locator('.integrations__minted code').innerText();
    expect(hookUrl).toContain('/hooks/');
    await expect(dialog.getByRole('list', { name: 'Incoming webhooks' })).toContainText(`ci${suffix}`);

    await dialog.getByLabel('Command', { exact: true }).fill('echo');
    await dialog.getByLabel('Description').fill('Says it back');
    await dialog.getByLabel('Command URL').fill(url);
    await dialog.getByLabel('Answered by').selectOption({ label: `echo${suffix}` });
    await dialog.getByRole('button', { name: 'Register command' }).click();
    await expect(dialog.getByRole('list', { name: 'Slash commands' })).toContainText('/echo');
    await dialog.getByRole('button', { name: 'Close' }).click();

    // Ben sees the command suggested, runs it; both see the bot's answer, nobody sees the invocation.
    await ben.page.locator(`a[data-room-title="${room}"]`).click();
    const box = ben.page.getByRole('textbox', { name: /^Message / });
    await box.fill('/');
    await expect(ben.page.getByRole('listbox', { name: 'Slash commands' })).toContainText('Says it back');
    await send(ben.page, '/echo hello there');
    await expect(messageLocator(ben.page, 'echo: hello there')).toBeVisible();
    await expect(messageLocator(ann.page, 'echo: hello there')).toBeVisible();
    await expect(ann.page.getByText('/echo hello there')).toHaveCount(0);

    // An unknown command is refused with the reason.
    await send(ben.page, '/nope x');
    await expect(ben.page.getByRole('alert')).toContainText('no command /nope');

    // The webhook posts under the name it asks for; the bot stays visible.
    const posted = await ann.page.request.post(hookUrl, { data: { text: 'build green', username: 'Jenkins' } });
    expect(posted.status()).toBe(201);
    await expect(ben.page.getByText(`Jenkins (via ci${suffix})`)).toBeVisible();
  } finally {
    server.close();
  }
});
