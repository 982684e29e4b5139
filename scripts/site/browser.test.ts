import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { cli, REPO } from '../testing/support.js';
import { folderSource, serveSite } from './serve.js';

// Debian's Chromium, which .ci/run installs with apt-get; a bare clone may not have it.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is absent (CI installs Debian's chromium; apt-get install chromium to run these)`;
const ARTIFACTS = join(REPO, 'dist', 'test-artifacts');

let server: Server;
let browser: Browser;
let origin = '';
const work = mkdtempSync(join(tmpdir(), 'mxspec-browser-'));

before(async () => {
  if (skip) return;
  const out = join(work, 'site');
  const r = cli(['site', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  server = serveSite(folderSource(out));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(ARTIFACTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  rmSync(work, { recursive: true, force: true });
});

/** A fresh page that records every request it makes. */
async function open(path: string, colorScheme: 'light' | 'dark' = 'light'): Promise<{ page: Page; requests: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme });
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (req) => requests.push(req.url()));
  await page.goto(origin + path);
  return { page, requests };
}

test('browser: find the knock endpoint through search and follow its anchor', { skip }, async () => {
  const { page, requests } = await open('/');
  await page.fill('#search-input', 'knock');
  const result = page.locator('#search-results a', { hasText: 'knock' }).first();
  await result.waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'search-knock.png') });
  await page.goto(origin + '/client-server-api/#post_matrixclientv3knockroomidoralias');
  const block = page.locator('#post_matrixclientv3knockroomidoralias');
  await block.waitFor();
  assert.equal(await page.evaluate(() => document.querySelector(':target')?.id), 'post_matrixclientv3knockroomidoralias');
  assert.ok(await block.isVisible());
  const hrefs = await page.locator('#search-results a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(Array.isArray(hrefs));
  await page.screenshot({ path: join(ARTIFACTS, 'knock-endpoint.png') });
  assert.deepEqual(requests.filter((u) => !u.startsWith(origin)), [], 'no request leaves localhost');
});

