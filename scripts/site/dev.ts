import { existsSync } from 'node:fs';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Command } from '../core/command.js';
import { PACKAGE_ROOT, VERSION } from '../core/package.js';
import { UsageError } from '../core/errors.js';
import { formatDiagnostics } from '../lint/report.js';
import { loadSpec, type LoadOptions } from '../loader/load.js';
import type { SiteBuild } from './build.js';
import { searchIndex } from './search-index.js';
import { buildFromRoot } from './command.js';
import { serveSite } from './serve.js';
import { TreeWatcher } from './watch.js';

/** Served beside the site in dev mode: reloads the page on a good rebuild, shows the errors of a bad one. */
const DEV_JS = `(function () {
  var source = new EventSource('/__mxspec/events');
  var box = null;
  source.addEventListener('reload', function () { window.location.reload(); });
  source.addEventListener('failed', function (e) {
    if (!box) { box = document.createElement('pre'); box.className = 'dev-error'; box.setAttribute('role', 'alert'); document.body.appendChild(box); }
    box.textContent = JSON.parse(e.data).text;
  });
})();
`;

// Our layout, and the upstream one's: Hugo pages, static files, diagrams and data definitions.
const WATCHED = ['data', 'site', 'templates', 'changelogs', 'content', 'static', 'assets', 'data-definitions'];

/**
 * Runs `task` one call at a time; calls made while it runs collapse into one more run after
 * it, on the tree as it is then. A burst of 100 saves costs two or three rebuilds, not 100, and
 * the last one always sees the last save.
 */
function coalesced(task: (reason: string) => Promise<void>): (reason: string) => Promise<void> {
  let busy = false;
  let again: string | undefined;
  return async (reason) => {
    if (busy) { again = reason; return; }
    busy = true;
    try {
      let next: string | undefined = reason;
      while (next !== undefined) {
        again = undefined;
        await task(next);
        next = again;
      }
    } finally {
      busy = false;
    }
  };
}

/** Listens on 127.0.0.1; a port in use is a usage error, not a crash. */
function listen(server: Server, port: number): Promise<void> {
  return new Promise((ready, fail) => {
    server.once('error', (err: NodeJS.ErrnoException) => fail(err.code === 'EADDRINUSE' || err.code === 'EACCES'
      ? new UsageError(`cannot listen on 127.0.0.1:${port} (${err.code}); choose another --port`) : err));
    server.listen(port, '127.0.0.1', () => ready());
  });
}

export const devCommand: Command = {
  name: 'dev',
  help: `Usage: mxspec dev [--root DIR] [--port N]

Builds the site in memory, serves it on http://127.0.0.1:N/ (default 8000; 0 picks a free port)
and watches data/, site/, templates/ and changelogs/ (and, in a tree in the upstream layout,
content/, static/, assets/ and data-definitions/). A change rebuilds the site (files that did
not change are not parsed again, and page prose is not rendered again when only data changed)
and reloads the open page. A broken edit prints its diagnostics here and shows them on the page,
while the last good build keeps being served.

Options:
  --root DIR   the spec tree (default: this repository)
  --port N     the port (default 8000)
  -h, --help   show this help
`,
  options: { port: { type: 'string' } },
  async run(values) {
    const root = resolve((values.root as string | undefined) ?? PACKAGE_ROOT);
    if (!existsSync(join(root, 'data'))) throw new UsageError(`${root} has no data/ folder (use --root to point at a spec tree)`);
    const port = values.port === undefined ? 8000 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port takes a port number');

    const cache: NonNullable<LoadOptions['cache']> = new Map();
    const clients = new Set<ServerResponse>();
    let good: SiteBuild | undefined;
    let index: string | undefined;
    let failure: string | undefined;
    const send = (event: string, data: unknown) => {
      for (const res of clients) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const rebuildNow = async (reason: string) => {
      const started = performance.now();
      try {
        const spec = loadSpec(root, { cache });
        const { build } = await buildFromRoot(root, true, spec);
        const errors = build.diagnostics.filter((d) => d.severity === 'error');
        if (errors.length) {
          failure = formatDiagnostics(errors, 'stylish', spec, VERSION, { isTTY: false } as NodeJS.WriteStream);
          process.stderr.write(`${reason}: the build failed; still serving the last good one\n${failure}`);
          send('failed', { text: failure });
          return;
        }
        good = build;
        index = undefined;
        failure = undefined;
        process.stdout.write(`${reason}: rebuilt in ${Math.round(performance.now() - started)} ms\n`);
        send('reload', { ms: Math.round(performance.now() - started) });
      } catch (err) {
        failure = (err as Error).message;
        process.stderr.write(`${reason}: ${failure}\n`);
        send('failed', { text: failure });
      }
    };
    const rebuild = coalesced(rebuildNow);
    await rebuild('start');

    const server = serveSite((rel) => {
      if (rel === 'search-index.json' && good) return (index ??= searchIndex(good.searchDocs()));
      return good?.files.get(rel);
    }, (req, res) => {
      if (req.url === '/__mxspec/dev.js') {
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' });
        res.end(DEV_JS);
        return true;
      }
      if (req.url === '/__mxspec/events') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
        res.write(': connected\n\n');
        if (failure) res.write(`event: failed\ndata: ${JSON.stringify({ text: failure })}\n\n`);
        clients.add(res);
        req.on('close', () => clients.delete(res));
        return true;
      }
      return false;
    });
    await listen(server, port);
    process.stdout.write(`serving http://127.0.0.1:${(server.address() as AddressInfo).port}/ (Ctrl-C stops)\n`);

    // Editors save in bursts (write, rename, touch): one rebuild per burst.
    let timer: NodeJS.Timeout | undefined;
    const changed = new Set<string>();
    const watcher = new TreeWatcher(root, WATCHED, ['.mxspec.yaml'], (rel) => {
      changed.add(rel);
      clearTimeout(timer);
      timer = setTimeout(() => {
        const what = [...changed].slice(0, 3).join(', ');
        changed.clear();
        void rebuild(what || 'change');
      }, 15);
    }, (message) => process.stderr.write(`watching: ${message}\n`));
    await new Promise<void>((stop) => {
      const end = () => {
        clearTimeout(timer);
        watcher.close();
        for (const c of clients) c.end();
        server.close();
        stop();
      };
      process.once('SIGINT', end);
      process.once('SIGTERM', end);
    });
    return 0;
  },
};
