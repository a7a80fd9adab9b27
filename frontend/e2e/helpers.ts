import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export const baseUrl = () => {
  const url = process.env.CHORUS_E2E_URL;
  if (!url) throw new Error('CHORUS_E2E_URL is not set (global setup did not run)');
  return url;
};

const shots = join(here, 'screenshots');
mkdirSync(shots, { recursive: true });

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: join(shots, `${name}.png`) });
}

export interface Person {
  context: BrowserContext;
  page: Page;
  nickname: string;
  email: string;
}

export async function signUp(browser: Browser, nickname: string): Promise<Person> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const email = `${nickname}@example.com`;
  await page.goto(`${baseUrl()}/`);
  await page.getByRole('tab', { name: 'Sign up' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Nickname').fill(nickname);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Welcome to Chorus' })).toBeVisible();
  return { context, page, nickname, email };
}

export async function openDirect(person: Person, other: string) {
  const { page } = person;
  await page.getByRole('button', { name: 'New direct message' }).click();
  await page.getByLabel('Find people').fill(other);
  await page.getByRole('button', { name: other, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: other })).toBeVisible();
}

export async function openRoom(page: Page, title: string) {
  await page.locator(`a[data-room-title="${title}"]`).click();
}

export async function send(page: Page, text: string, placeholder: RegExp | string = /^Message /) {
  const box = page.getByRole('textbox', { name: placeholder });
  await box.fill(text);
  await box.press('Enter');
}

export function messageLocator(page: Page, text: string) {
  return page.locator('article.message').filter({ hasText: text });
}
