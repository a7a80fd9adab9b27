// History: upward infinite scroll loads older pages and keeps the reader's place.
import { expect, test } from '@playwright/test';
import { baseUrl, messageLocator, openDirect, send, signUp } from './helpers';

const suffix = Date.now().toString(36).slice(-5);

test('older messages load when scrolling up, without moving the view', async ({ browser }) => {
  const erin = await signUp(browser, `erin${suffix}`);
  const fred = await signUp(browser, `fred${suffix}`);
  await openDirect(erin, fred.nickname);
  await send(erin.page, 'first of many');
  await expect(messageLocator(erin.page, 'first of many')).not.toHaveClass(/message--sending/);
  const roomId = new URL(erin.page.url()).pathname.split('/').pop()!;
  const token = await erin.page.evaluate(() => JSON.parse(localStorage.getItem('chorus.session')!).accessToken as string);
  for (let i = 1; i <= 80; i++) {
    const res = await erin.page.request.post(`${baseUrl()}/graphql`, {
      headers: { authorization: `Bearer ${token}` },
      data: {
        query: 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }',
        variables: { input: { roomId, content: `seeded message ${i}` } },
      },
    });
    expect(res.ok()).toBe(true);
  }
  await erin.page.reload();
  const scroller = erin.page.getByRole('log', { name: `Messages in ${fred.nickname}` });
  await expect(messageLocator(erin.page, 'seeded message 80')).toBeVisible();
  // The first page holds the newest 50: the oldest message is not loaded yet.
  await expect(messageLocator(erin.page, 'first of many')).toHaveCount(0);

  // Scroll to the top: the older page comes in above, and the message that was on top stays in view.
  const topBefore = erin.page.locator('article.message').first();
  const topId = await topBefore.getAttribute('data-message-id');
  await scroller.evaluate((el) => el.scrollTo({ top: 0 }));
  await expect(messageLocator(erin.page, 'first of many')).toHaveCount(1);
  const anchor = erin.page.locator(`article[data-message-id="${topId}"]`);
  await expect(anchor).toBeInViewport();
  await expect(erin.page.getByRole('heading', { name: fred.nickname, level: 2 })).toBeAttached();

  // Jump to latest brings the newest message back.
  await erin.page.getByRole('button', { name: /Jump to latest/ }).click();
  await expect(messageLocator(erin.page, 'seeded message 80')).toBeInViewport();
  await erin.context.close();
  await fred.context.close();
});
