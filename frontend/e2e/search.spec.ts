// Message search (issue 14): Ctrl/Cmd+F opens it, operator suggestions complete `from:`, hits are grouped by
// room with the matched parts marked (partial words, Korean), a bad operator is explained inline, a room I left
// is never searched, and a hit opens its room around the message, highlighted and in view; also at 360 px.
import { expect, test, type Page } from '@playwright/test';
import { baseUrl, screenshot, signUp } from './helpers';

const suffix = Date.now().toString(36).slice(-5);

async function token(page: Page): Promise<string> {
  return page.evaluate(() => JSON.parse(localStorage.getItem('chorus.session')!).accessToken as string);
}

async function gql<T = Record<string, unknown>>(page: Page, query: string, variables: Record<string, unknown>) {
  const res = await page.request.post(`${baseUrl()}/graphql`, {
    headers: { authorization: `Bearer ${await token(page)}` },
    data: { query, variables },
  });
  const body = (await res.json()) as { data?: T; errors?: unknown };
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data!;
}

const meId = (page: Page) => page.evaluate(() => JSON.parse(localStorage.getItem('chorus.session')!).user.id as string);

async function createGroup(page: Page, name: string, memberIds: string[]): Promise<string> {
  const data = await gql<{ createGroupRoom: { id: string } }>(
    page,
    'mutation($input: CreateGroupRoomInput!) { createGroupRoom(input: $input) { id } }',
    { input: { name, memberIds } },
  );
  return data.createGroupRoom.id;
}

async function sendAll(page: Page, roomId: string, texts: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const content of texts) {
    const data = await gql<{ sendMessage: { id: string } }>(
      page,
      'mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }',
      { input: { roomId, content } },
    );
    ids.push(data.sendMessage.id);
  }
  return ids;
}

