// Broadcast mentions (@here/@everyone/@room) and what surrounds a conversation: the "Seen" label kept in view,
// the typing indicator right after a send, the unread count in the tab title and on the favicon, desktop
// notification permission, and screenshots of the main screens (1280×800, 360×740, dark) as test artifacts.
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { baseUrl, messageLocator, openDirect, openRoom, send, signUp } from './helpers';

const suffix = Date.now().toString(36).slice(-5);

async function token(page: Page): Promise<string> {
  return page.evaluate(() => JSON.parse(localStorage.getItem('chorus.session')!).accessToken as string);
}

async function gql<T = Record<string, unknown>>(page: Page, query: string, variables: Record<string, unknown>, auth = true) {
  const res = await page.request.post(`${baseUrl()}/graphql`, {
    headers: auth ? { authorization: `Bearer ${await token(page)}` } : {},
    data: { query, variables },
  });
  const body = (await res.json()) as { data?: T; errors?: unknown };
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data!;
}

const meId = (page: Page) => page.evaluate(() => JSON.parse(localStorage.getItem('chorus.session')!).user.id as string);
const roomIdOf = (page: Page) => new URL(page.url()).pathname.split('/')[2];

/** Members made through the API (no browser): their ids. */
async function extraMembers(page: Page, count: number, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const nickname = `${prefix}${i}${suffix}`;
    const data = await gql<{ signUp: { user: { id: string } } }>(
      page,
      'mutation($i: SignUpInput!) { signUp(input: $i) { user { id } } }',
      { i: { email: `${nickname}@example.com`, password: 'correct horse battery', nickname } },
      false,
    );
    ids.push(data.signUp.user.id);
  }
  return ids;
}

async function sendMany(page: Page, roomId: string, texts: string[]) {
  for (const content of texts) {
    await gql(page, 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }', { input: { roomId, content } });
  }
}

/** A screenshot kept with the test's results (frontend/test-results, git-ignored) and attached to the report. */
async function artifact(page: Page, info: TestInfo, name: string) {
  const path = info.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await info.attach(name, { path, contentType: 'image/png' });
}

test('"Seen" stays in view when the receipt arrives; typing shows within 3 s of a send', async ({ browser }) => {
  const ann = await signUp(browser, `ann${suffix}`);
  const ben = await signUp(browser, `ben${suffix}`);
  await openDirect(ann, ben.nickname);
  // A long conversation, so the newest message sits at the very bottom of a scrolled view.
  await sendMany(
    ann.page,
    roomIdOf(ann.page),
    Array.from({ length: 40 }, (_, i) => `filler ${i + 1}`),
  );
  await send(ann.page, 'the last word');
  const last = messageLocator(ann.page, 'the last word');
  await expect(last).toBeInViewport();
  await expect(ann.page.getByTestId('seen')).toHaveCount(0);

  // Ben opens the DM (at his first unread) and goes to the end: his receipt adds "Seen" under Ann's last
  // message, and her view follows it.
  await ben.page.locator(`a[data-room-title="${ann.nickname}"]`).click();
  await ben.page.getByRole('button', { name: /Jump to latest/ }).click();
  await expect(messageLocator(ben.page, 'the last word')).toBeInViewport();
  const seen = ann.page.getByTestId('seen');
  await expect(seen).toHaveText('Seen');
  await expect(seen).toBeInViewport({ ratio: 1 });

  // Ben sends, then types again at once: Ann sees him typing within 3 s (the message ended the throttle
  // window of his typing before it, on both sides).
  const box = ben.page.getByRole('textbox', { name: /^Message / });
  await box.pressSequentially('first');
  await box.press('Enter');
  await expect(messageLocator(ann.page, 'first')).toBeVisible();
  await expect(ann.page.getByText(`${ben.nickname} is typing…`)).toBeHidden({ timeout: 10_000 });
  await box.pressSequentially('and another');
  await expect(ann.page.getByText(`${ben.nickname} is typing…`)).toBeVisible({ timeout: 3_000 });
  await ann.context.close();
  await ben.context.close();
});