test('browser: search results for knocking lead to the knock endpoint', { skip }, async () => {
  const { page } = await open('/client-server-api/');
  await page.fill('#search-input', 'POST /_matrix/client/v3/knock');
  await page.locator('#search-results a').first().waitFor();
  const links = await page.locator('#search-results a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
  assert.ok(links.some((l) => l.includes('#post_matrixclientv3knockroomidoralias') || l.includes('#knocking-on-rooms')), links.join('\n'));
  await page.locator('#search-results a').first().click();
  await page.waitForURL(/#/);
  const id = await page.evaluate(() => location.hash.slice(1));
  assert.ok(await page.locator(`[id="${id}"]`).isVisible());
});

test('browser: the knocking section reads as prose, with its endpoint linked', { skip }, async () => {
  const { page } = await open('/client-server-api/#knocking-on-rooms');
  const heading = page.locator('#knocking-on-rooms');
  assert.ok(await heading.isVisible());
  assert.match(await heading.textContent() ?? '', /Knocking on rooms/);
  const text = await page.evaluate(() => {
    const h = document.getElementById('knocking-on-rooms')!;
    let t = '';
    for (let n = h.nextElementSibling; n && !/^H[1-4]$/.test(n.tagName); n = n.nextElementSibling) t += n.textContent ?? '';
    return t;
  });
  assert.ok(text.length > 200, 'prose follows the heading');
  assert.ok(await page.locator('a[href="#post_matrixclientv3knockroomidoralias"]').count() > 0, 'the prose links the knock endpoint');
  await page.screenshot({ path: join(ARTIFACTS, 'knocking-section.png') });
});

test('browser: a nested object\'s table opens from its parent row', { skip }, async () => {
  const { page } = await open('/client-server-api/#get_matrixclientv3sync');
  const link = page.locator('#get_matrixclientv3sync table.schema td.type a[href^="#get_matrixclientv3sync_"]').first();
  const href = await link.getAttribute('href');
  assert.ok(href);
  await link.click();
  await page.waitForURL(new RegExp(href!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$'));
  const table = page.locator(href!);
  assert.ok(await table.isVisible());
  assert.equal(await table.evaluate((t) => t.tagName), 'TABLE');
  await page.screenshot({ path: join(ARTIFACTS, 'nested-table.png') });
});

test('browser: dark mode follows the system, and the toggle is remembered across a reload', { skip }, async () => {
  const { page, requests } = await open('/client-server-api/');
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await background();
  await page.click('.theme-toggle');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  const dark = await background();
  assert.notEqual(dark, light);
  await page.reload();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.equal(await background(), dark);
  await page.screenshot({ path: join(ARTIFACTS, 'dark-mode.png') });
  const system = await open('/', 'dark');
  assert.equal(await system.page.evaluate(() => getComputedStyle(document.body).backgroundColor), dark, 'a dark system setting gives the dark palette');
  assert.deepEqual([...requests, ...system.requests].filter((u) => !u.startsWith(origin)), [], 'no request leaves localhost');
});

test('browser: readable without JavaScript and usable by keyboard', { skip }, async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(origin + '/client-server-api/');
  assert.ok(await page.locator('#post_matrixclientv3knockroomidoralias').isVisible());
  assert.ok(await page.locator('.sidebar .endpoint-list a').first().isVisible());
  const withJs = (await open('/client-server-api/')).page;
  await withJs.keyboard.press('Tab');
  assert.equal(await withJs.evaluate(() => document.activeElement?.textContent), 'Skip to content');
  await withJs.keyboard.press('Enter');
  assert.equal(await withJs.evaluate(() => location.hash), '#content');
});

const VIEWPORTS = [{ name: 'desktop', width: 1440, height: 900 }, { name: 'phone', width: 390, height: 844 }] as const;

for (const viewport of VIEWPORTS) {
  test(`browser (${viewport.name}): a jump to an anchor lands below the header`, { skip }, async () => {
    const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
    const page = await context.newPage();
    const anchors = ['post_matrixclientv3knockroomidoralias', 'knocking-on-rooms', 'get_matrixclientv3sync'];
    for (const anchor of anchors) {
      await page.goto(`${origin}/client-server-api/#${anchor}`);
      await page.waitForLoadState('load');
      const header = await page.locator('header.topbar').boundingBox();
      const target = await page.locator(`[id="${anchor}"]`).boundingBox();
      assert.ok(header && target, anchor);
      const sticky = await page.locator('header.topbar').evaluate((h) => getComputedStyle(h).position === 'sticky');
      // A sticky header covers the top of the viewport; a static one scrolls away with the page.
      const covered = sticky ? header.y + header.height : 0;
      assert.ok(target.y >= covered - 1, `${anchor} starts at ${target.y}px, under a header ending at ${covered}px`);
    }
    await page.screenshot({ path: join(ARTIFACTS, `anchor-${viewport.name}.png`) });
    await context.close();
  });
}

test('browser: the header has its final height before scripts change anything', { skip }, async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const heights: number[] = [];
  await page.exposeFunction('recordHeight', (h: number) => { heights.push(h); });
  await page.addInitScript(() => {
    document.addEventListener('readystatechange', () => {
      const h = document.querySelector('header.topbar')?.getBoundingClientRect().height;
      if (h !== undefined) (window as unknown as { recordHeight(n: number): void }).recordHeight(h);
    });
  });
  await page.goto(`${origin}/client-server-api/`);
  await page.waitForLoadState('load');
  heights.push((await page.locator('header.topbar').boundingBox())!.height);
  assert.ok(heights.length >= 2);
  assert.equal(new Set(heights.map((h) => Math.round(h))).size, 1, `the header changed height: ${heights.join(', ')}`);
  await context.close();
});

test('browser: the theme toggle keeps its label and says whether dark mode is on', { skip }, async () => {
  const { page } = await open('/');
  const toggle = page.locator('.theme-toggle');
  assert.equal(await toggle.textContent(), 'Dark mode');
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
  await toggle.click();
  assert.equal(await toggle.textContent(), 'Dark mode');
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
});

test('browser: printing shows the content only, with the addresses of outside links', { skip }, async () => {
  const { page } = await open('/client-server-api/');
  await page.emulateMedia({ media: 'print' });
  for (const selector of ['header.topbar', 'aside.sidebar', 'footer']) {
    assert.equal(await page.locator(selector).evaluate((e) => getComputedStyle(e).display), 'none', selector);
  }
  const after = await page.locator('main a[href^="http"]').first()
    .evaluate((a) => getComputedStyle(a, '::after').content);
  assert.match(after, /http/);
  await page.pdf({ path: join(ARTIFACTS, 'print.pdf') }).catch(() => undefined);
});

test('browser: code and examples that scroll can be reached by keyboard', { skip }, async () => {
  const { page } = await open('/client-server-api/');
  const unreachable = await page.locator('pre').evaluateAll((pres) => pres
    .filter((p) => p.scrollWidth > p.clientWidth && p.tabIndex < 0).length);
  assert.equal(unreachable, 0);
});
