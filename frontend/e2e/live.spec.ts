// The live product with two people: Alice and Bob in two browser contexts.
import { expect, test, type Page } from '@playwright/test';
import { messageLocator, openDirect, openRoom, screenshot, send, signUp } from './helpers';

const suffix = Date.now().toString(36).slice(-5);
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

async function hoverAndClick(page: Page, text: string, action: string) {
  const message = messageLocator(page, text).first();
  await message.hover();
  await message.getByRole('button', { name: action }).first().click();
}

test('Alice and Bob: DM and group, live messages, reactions, threads, edits, deletes, mentions, receipts, presence', async ({
  browser,
}) => {
  const alice = await signUp(browser, `alice${suffix}`);
  const bob = await signUp(browser, `bob${suffix}`);

  // Alice opens a DM with Bob and writes; Bob sees the room and the message appear without reloading.
  await openDirect(alice, bob.nickname);
  await send(alice.page, 'Hi Bob, welcome to Chorus!');
  await expect(messageLocator(alice.page, 'Hi Bob, welcome')).toBeVisible();
  const dmLink = bob.page.locator(`a[data-room-title="${alice.nickname}"]`);
  await expect(dmLink).toBeVisible();
  await expect(dmLink.getByTestId('unread-badge')).toHaveText('1');
  await screenshot(bob.page, '10-bob-unread');
  await dmLink.click();
  await expect(messageLocator(bob.page, 'Hi Bob, welcome')).toBeVisible();

  // Read receipt: Alice sees "Seen" once Bob has the room open.
  await expect(alice.page.getByTestId('seen')).toHaveText('Seen');

  // Presence: Bob is online in Alice's DM header.
  await expect(alice.page.getByTestId('partner-presence')).toHaveAttribute('data-presence', 'online');

  // Typing indicator, then Bob's reply appears live for Alice.
  await bob.page.getByRole('textbox', { name: /^Message / }).pressSequentially('Hey Al');
  await expect(alice.page.getByText(`${bob.nickname} is typing…`)).toBeVisible();
  await bob.page.getByRole('textbox', { name: /^Message / }).pressSequentially('ice!');
  await bob.page.getByRole('textbox', { name: /^Message / }).press('Enter');
  await expect(messageLocator(alice.page, 'Hey Alice!')).toBeVisible();

  // Reaction: Bob reacts to Alice's message; Alice sees the count, Bob sees it highlighted as his.
  await hoverAndClick(bob.page, 'Hi Bob, welcome', 'Add reaction');
  await bob.page.getByRole('button', { name: 'More emoji' }).click();
  await expect(bob.page.locator('.EmojiPickerReact')).toBeVisible();
  await screenshot(bob.page, '16-emoji-picker');
  await bob.page.getByRole('button', { name: 'React with 👍' }).click();
  await expect(messageLocator(bob.page, 'Hi Bob, welcome').locator('.reaction--mine')).toContainText('1');
  await expect(messageLocator(alice.page, 'Hi Bob, welcome').locator('.reaction:not(.reaction--add)')).toContainText('👍');
  await expect(messageLocator(alice.page, 'Hi Bob, welcome').locator('.reaction:not(.reaction--add)').first()).toContainText('1');

  // Thread reply: Alice replies to Bob's message in a thread; Bob sees the reply count and the reply.
  await hoverAndClick(alice.page, 'Hey Alice!', 'Reply in thread');
  await expect(alice.page.getByRole('complementary', { name: 'Thread' })).toBeVisible();
  await send(alice.page, 'A reply in the thread', 'Reply in thread');
  await expect(alice.page.getByRole('complementary', { name: 'Thread' }).getByText('A reply in the thread')).toBeVisible();
  await screenshot(alice.page, '11-alice-thread');
  await expect(messageLocator(bob.page, 'Hey Alice!').getByRole('button', { name: '1 reply' })).toBeVisible();
  await messageLocator(bob.page, 'Hey Alice!').getByRole('button', { name: '1 reply' }).click();
  await expect(bob.page.getByRole('complementary', { name: 'Thread' }).getByText('A reply in the thread')).toBeVisible();
  await bob.page.getByRole('button', { name: 'Close thread' }).click();
  await alice.page.getByRole('button', { name: 'Close thread' }).click();

  // Edit: Bob sees "(edited)".
  await send(alice.page, 'This has a typo');
  await expect(messageLocator(bob.page, 'This has a typo')).toBeVisible();
  await hoverAndClick(alice.page, 'This has a typo', 'Edit message');
  const editor = alice.page.getByRole('textbox', { name: 'Edit message' });
  await editor.fill('This is fixed');
  await editor.press('Enter');
  await expect(messageLocator(bob.page, 'This is fixed')).toContainText('(edited)');

  // Delete (with confirmation): Bob sees the tombstone.
  await send(alice.page, 'Delete me soon');
  await expect(messageLocator(bob.page, 'Delete me soon')).toBeVisible();
  await hoverAndClick(alice.page, 'Delete me soon', 'Delete message');
  await alice.page.getByRole('dialog', { name: 'Delete message?' }).getByRole('button', { name: 'Delete' }).click();
  await expect(bob.page.locator('article.message').filter({ hasText: 'Message deleted' })).toBeVisible();
  await expect(messageLocator(bob.page, 'Delete me soon')).toHaveCount(0);
  await screenshot(bob.page, '12-bob-dm');

  // Group with Bob: while Bob stays in the DM, an @mention raises his toast and mention badge.
  await alice.page.getByRole('button', { name: 'New group' }).click();
  await alice.page.getByLabel('Group name').fill(`launch-${suffix}`);
  await alice.page.getByLabel('Add people').fill(bob.nickname);
  await alice.page.getByRole('button', { name: bob.nickname, exact: true }).click();
  await alice.page.getByRole('button', { name: 'Create group' }).click();
  await expect(alice.page.getByRole('heading', { level: 1, name: `# launch-${suffix}` })).toBeVisible();
  const box = alice.page.getByRole('textbox', { name: /^Message / });
  await box.pressSequentially(`@${bob.nickname.slice(0, 3)}`);
  await expect(alice.page.getByRole('option', { name: bob.nickname })).toBeVisible();
  await screenshot(alice.page, '13-alice-mention-autocomplete');
  await box.press('Enter'); // picks the suggestion
  await box.pressSequentially('can you check the launch plan?');
  await box.press('Enter');
  await expect(messageLocator(alice.page, 'can you check the launch plan?')).toBeVisible();

  // An image, attached with the button: Bob sees it.
  await alice.page.locator('input[type="file"]').first().setInputFiles({ name: 'dot.png', mimeType: 'image/png', buffer: PNG });
  await expect(alice.page.getByRole('button', { name: 'Send message' })).toBeEnabled();
  await box.pressSequentially('the logo');
  await box.press('Enter');
  await expect(messageLocator(alice.page, 'the logo').locator('img[alt="Attached image"]')).toBeVisible();

  // Any other file: sent as a chip with its name that downloads it.
  await alice.page
    .locator('input[type="file"]')
    .first()
    .setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n%%EOF\n') });
  await expect(alice.page.getByRole('button', { name: 'Send message' })).toBeEnabled();
  await box.pressSequentially('the report');
  await box.press('Enter');
  await expect(messageLocator(alice.page, 'the report').locator('a.attachment-file')).toContainText('report.pdf');

  const toast = bob.page.getByTestId('toast').filter({ hasText: `${alice.nickname} mentioned you` });
  await expect(toast).toBeVisible();
  const groupLink = bob.page.locator(`a[data-room-title="launch-${suffix}"]`);
  await expect(groupLink.getByTestId('mention-badge')).toHaveText('@1');
  await screenshot(bob.page, '14-bob-mention-toast');

  // Bob opens the group: the live message is there, and a reload keeps the history.
  await groupLink.click();
  await expect(messageLocator(bob.page, 'can you check the launch plan?')).toBeVisible();
  await expect(messageLocator(bob.page, 'the logo').locator('img[alt="Attached image"]')).toBeVisible();
  await expect(messageLocator(bob.page, 'the report').locator('a.attachment-file[download="report.pdf"]')).toContainText('PDF');
  await bob.page.reload();
  await expect(messageLocator(bob.page, 'can you check the launch plan?')).toBeVisible();
  await openRoom(bob.page, alice.nickname);
  await expect(messageLocator(bob.page, 'This is fixed')).toBeVisible();
  await expect(messageLocator(bob.page, 'Hey Alice!')).toBeVisible();

  // Roles: Alice (owner) makes Bob an admin; live, Bob may now delete Alice's messages in the group.
  await openRoom(alice.page, `launch-${suffix}`);
  await alice.page.getByRole('button', { name: '2 members' }).click();
  await alice.page.getByLabel(`Role of ${bob.nickname}`).selectOption('ADMIN');
  await expect(alice.page.getByLabel(`Role of ${bob.nickname}`)).toHaveValue('ADMIN');
  await screenshot(alice.page, '18-members');
  await alice.page.keyboard.press('Escape');
  await openRoom(bob.page, `launch-${suffix}`);
  const logo = messageLocator(bob.page, 'the logo');
  await logo.hover();
  await expect(logo.getByRole('button', { name: 'Delete message' })).toBeVisible();
  await openRoom(bob.page, alice.nickname);

  // Settings: mute the group from the panel; the sidebar shows it muted.
  await alice.page.getByRole('button', { name: 'Profile and settings' }).click();
  const settings = alice.page.getByRole('dialog', { name: 'Profile and settings' });
  await settings.getByRole('checkbox', { name: `# launch-${suffix}` }).uncheck();
  // Avatar upload: shown at once on my profile button.
  await settings.getByLabel('Upload a profile photo').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: PNG });
  await expect(alice.page.getByRole('button', { name: 'Profile and settings' }).locator('img')).toBeVisible();
  await screenshot(alice.page, '17-settings');
  await alice.page.keyboard.press('Escape');
  await expect(alice.page.locator(`a[data-room-title="launch-${suffix}"]`)).toHaveClass(/room-item--muted/);

  // Presence: when Bob's browser goes away, Alice sees him offline.
  await openRoom(alice.page, bob.nickname);
  await expect(alice.page.getByTestId('partner-presence')).toHaveAttribute('data-presence', 'online');
  await bob.context.close();
  await expect(alice.page.getByTestId('partner-presence')).toHaveAttribute('data-presence', 'offline', {
    timeout: 60_000,
  });
  await screenshot(alice.page, '15-alice-bob-offline');
  await alice.context.close();
});
