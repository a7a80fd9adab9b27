// Link previews as people see them: a page served by this spec on 127.0.0.1 (allow-listed for the e2e server)
// shows as a card under the message for both people, a private address that is not allow-listed is never
// requested, and the author can remove the card for everyone.
import { expect, test, type Page } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { baseUrl, messageLocator, openDirect, send, signUp } from './helpers';

const suffix = Date.now().toString(36).slice(-5);

async function listen(server: Server, host: string): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as AddressInfo).port;
}

async function refusedPreviews(page: Page): Promise<number> {
  const text = await (await page.request.get(`${baseUrl()}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('chorus_link_previews_total{outcome="refused"}'));
  return Number(line?.split(' ').pop() ?? 0);
}

test('a link preview comes from an allowed page, never from a private address, and its author can remove it', async ({
  browser,
}) => {
  let allowedHits = 0;
  const allowed = createServer((_req, res) => {
    allowedHits++;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      '<!doctype html><html><head><title>Fallback title</title>' +
        '<meta property="og:title" content="Chorus preview page">' +
        '<meta property="og:description" content="Served by the e2e spec">' +
        '</head><body>hello</body></html>',
    );
  });
  let privateHits = 0;
  const privateServer = createServer((_req, res) => {
    privateHits++;
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<title>must not be fetched</title>');
  });
  const allowedPort = await listen(allowed, '127.0.0.1');
  const privatePort = await listen(privateServer, '127.0.0.2');
  try {
    const ann = await signUp(browser, `pann${suffix}`);
    const ben = await signUp(browser, `pben${suffix}`);
    await openDirect(ann, ben.nickname);
    await send(ann.page, `have a look http://127.0.0.1:${allowedPort}/page`);
    await ben.page.locator(`a[data-room-title="${ann.nickname}"]`).click();
    for (const page of [ann.page, ben.page]) {
      const card = page.getByTestId('link-preview');
      await expect(card).toContainText('Chorus preview page');
      await expect(card).toContainText('Served by the e2e spec');
    }
    expect(allowedHits).toBe(1);

    const refusedBefore = await refusedPreviews(ann.page);
    await send(ann.page, `and this one http://127.0.0.2:${privatePort}/secret`);
    await expect(messageLocator(ben.page, 'and this one')).toBeVisible();
    await expect.poll(() => refusedPreviews(ann.page)).toBeGreaterThan(refusedBefore);
    expect(privateHits).toBe(0);
    await expect(ben.page.getByTestId('link-preview')).toHaveCount(1);

    await ann.page.getByRole('button', { name: 'Remove link preview' }).click();
    await expect(ben.page.getByTestId('link-preview')).toHaveCount(0);
    await expect(ann.page.getByTestId('link-preview')).toHaveCount(0);
  } finally {
    allowed.close();
    privateServer.close();
  }
});
