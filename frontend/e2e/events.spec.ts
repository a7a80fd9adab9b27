// The one live stream per user (`events`): a room created elsewhere (by someone else, or by me in another
// tab) appears in the list without a reload, and a nickname change shows live to the others and on my own
// older messages (issue 12 bugs 3 and 4).
import { expect, test, type Page } from '@playwright/test';
import { baseUrl, messageLocator, openRoom, screenshot, send, signUp } from './helpers';

const suffix = Date.now().toString(36).slice(-5);

async function createGroup(page: Page, name: string, member: string) {
  await page.getByRole('button', { name: 'New group' }).click();
  await page.getByLabel('Group name').fill(name);
  await page.getByLabel('Add people').fill(member);
  await page.getByRole('button', { name: member, exact: true }).click();
  await page.getByRole('button', { name: 'Create group' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `# ${name}` })).toBeVisible();
}

test('rooms created elsewhere appear live; a nickname change shows live everywhere', async ({ browser }) => {
  const ann = await signUp(browser, `ann${suffix}`);
  const ben = await signUp(browser, `ben${suffix}`);

  // Ann creates a group with Ben, who has no room yet: it appears in his list, no reload.
  await createGroup(ann.page, `plans-${suffix}`, ben.nickname);
  await expect(ben.page.locator(`a[data-room-title="plans-${suffix}"]`)).toBeVisible();

  // Ben, in a second tab, creates a group with Ann: his first tab and Ann's list show it live.
  const benTab = await ben.context.newPage();
  await benTab.goto(`${baseUrl()}/`);
  await createGroup(benTab, `side-${suffix}`, ann.nickname);
  await expect(ben.page.locator(`a[data-room-title="side-${suffix}"]`)).toBeVisible();
  await expect(ann.page.locator(`a[data-room-title="side-${suffix}"]`)).toBeVisible();
  await benTab.close();
  await screenshot(ben.page, '30-rooms-appear-live');

  // Ann writes; Ben reads it under her name.
  await openRoom(ann.page, `plans-${suffix}`);
  await send(ann.page, 'an older message from ann');
  await openRoom(ben.page, `plans-${suffix}`);
  const older = messageLocator(ben.page, 'an older message from ann');
  await expect(older.locator('.message__sender')).toHaveText(ann.nickname);

  // Ann renames herself: Ben sees the new name on her older message, and Ann on her own.
  const renamed = `annie${suffix}`;
  await ann.page.getByRole('button', { name: 'Profile and settings' }).click();
  const settings = ann.page.getByRole('dialog', { name: 'Profile and settings' });
  await settings.getByLabel('Nickname', { exact: true }).fill(renamed);
  await settings.getByRole('button', { name: 'Save' }).click();
  await expect(settings.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await ann.page.keyboard.press('Escape');
  await expect(older.locator('.message__sender')).toHaveText(renamed);
  // The room list's preview of the last message too.
  await expect(ben.page.locator(`a[data-room-title="plans-${suffix}"]`)).toContainText(`${renamed}: an older message`);
  await expect(messageLocator(ann.page, 'an older message from ann').locator('.message__sender')).toHaveText(renamed);
  await screenshot(ben.page, '31-rename-live');

  // And after a reload (from the server).
  await ben.page.reload();
  await expect(messageLocator(ben.page, 'an older message from ann').locator('.message__sender')).toHaveText(renamed);
  await ann.context.close();
  await ben.context.close();
});
