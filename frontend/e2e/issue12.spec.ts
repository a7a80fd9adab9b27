// Reproductions of the issue 12 bugs and the features added with them: stalled scroll with messages that
// arrived live, image boxes keeping the newest message in view, landing on the first unread, permalinks, own
// presence, toasts grouped per room, the quick switcher, ArrowUp editing, expired file URLs refreshed.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { baseUrl, messageLocator, openDirect, screenshot, send, signUp } from './helpers';

const suffix = Date.now().toString(36).slice(-5);

/** The hash the web client sends for its `Me` query (it sends persisted documents by hash only). */
const meQueryHash = (() => {
  const manifest: Record<string, string> = JSON.parse(
    readFileSync(new URL('../src/gql/persisted-documents.json', import.meta.url), 'utf8'),
  );
  const key = Object.keys(manifest).find((k) => /\bquery Me\b/.test(manifest[k]));
  if (!key) throw new Error('no Me query in the persisted documents');
  return key.replace(/^sha256:/, '');
})();

/** A solid-colour RGB PNG of the given size (no image library needed). */
function png(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0x6a)]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function token(page: Page): Promise<string> {
  return page.evaluate(() => JSON.parse(localStorage.getItem('chorus.session')!).accessToken as string);
}

async function gql(page: Page, query: string, variables: Record<string, unknown>, url = baseUrl()) {
  const res = await page.request.post(`${url}/graphql`, {
    headers: { authorization: `Bearer ${await token(page)}` },
    data: { query, variables },
  });
  const body = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown };
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data!;
}

const SEND = 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }';

async function sendMany(page: Page, roomId: string, texts: string[]) {
  const ids: string[] = [];
  for (const content of texts) {
    const data = (await gql(page, SEND, { input: { roomId, content } })) as { sendMessage: { id: string } };
    ids.push(data.sendMessage.id);
  }
  return ids;
}

async function upload(page: Page, file: Buffer, url = baseUrl()): Promise<{ id: string }> {
  const res = await page.request.post(`${url}/api/upload`, {
    headers: { authorization: `Bearer ${await token(page)}` },
    multipart: { file: { name: 'pic.png', mimeType: 'image/png', buffer: file } },
  });
  expect(res.ok(), await res.text()).toBe(true);
  return (await res.json()) as { id: string };
}

const roomIdOf = (page: Page) => new URL(page.url()).pathname.split('/')[2];

