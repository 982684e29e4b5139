import { readFileSync, realpathSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { extname, join } from 'node:path';
import { isWithin, own } from '../core/tree.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.woff2': 'font/woff2', '.txt': 'text/plain; charset=utf-8',
};

/** No page of the site has a longer path; anything longer is refused before any lookup. */
const MAX_PATH = 2048;

/** Finds a site file for a URL path: `/x/` means `x/index.html`. */
export type FileSource = (rel: string) => string | Buffer | undefined;

/**
 * Serves the files of a folder: only regular files really inside it (a sibling such as
 * `site-evil` beside `site` is outside, and so is whatever a symbolic link leads out to).
 */
export function folderSource(dir: string): FileSource {
  let realDir: string | undefined;
  return (rel) => {
    const abs = join(dir, rel);
    if (!isWithin(dir, abs)) return undefined;
    try {
      realDir ??= realpathSync(dir);
      const real = realpathSync(abs);
      if (!isWithin(realDir, real) || !statSync(real).isFile()) return undefined;
      return readFileSync(real);
    } catch {
      return undefined;
    }
  };
}

/**
 * The site path a request asks for, decoded, or undefined when the request is malformed: a
 * broken percent escape, a NUL, a backslash, a `..` segment (also spelt `%2e%2e` or hidden behind
 * an encoded slash) or an absurd length.
 */
export function requestPath(url: string | undefined): string | undefined {
  if (url === undefined || url.length > MAX_PATH || !url.startsWith('/')) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(new URL(url, 'http://localhost').pathname);
  } catch {
    return undefined;
  }
  if (path.includes('\0') || path.includes('\\')) return undefined;
  return path.split('/').some((s) => s === '..' || s === '.') ? undefined : path;
}

function reply(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache' });
  res.end(`${text}\n`);
}

function serveFile(source: FileSource, req: IncomingMessage, res: ServerResponse): void {
  const decoded = requestPath(req.url);
  if (decoded === undefined) return reply(res, 400, 'Bad request: malformed path');
  let path = decoded.endsWith('/') ? `${decoded}index.html` : decoded;
  let body = source(path.slice(1));
  if (body === undefined && !extname(path)) { path += '/index.html'; body = source(path.slice(1)); }
  // The path is not echoed: it is the requester's text, and this is a text/plain answer anyway.
  if (body === undefined) return reply(res, 404, 'Not found');
  const type = own(TYPES, extname(path)) ?? 'application/octet-stream';
  res.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache' });
  res.end(body);
}

/** A request Node cannot even parse (an oversized URL, a bad request line) gets a 400, not a dropped connection. */
function refuseClientError(_err: Error, socket: Socket): void {
  if (!socket.writable) { socket.destroy(); return; }
  socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
}

/**
 * A static server for the built site, bound to 127.0.0.1 only. `extra` handles paths the site
 * does not have (the dev server's live-reload endpoints). Whatever a request holds, it gets an
 * answer and the server stays up.
 */
export function serveSite(source: FileSource, extra?: (req: IncomingMessage, res: ServerResponse) => boolean): Server {
  const server = createServer({ maxHeaderSize: 64 * 1024 }, (req, res) => {
    try {
      if (extra?.(req, res)) return;
      serveFile(source, req, res);
    } catch (err) {
      if (!res.headersSent) reply(res, 500, `Internal error: ${(err as Error).message}`);
      else res.destroy();
    }
  });
  server.on('clientError', refuseClientError);
  return server;
}
