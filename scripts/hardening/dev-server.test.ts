import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, test } from 'node:test';
import { folderSource, serveSite } from '../site/serve.js';
import { get, raw, startDev, waitFor } from '../testing/dev.js';
import { REPO } from '../testing/support.js';

const BASE = join(REPO, 'scripts', 'hardening', 'fixtures', 'dev-server');
const WORK = mkdtempSync(join(tmpdir(), 'mxspec-dev-server-'));
after(() => rmSync(WORK, { recursive: true, force: true }));

/** Requests that must each get 400 or 404, never a crash, a hang, or a file outside the site. */
const MALFORMED = [
  '/%', '/%E0%A4%A', '/%zz', '/..%2f..%2fetc/passwd', '/..%2F..%2F..%2Fetc%2Fpasswd', '/%2e%2e/%2e%2e/etc/passwd',
  '/../../etc/passwd', '/a%00b', '/assets/%2e%2e%2f%2e%2e%2fpackage.json', '//etc/passwd', '/..\\..\\etc\\passwd',
  `/${'a'.repeat(5_000)}`, `/${'%'.repeat(20_000)}`, `/${'a/'.repeat(60_000)}`,
];

async function assertMalformedRefused(port: number): Promise<void> {
  for (const path of MALFORMED) {
    const answer = await get(port, path);
    assert.ok(answer.status === 400 || answer.status === 404, `${path.slice(0, 60)} → ${answer.status}`);
    assert.ok(!answer.body.includes('root:'), 'nothing from /etc/passwd');
    assert.ok(!answer.body.includes('"name": "mxspec"'), 'nothing from outside the site');
  }
  assert.equal((await raw(port, 'NONSENSE')).status, 400, 'an unparsable request line gets 400');
}

test('serve: a folder is served only inside itself; a sibling named like it and links out are refused', async () => {
  const dir = mkdtempSync(join(WORK, 'static-'));
  mkdirSync(join(dir, 'site'));
  mkdirSync(join(dir, 'site-evil'));
  writeFileSync(join(dir, 'site', 'index.html'), '<p>home</p>');
  writeFileSync(join(dir, 'site-evil', 'secret.txt'), 'SIBLING-SECRET');
  symlinkSync(join(dir, 'site-evil', 'secret.txt'), join(dir, 'site', 'link.txt'));
  const source = folderSource(join(dir, 'site'));
  assert.equal(source('../site-evil/secret.txt'), undefined, 'a string-prefix check would serve this');
  assert.equal(source('link.txt'), undefined, 'a link out of the folder is not followed');
  assert.equal(String(source('index.html')), '<p>home</p>');
  const server: Server = serveSite(source);
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  try {
    const port = (server.address() as AddressInfo).port;
    assert.equal((await get(port, '/')).status, 200);
    for (const path of ['/..%2fsite-evil%2fsecret.txt', '/%2e%2e/site-evil/secret.txt', '/link.txt']) {
      const answer = await get(port, path);
      assert.ok(answer.status === 400 || answer.status === 404, `${path} → ${answer.status}`);
      assert.ok(!answer.body.includes('SIBLING-SECRET'));
    }
    await assertMalformedRefused(port);
    assert.equal((await get(port, '/')).status, 200, 'still serving');
  } finally {
    await new Promise((done) => server.close(done));
  }
});

/** Saves like an editor: the new text goes to a temporary file, which is renamed over the page. */
function save(file: string, text: string, n: number): void {
  const tmp = `${file}.${n}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

const page = (title: string, body: string) => `---\ntitle: ${title}\n---\n${body}\n`;

test('dev: bad paths get 400/404; 100 renamed saves and a folder made again never crash it', async () => {
  const root = join(WORK, 'tree');
  cpSync(BASE, root, { recursive: true });
  const { child, port, stderr } = await startDev(root);
  try {
    assert.equal((await get(port, '/notes/')).status, 200);
    await assertMalformedRefused(port);

    const notes = join(root, 'site', 'notes.md');
    const sub = join(root, 'site', 'sub');
    let requests = 0;
    let hammering = true;
    const hammer = (async () => {
      while (hammering) {
        const answer = await get(port, requests % 2 ? '/notes/' : '/%E0%A4%A');
        assert.ok([200, 400].includes(answer.status), `during the burst: ${answer.status}`);
        requests++;
      }
    })();
    const started = Date.now();
    for (let i = 0; i < 100; i++) {
      save(notes, page('Notes', `Save number ${i} of the notes.`), i);
      if (i % 10 === 0) {
        rmSync(sub, { recursive: true, force: true });
        mkdirSync(sub);
        save(join(sub, 'inner.md'), page('Inner', `Inner page, edition ${i}.`), i);
      }
      await sleep(Math.max(0, started + (i + 1) * 20 - Date.now()));
    }
    hammering = false;
    await hammer;
    assert.ok(requests > 10, 'pages were requested throughout the burst');

    await waitFor(port, '/notes/', 'Save number 99 of the notes.', 20);
    await waitFor(port, '/sub/inner/', 'Inner page, edition 90.', 20);
    // The recreated folder is watched again: a change inside it still reaches the site.
    save(join(sub, 'inner.md'), page('Inner', 'Inner page, after the burst.'), 100);
    await waitFor(port, '/sub/inner/', 'Inner page, after the burst.', 20);

    assert.equal(child.exitCode, null, 'the server is still running');
    assert.ok(!stderr().includes('internal error') && !stderr().includes('    at '), stderr());
    await assertMalformedRefused(port);
  } finally {
    child.kill('SIGTERM');
  }
});