test('@here: a member is refused with the reason shown; owner and admin send after confirming in a room of more than 10', async ({
  browser,
}) => {
  const olga = await signUp(browser, `olga${suffix}`);
  const mark = await signUp(browser, `mark${suffix}`);
  const extras = await extraMembers(olga.page, 10, 'crowd');
  const name = `crowd-${suffix}`;
  const created = await gql<{ createGroupRoom: { id: string } }>(
    olga.page,
    'mutation($i: CreateGroupRoomInput!) { createGroupRoom(input: $i) { id } }',
    { i: { name, memberIds: [await meId(mark.page), ...extras] } },
  );
  const roomId = created.createGroupRoom.id;

  // Mark, a MEMBER: no broadcast in the autocomplete, and the server refuses one typed out.
  await openRoom(mark.page, name);
  const markBox = mark.page.getByRole('textbox', { name: /^Message / });
  await markBox.fill('');
  await markBox.pressSequentially('@her');
  await expect(mark.page.getByRole('option', { name: /here/ })).toHaveCount(0);
  await markBox.fill('@here lunch?');
  await markBox.press('Enter');
  await expect(mark.page.getByRole('dialog')).toHaveCount(0);
  const refused = messageLocator(mark.page, 'lunch?');
  await expect(refused).toContainText("Not sent: only the room's owner and admins can use @here, @everyone or @room");

  // Olga, the OWNER: offered @here, asked to confirm, sent; Mark is mentioned.
  await openRoom(olga.page, name);
  const olgaBox = olga.page.getByRole('textbox', { name: /^Message / });
  await olgaBox.pressSequentially('@he');
  await expect(olga.page.getByRole('option', { name: /here/ })).toBeVisible();
  await olgaBox.press('Enter');
  await expect(olgaBox).toHaveValue('@here ');
  await olgaBox.pressSequentially('standup in 5');
  await olgaBox.press('Enter');
  const dialog = olga.page.getByRole('dialog', { name: 'Notify the whole room?' });
  await expect(dialog).toContainText('12 members');
  await expect(messageLocator(olga.page, 'standup in 5')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Send and notify' }).click();
  await expect(messageLocator(olga.page, 'standup in 5')).toBeVisible();
  await expect(messageLocator(olga.page, 'standup in 5')).not.toContainText('Not sent');
  await expect(messageLocator(mark.page, 'standup in 5')).toBeVisible();
  const mentioned = await gql<{ room: { unreadMentionCount: number } }>(
    mark.page,
    'query($id: ID!) { room(id: $id) { unreadMentionCount } }',
    { id: roomId },
  );
  // Mark had the room open: read at once, so the mention shows as a notification rather than a count.
  expect(mentioned.room.unreadMentionCount).toBe(0);
  const notes = await gql<{ notifications: { edges: { node: { kind: string; message: { content: string } | null } }[] } }>(
    mark.page,
    '{ notifications(first: 5) { edges { node { kind message { content } } } } }',
    {},
  );
  expect(notes.notifications.edges.map((e) => [e.node.kind, e.node.message?.content])).toContainEqual(['MENTION', '@here standup in 5']);

  // Made an ADMIN, Mark may: after the confirmation his @everyone goes through.
  await gql(olga.page, 'mutation($r: ID!, $u: ID!) { setRoomRole(roomId: $r, userId: $u, role: ADMIN) { id } }', {
    r: roomId,
    u: await meId(mark.page),
  });
  // Olga reads another room meanwhile: the @everyone names nobody in `mentions`, yet her list counts it.
  const side = `side-${suffix}`;
  await gql(olga.page, 'mutation($i: CreateGroupRoomInput!) { createGroupRoom(input: $i) { id } }', {
    i: { name: side, memberIds: [extras[0]] },
  });
  await openRoom(olga.page, side);
  await markBox.fill('@everyone the build is green');

  await markBox.press('Enter');
  await mark.page.getByRole('dialog', { name: 'Notify the whole room?' }).getByRole('button', { name: 'Send and notify' }).click();
  await expect(messageLocator(mark.page, 'the build is green')).toBeVisible();
  await expect(messageLocator(mark.page, 'the build is green')).not.toContainText('Not sent');
  await expect(olga.page.locator(`a[data-room-title="${name}"]`)).toHaveAttribute('aria-label', /1 unread, 1 mentions/);
  await olga.context.close();
  await mark.context.close();
});

test('the unread total shows in the tab title and on the favicon, and goes when read', async ({ browser }) => {
  const cleo = await signUp(browser, `cleo${suffix}`);
  const dan = await signUp(browser, `dan${suffix}`);
  await openDirect(dan, cleo.nickname);
  await expect(cleo.page).toHaveTitle('Chorus');
  const icon = cleo.page.locator('link[rel~="icon"]');
  await expect(icon).toHaveAttribute('href', '/favicon.svg');

  await sendMany(dan.page, roomIdOf(dan.page), ['one', 'two', 'three']);
  await expect(cleo.page).toHaveTitle('(3) Chorus');
  await expect(icon).toHaveAttribute('data-unread', '3');
  await expect(icon).toHaveAttribute('href', /^data:image\/svg\+xml,/);
  const href = (await icon.getAttribute('href'))!;
  expect(decodeURIComponent(href)).toContain('>3</text>');

  await openRoom(cleo.page, dan.nickname);
  await expect(cleo.page).toHaveTitle('Chorus');
  await expect(icon).toHaveAttribute('href', '/favicon.svg');
  await cleo.context.close();
  await dan.context.close();
});

test('desktop notifications: asked only from the button, state shown; main screens in light, dark and 360 px', async ({
  browser,
}, info) => {
  const eve = await signUp(browser, `eve${suffix}`);
  const fay = await signUp(browser, `fay${suffix}`);
  await openDirect(eve, fay.nickname);
  await send(eve.page, 'Morning! **Deploy** is at 10, see `ops/runbook.md`.');
  await fay.page.locator(`a[data-room-title="${eve.nickname}"]`).click();
  await send(fay.page, 'Thanks, I will be there.');
  await expect(messageLocator(eve.page, 'I will be there')).toBeVisible();

  // Not asked yet: the state and the button, nothing requested on load.
  await eve.page.getByRole('button', { name: 'Profile and settings' }).click();
  const settings = eve.page.getByRole('dialog', { name: 'Profile and settings' });
  await expect(settings.getByText('Not allowed yet')).toBeVisible();
  await expect(settings.getByRole('button', { name: 'Allow desktop notifications' })).toBeVisible();
  await settings.getByText('Desktop notifications', { exact: true }).scrollIntoViewIfNeeded();
  await artifact(eve.page, info, 'settings-1280x800');
  await eve.page.keyboard.press('Escape');

  // Allowed by the browser: the per-device switch, on.
  await eve.context.grantPermissions(['notifications'], { origin: baseUrl() });
  await eve.page.reload();
  await eve.page.getByRole('button', { name: 'Profile and settings' }).click();
  await expect(settings.getByRole('checkbox', { name: /Show desktop notifications/ })).toBeChecked();
  await eve.page.keyboard.press('Escape');

  await artifact(eve.page, info, 'room-1280x800');
  await eve.page.emulateMedia({ colorScheme: 'dark' });
  await artifact(eve.page, info, 'room-1280x800-dark');
  await eve.page.setViewportSize({ width: 360, height: 740 });
  await artifact(eve.page, info, 'room-360x740-dark');
  await eve.page.emulateMedia({ colorScheme: 'light' });
  await artifact(eve.page, info, 'room-360x740');
  await eve.page.goto(`${baseUrl()}/`);
  await artifact(eve.page, info, 'rooms-360x740');
  const login = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await login.goto(`${baseUrl()}/`);
  await artifact(login, info, 'login-1280x800');
  await login.close();
  await eve.context.close();
  await fay.context.close();
});
