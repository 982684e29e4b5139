import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO } from './support.js';

/** Helpers for tests that drive `mxspec dev` as a user would: start it, request pages, wait for a rebuild. */

export interface Answer { status: number; body: string }

/** Sends a raw request line, exactly as written (no client-side checks or normalisation). */
export function raw(port: number, requestLine: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('latin1');
    socket.on('connect', () => socket.write(`${requestLine}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`));
    socket.on('data', (chunk: string) => { data += chunk; });
    socket.on('error', reject);
    socket.on('close', () => {
      const status = Number(data.slice(9, 12));
      resolve({ status, body: Buffer.from(data.slice(data.indexOf('\r\n\r\n') + 4), 'latin1').toString('utf8') });
    });
    socket.setTimeout(10_000, () => {
      socket.destroy();
      reject(new Error(`no answer to ${requestLine.slice(0, 80)}`));
    });
  });
}

export const get = (port: number, path: string): Promise<Answer> => raw(port, `GET ${path} HTTP/1.1`);

/** Starts `mxspec dev` on a free port; resolves with the port it prints. */
export function startDev(root: string): Promise<{ child: ChildProcess; port: number; stderr: () => string }> {
  const args = [join(REPO, 'bin', 'mxspec.js'), 'dev', '--root', root, '--port', '0'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c) => { err += String(c); });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (c) => {
      out += String(c);
      const m = /serving http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) resolve({ child, port: Number(m[1]), stderr: () => err });
    });
    child.on('exit', (code) => reject(new Error(`dev exited (${code}): ${out}${err}`)));
  });
}

/** Polls a page until it shows `text`; fails with what it last showed. */
export async function waitFor(port: number, path: string, text: string, seconds: number): Promise<string> {
  let last = '';
  for (let waited = 0; waited < seconds * 10; waited++) {
    last = (await get(port, path)).body;
    if (last.includes(text)) return last;
    await sleep(100);
  }
  assert.fail(`${path} never showed "${text}"; it shows:\n${last.slice(0, 400)}`);
}
