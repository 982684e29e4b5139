import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.woff2': 'font/woff2', '.txt': 'text/plain; charset=utf-8',
};

/** Finds a site file for a URL path: `/x/` means `x/index.html`. */
export type FileSource = (rel: string) => string | Buffer | undefined;

export function folderSource(dir: string): FileSource {
  return (rel) => {
    const abs = normalize(join(dir, rel));
    if (!abs.startsWith(normalize(dir)) || !existsSync(abs) || !statSync(abs).isFile()) return undefined;
    return readFileSync(abs);
  };
}

/**
 * A static server for the built site, bound to 127.0.0.1 only. `extra` handles paths the site
 * does not have (the dev server's live-reload endpoints).
 */
export function serveSite(source: FileSource, extra?: (req: IncomingMessage, res: ServerResponse) => boolean): Server {
  return createServer((req, res) => {
    if (extra?.(req, res)) return;
    let path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (path.endsWith('/')) path += 'index.html';
    let body = source(path.slice(1));
    if (body === undefined && !extname(path)) { path += '/index.html'; body = source(path.slice(1)); }
    if (body === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`Not found: ${path}\n`);
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    res.end(body);
  });
}