test('search: suggestions, highlighted hits grouped by room, a left room never shown, click lands on the message', async ({
  browser,
}) => {
  const ann = await signUp(browser, `ann${suffix}`);
  const ben = await signUp(browser, `ben${suffix}`);
  const benId = await meId(ben.page);
  const ops = `ops-${suffix}`;
  const old = `old-${suffix}`;
  const opsId = await createGroup(ann.page, ops, [benId]);
  const oldId = await createGroup(ann.page, old, [benId]);

  // The hit is followed by a long history, so landing on it means scrolling up to it.
  const [targetId] = await sendAll(ann.page, opsId, [
    `We are redeploying the gateway ${suffix} tonight`,
    `오늘 배포했습니다 ${suffix}`,
    ...Array.from({ length: 60 }, (_, i) => `filler ${i + 1}`),
  ]);
  const reply = await gql<{ replyInThread: { id: string } }>(
    ann.page,
    'mutation($input: ReplyInput!) { replyInThread(input: $input) { id } }',
    { input: { parentId: targetId, content: `rollback plan 🚀 ready ${suffix}` } },
  );
  const replyId = reply.replyInThread.id;
  await sendAll(ann.page, oldId, [`deploy notes ${suffix} in the room Ben leaves`]);
  await gql(ben.page, 'mutation($id: ID!) { leaveRoom(roomId: $id) }', { id: oldId });

  const page = ben.page;
  await expect(page.locator(`a[data-room-title="${ops}"]`)).toBeVisible();
  await expect(page.locator(`a[data-room-title="${old}"]`)).toHaveCount(0);

  // Ctrl+F inside Chorus opens the search, focused, with the operators listed.
  await page.getByRole('heading', { name: 'Welcome to Chorus' }).click();
  await page.keyboard.press('Control+f');
  const dialog = page.getByRole('dialog', { name: 'Search messages' });
  const box = dialog.getByRole('combobox', { name: 'Search messages' });
  await expect(box).toBeFocused();
  await expect(dialog.getByRole('option', { name: /from:@nickname/ })).toBeVisible();

  // `from:` suggests people: Enter takes Ann.
  await box.pressSequentially(`from:@ann${suffix.slice(0, 2)}`);
  await expect(dialog.getByRole('option', { name: `@${ann.nickname}` })).toHaveAttribute('aria-selected', 'true');
  await screenshot(page, '59-search-suggestions');
  await box.press('Enter');
  await expect(box).toHaveValue(`from:@${ann.nickname} `);
  await box.pressSequentially(`deploy ${suffix}`);
  await box.press('Enter');

  const results = dialog.getByRole('region', { name: 'Search results' });
  const hit = results.locator(`.search-hit[data-message-id="${targetId}"]`);
  await expect(hit).toBeVisible();
  // A part of a word, marked; grouped under its room; the left room's message is not there.
  await expect(hit.locator('mark').first()).toHaveText('deploy');
  await expect(results.getByRole('heading', { level: 3 })).toHaveText([`# ${ops}`]);
  await expect(results).not.toContainText('in the room Ben leaves');
  await screenshot(page, '60-search-results');

  // Korean, found by two characters inside a word.
  await box.fill(`배포 ${suffix}`);
  await box.press('Enter');
  await expect(results.locator('mark').first()).toHaveText('배포');
  await expect(results.locator('.search-hit')).toHaveCount(1);

  // Infinite scroll: 60 fillers come 20 at a time as the end of the list comes into view; newest first on demand.
  await box.fill('filler');
  await box.press('Enter');
  await expect(results.locator('.search-hit')).toHaveCount(20);
  await expect(dialog.getByRole('status')).toHaveText('20+ results');
  await results.locator('.search-hit').last().scrollIntoViewIfNeeded();
  await expect(results.locator('.search-hit')).toHaveCount(40);
  await dialog.getByRole('button', { name: 'Newest' }).click();
  await expect(dialog.getByRole('button', { name: 'Newest' })).toHaveAttribute('aria-pressed', 'true');
  await expect(results.locator('.search-hit').first()).toContainText('filler 60');

  // A bad operator: the server's message, inline.
  await box.fill('before:soon');
  await box.press('Enter');
  await expect(dialog.getByRole('alert')).toContainText('before:');
  await expect(box).toHaveAttribute('aria-invalid', 'true');

  // Back to the first search; clicking the hit opens the room around the message, highlighted and in view.
  await box.fill(`deploy ${suffix}`);
  await box.press('Enter');
  await hit.click();
  await expect(dialog).toHaveCount(0);
  await expect(page).toHaveURL(new RegExp(`/r/${opsId}/m/${targetId}$`));
  await expect(page.getByRole('heading', { level: 1, name: `# ${ops}` })).toBeVisible();
  const landed = page.locator(`article.message[data-message-id="${targetId}"]`);
  await expect(landed).toHaveClass(/message--focus/);
  await expect(landed).toBeInViewport();
  await expect(landed).toBeFocused();
  await screenshot(page, '61-search-landed');

  // A thread reply (found by its emoji): its thread opens with the reply highlighted.
  await page.keyboard.press('Control+f');
  await box.fill(`is:thread 🚀 ${suffix}`);
  await box.press('Enter');
  const replyHit = results.locator(`.search-hit[data-message-id="${replyId}"]`);
  await expect(replyHit).toContainText('Thread reply');
  await expect(replyHit.locator('mark').first()).toHaveText('🚀');
  await replyHit.click();
  const thread = page.getByRole('complementary', { name: 'Thread' });
  const landedReply = thread.locator(`article.message[data-message-id="${replyId}"]`);
  await expect(landedReply).toHaveClass(/message--focus/);
  await expect(landedReply).toBeInViewport();
  await expect(landedReply).toBeFocused();
  await expect(page.locator(`.room article.message[data-message-id="${targetId}"]`)).toHaveClass(/message--focus/);
  await screenshot(page, '63-search-thread-reply');
  await thread.getByRole('button', { name: 'Close thread' }).click();

  // The room header's search button searches this room only.
  await page.getByRole('button', { name: 'Search in this conversation' }).click();
  await expect(box).toHaveValue(`in:#${ops} `);
  await expect(box).toBeFocused();
  await box.pressSequentially(`redeploying ${suffix}`);
  await box.press('Enter');
  await expect(hit).toBeVisible();
  await expect(results.locator('.search-hit')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  // At 360 px (dark) the search fills the screen and nothing overflows sideways.
  await page.setViewportSize({ width: 360, height: 740 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.keyboard.press('Control+f');
  await box.fill(`deploy ${suffix}`);
  await box.press('Enter');
  await expect(box).toBeFocused();
  await expect(hit).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const boxRect = await box.boundingBox();
  expect(boxRect!.x + boxRect!.width).toBeLessThanOrEqual(360);
  await screenshot(page, '62-search-360');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  // From the quick switcher: its last option searches messages for what was typed.
  await page.keyboard.press('Control+k');
  const switcher = page.getByRole('combobox', { name: 'Find a conversation' });
  await switcher.fill(`deploy ${suffix}`);
  await switcher.press('Enter');
  await expect(box).toHaveValue(`deploy ${suffix}`);
  await expect(hit).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  await ann.context.close();
  await ben.context.close();
});
