// What works without the real-time part: sign-up (with inline field errors), a DM, sending, a reload that keeps
// history, log out and log in.
import { expect, test } from '@playwright/test';
import { baseUrl, messageLocator, openDirect, screenshot, send, signUp } from './helpers';

const suffix = Date.now().toString(36).slice(-5);

test('sign up errors, direct message, history after reload, log in again', async ({ browser }) => {
  // Inline field error from extensions.field.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${baseUrl()}/`);
  await screenshot(page, '01-login');
  await page.getByRole('tab', { name: 'Sign up' }).click();
  await page.getByLabel('Email').fill(`x${suffix}@example.com`);
  await page.getByLabel('Nickname').fill('x');
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.locator('#auth-nickname-error')).toBeVisible();
  await expect(page.getByLabel('Nickname')).toHaveAttribute('aria-invalid', 'true');
  await screenshot(page, '02-signup-field-error');
  await context.close();

  const carol = await signUp(browser, `carol${suffix}`);
  const dave = await signUp(browser, `dave${suffix}`);
  await openDirect(carol, dave.nickname);
  await send(carol.page, 'Hello from Carol');
  await expect(messageLocator(carol.page, 'Hello from Carol')).toBeVisible();
  await expect(messageLocator(carol.page, 'Hello from Carol')).not.toHaveClass(/message--sending/);
  await send(carol.page, 'Second line\nwith a break');
  await expect(messageLocator(carol.page, 'with a break')).toBeVisible();
  // Sent (not only shown) before the reload.
  await expect(messageLocator(carol.page, 'with a break')).not.toHaveClass(/message--sending/);

  await carol.page.reload();
  await expect(messageLocator(carol.page, 'Hello from Carol')).toBeVisible();
  await expect(messageLocator(carol.page, 'with a break')).toBeVisible();
  await screenshot(carol.page, '03-dm-after-reload');

  // Dave finds the room (fetched on load) and its history.
  await dave.page.reload();
  await dave.page.locator(`a[data-room-title="${carol.nickname}"]`).click();
  await expect(messageLocator(dave.page, 'Hello from Carol')).toBeVisible();

  // Log out, log back in.
  await carol.page.getByRole('button', { name: 'Log out' }).click();
  await expect(carol.page.getByRole('tab', { name: 'Log in' })).toBeVisible();
  await carol.page.getByLabel('Email').fill(carol.email);
  await carol.page.getByLabel('Password').fill('correct horse battery');
  await carol.page.getByRole('button', { name: 'Log in' }).click();
  await expect(carol.page.locator(`a[data-room-title="${dave.nickname}"]`)).toBeVisible();

  // Small screen: one pane at a time.
  await carol.page.setViewportSize({ width: 360, height: 740 });
  await carol.page.locator(`a[data-room-title="${dave.nickname}"]`).click();
  await expect(messageLocator(carol.page, 'Hello from Carol')).toBeVisible();
  await screenshot(carol.page, '04-mobile-room');
  await carol.page.emulateMedia({ colorScheme: 'dark' });
  await screenshot(carol.page, '05-mobile-room-dark');
  await carol.page.setViewportSize({ width: 1280, height: 800 });
  await screenshot(carol.page, '06-room-dark');
  await carol.context.close();
  await dave.context.close();
});