test('history: live-arrived messages do not stall scrolling, the first unread is where the room opens, permalinks', async ({
  browser,
}) => {
  const erin = await signUp(browser, `erin${suffix}`);
  const fred = await signUp(browser, `fred${suffix}`);
  await openDirect(erin, fred.nickname);
  await send(erin.page, 'hello Fred');
  await expect(messageLocator(erin.page, 'hello Fred')).not.toHaveClass(/message--sending/);
  const roomId = roomIdOf(erin.page);

  // Fred reads it, then goes back to the room list; his own messages from elsewhere arrive live (no unread).
  await fred.page.locator(`a[data-room-title="${erin.nickname}"]`).click();
  await expect(messageLocator(fred.page, 'hello Fred')).toBeVisible();
  await fred.page.goto(`${baseUrl()}/`);
  await expect(fred.page.getByRole('heading', { name: 'Welcome to Chorus' })).toBeVisible();
  const fredIds = await sendMany(fred.page, roomId, Array.from({ length: 70 }, (_, i) => `fred live ${i + 1}`));
  await expect(fred.page.locator(`a[data-room-title="${erin.nickname}"]`)).toContainText('fred live 70');

  // Opening the room: the newest are shown, and scrolling up reaches the beginning (it used to stall).
  await fred.page.locator(`a[data-room-title="${erin.nickname}"]`).click();
  const scroller = fred.page.getByRole('log', { name: `Messages in ${erin.nickname}` });
  await expect(messageLocator(fred.page, 'fred live 70')).toBeInViewport();
  const start = fred.page.getByText('This is the beginning of the conversation.');
  for (let i = 0; i < 10 && !(await start.isVisible()); i++) {
    await scroller.evaluate((el) => el.scrollTo({ top: 0 }));
    await fred.page.waitForTimeout(300);
  }
  await expect(start).toBeVisible();
  await expect(messageLocator(fred.page, 'hello Fred')).toHaveCount(1);

  // Erin read everything while she watched (her last read marker is stored before she leaves).
  await expect
    .poll(async () => ((await gql(erin.page, 'query($id: ID!) { room(id: $id) { unreadCount } }', { id: roomId })) as { room: { unreadCount: number } }).room.unreadCount)
    .toBe(0);
  // Erin, away from the room, gets 80 new messages: she lands on the first unread, not at the bottom.
  await erin.page.goto(`${baseUrl()}/`);
  const unread = await sendMany(fred.page, roomId, Array.from({ length: 80 }, (_, i) => `unread ${i + 1}`));
  const dm = erin.page.locator(`a[data-room-title="${fred.nickname}"]`);
  await expect(dm.getByTestId('unread-badge')).toHaveText('80');
  await expect(erin.page).toHaveTitle('(80) Chorus');
  await dm.click();
  await expect(erin.page.getByRole('separator', { name: 'New messages' })).toBeInViewport();
  await expect(messageLocator(erin.page, 'unread 1').first()).toBeInViewport();
  await expect(messageLocator(erin.page, 'unread 80')).toHaveCount(0);
  await screenshot(erin.page, '20-first-unread');
  // Mark as read from the bar (after scrolling the divider away), then jump to the newest.
  await erin.page.getByRole('log', { name: `Messages in ${fred.nickname}` }).evaluate((el) => el.scrollBy({ top: 900 }));
  await erin.page.getByRole('button', { name: 'Mark as read' }).click();
  await expect(erin.page).toHaveTitle('Chorus');
  // Then to the newest. Reading on may already have brought the view to the bottom (no button then): either
  // way the newest message ends up in view.
  const jump = erin.page.getByRole('button', { name: /Jump to latest|new message/ });
  await expect(async () => {
    if (await jump.isVisible()) await jump.click({ timeout: 2_000 });
    await expect(messageLocator(erin.page, 'unread 80')).toBeInViewport({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });

  // A permalink to an old message opens the room around it, highlighted.
  await erin.page.goto(`${baseUrl()}/r/${roomId}/m/${fredIds[10]}`);
  const target = erin.page.locator(`article[data-message-id="${fredIds[10]}"]`);
  await expect(target).toBeInViewport();
  await expect(target).toHaveClass(/message--focus/);
  await expect(messageLocator(erin.page, `unread ${unread.length}`)).toHaveCount(0);
  await erin.context.close();
  await fred.context.close();
});

test('images keep the newest message in view; own presence; toasts grouped; quick switcher; ArrowUp edit', async ({
  browser,
}) => {
  const gina = await signUp(browser, `gina${suffix}`);
  const hal = await signUp(browser, `hal${suffix}`);

  // Own presence is green after a reload.
  await gina.page.reload();
  await expect(gina.page.getByRole('button', { name: 'Profile and settings' }).locator('[data-presence]')).toHaveAttribute(
    'data-presence',
    'online',
  );

  // Images: the room opens at the newest message, which stays in view as the images load.
  await openDirect(gina, hal.nickname);
  const roomId = roomIdOf(gina.page);
  for (let i = 1; i <= 6; i++) {
    const a = await upload(gina.page, png(600, 400 + i * 20));
    await gql(gina.page, SEND, { input: { roomId, content: `picture ${i}`, attachmentIds: [a.id] } });
  }
  await sendMany(gina.page, roomId, ['after the pictures']);
  // Gina (no unread: she wrote them) reopens the room: it opens at the newest message, which stays in view
  // as the images load into their reserved boxes.
  await gina.page.reload();
  const last = messageLocator(gina.page, 'after the pictures');
  await expect(last).toBeInViewport();
  await gina.page.waitForFunction(() =>
    [...document.querySelectorAll('.attachment-image img')].every((img) => (img as HTMLImageElement).complete),
  );
  await expect(last).toBeInViewport();
  await expect(gina.page.getByRole('button', { name: /Jump to latest/ })).toHaveCount(0);
  await screenshot(gina.page, '23-images');

  // A file URL that fails (as an expired one does) is refreshed once and the image loads.
  let refused = 0;
  await gina.page.route('**/files/**', (route) =>
    refused++ === 0 ? route.fulfill({ status: 403, body: 'expired' }) : route.continue(),
  );
  const refetched = gina.page.waitForRequest((r) => r.url().endsWith('/graphql') && (r.postData() ?? '').includes(meQueryHash));
  await gina.page.reload();
  await refetched;
  await expect
    .poll(() =>
      gina.page.evaluate(() =>
        [...document.querySelectorAll<HTMLImageElement>('.attachment-image img')].map((img) => img.naturalWidth > 0),
      ),
    )
    .toEqual([true, true, true, true, true, true]);
  expect(refused).toBeGreaterThan(1);
  await gina.page.unroute('**/files/**');
  await messageLocator(gina.page, 'picture 6').getByRole('button', { name: 'Open image' }).click();
  await expect(gina.page.getByRole('dialog', { name: 'Image' })).toContainText('600 × 520');
  await gina.page.keyboard.press('Escape');
  await expect(gina.page.getByRole('dialog', { name: 'Image' })).toHaveCount(0);

  // Toasts: Hal is in the DM; three messages in a group give one toast, none for the open DM.
  await gina.page.getByRole('button', { name: 'New group' }).click();
  await gina.page.getByLabel('Group name').fill(`crew-${suffix}`);
  await gina.page.getByLabel('Add people').fill(hal.nickname);
  await gina.page.getByRole('button', { name: hal.nickname, exact: true }).click();
  await gina.page.getByRole('button', { name: 'Create group' }).click();
  await expect(gina.page.getByRole('heading', { level: 1, name: `# crew-${suffix}` })).toBeVisible();
  const groupId = roomIdOf(gina.page);
  await expect(hal.page.locator(`a[data-room-title="crew-${suffix}"]`)).toBeVisible();
  await hal.page.locator(`a[data-room-title="${gina.nickname}"]`).click();
  await expect(messageLocator(hal.page, 'after the pictures')).toBeVisible();
  await sendMany(gina.page, groupId, ['group one', 'group two', 'group three']);
  await sendMany(gina.page, roomId, ['in the open DM']);
  await expect(messageLocator(hal.page, 'in the open DM')).toBeVisible();
  const toasts = hal.page.getByTestId('toast');
  await expect(toasts.filter({ hasText: 'group three' })).toContainText('3 new');
  await expect(toasts.filter({ hasText: 'group' })).toHaveCount(1);
  await expect(toasts.filter({ hasText: 'in the open DM' })).toHaveCount(0);
  await screenshot(hal.page, '21-grouped-toast');

  // Quick switcher: Ctrl+K, a few letters, Enter.
  await hal.page.keyboard.press('Control+k');
  await hal.page.getByRole('combobox', { name: 'Find a conversation' }).fill('crew');
  await hal.page.keyboard.press('Enter');
  await expect(hal.page.getByRole('heading', { level: 1, name: `# crew-${suffix}` })).toBeVisible();
  await expect(toasts.filter({ hasText: 'group' })).toHaveCount(0);

  // ArrowUp in the empty composer edits my last message; Escape cancels, Enter saves.
  await send(hal.page, 'my typo messsage');
  await expect(messageLocator(hal.page, 'my typo messsage')).not.toHaveClass(/message--sending/);
  const composer = hal.page.getByRole('textbox', { name: /^Message / });
  await composer.press('ArrowUp');
  const editor = hal.page.getByRole('textbox', { name: 'Edit message' });
  await expect(editor).toHaveValue('my typo messsage');
  await editor.press('Escape');
  await expect(editor).toHaveCount(0);
  await expect(composer).toBeFocused();
  await composer.press('ArrowUp');
  await editor.fill('my **fixed** message');
  await editor.press('Enter');
  await expect(messageLocator(gina.page, 'my fixed message')).toContainText('(edited)');
  await expect(messageLocator(gina.page, 'my fixed message').locator('strong')).toHaveText('fixed');
  await screenshot(hal.page, '22-edited');
  await gina.context.close();
  await hal.context.close();
});
