import { spawn, spawnSync } from 'node:child_process';
import { get } from 'node:http';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { REPO, V12, V19 } from '../testing/support.js';

/**
 * `npm run bench`: times `mxspec lint`, `mxspec types` and `mxspec site` as whole processes (start-up included,
 * as an editor feels it) on the published v1.9 and v1.2 trees as they are (licence headers and all)
 * and on our data/, beside the cost of merely
 * parsing the same files with js-yaml, the floor any YAML-based tool pays.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 10);

function time(args: string[]): number[] {
  const out: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
    if (i > 0) out.push(ms); // the first run warms the file cache
  }
  return out.sort((a, b) => a - b);
}

function countFiles(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir)) {
    const abs = join(dir, e);
    if (statSync(abs).isDirectory()) n += countFiles(abs); else if (/\.(ya?ml|json)$/.test(e)) n++;
  }
  return n;
}

const parseOnly = `
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import yaml from ${JSON.stringify(join(REPO, 'node_modules', 'js-yaml', 'dist', 'js-yaml.mjs'))};
const walk = (d) => { for (const e of readdirSync(d)) { const a = join(d, e); if (statSync(a).isDirectory()) walk(a); else if (/\\.(ya?ml|json)$/.test(e)) yaml.load(readFileSync(a, 'utf8'), { json: true }); } };
walk(process.argv[1]);
`;

const trees: [string, string][] = [
  ['matrix-v1.9 (reference, OpenAPI 3.1)', V19], ['matrix-v1.2 (reference, Swagger 2.0)', V12], ['our data/', REPO],
];
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const stats = (xs: number[]) => ({ median: xs[Math.floor(xs.length / 2)]!, min: xs[0]! });

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
console.log(`runs per figure: ${RUNS} (after one warm-up)\n`);
console.log('| tree | files | mxspec lint (median) | min | mxspec types (median) | min | mxspec site (median) | min | parse only, js-yaml (median) |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
const out = mkdtempSync(join(tmpdir(), 'mxspec-bench-'));
for (const [name, root] of trees) {
  if (!existsSync(join(root, 'data'))) { console.log(`| ${name} | – | skipped: ${root} is absent | | | | | | |`); continue; }
  const lint = stats(time([join(REPO, 'bin', 'mxspec.js'), 'lint', '--root', root, '--format', 'json']));
  const types = stats(time([join(REPO, 'bin', 'mxspec.js'), 'types', '--root', root, '--out', join(out, 'types')]));
  const site = stats(time([join(REPO, 'bin', 'mxspec.js'), 'site', '--root', root, '--out', join(out, 'site')]));
  const parse = stats(time(['--input-type=module', '-e', parseOnly, join(root, 'data')]));
  console.log(`| ${name} | ${countFiles(join(root, 'data'))} | ${fmt(lint.median)} | ${fmt(lint.min)} | ${fmt(types.median)} | ${fmt(types.min)} | ${fmt(site.median)} | ${fmt(site.min)} | ${fmt(parse.median)} |`);
}
rmSync(out, { recursive: true, force: true });

/**
 * `mxspec dev`: from writing a changed file to the server announcing the rebuilt page (the
 * event that reloads the browser), on a copy of a tree.
 */
async function devLatency(source: string, parts: string[], edited: string, edit: (text: string, n: number) => string): Promise<number[]> {
  const root = mkdtempSync(join(tmpdir(), 'mxspec-bench-dev-'));
  for (const d of parts) if (existsSync(join(source, d))) cpSync(join(source, d), join(root, d), { recursive: true });
  const child = spawn(process.execPath, [join(REPO, 'bin', 'mxspec.js'), 'dev', '--root', root, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => {
    let text = '';
    child.stdout.on('data', (c) => { text += c; const m = /serving http:\/\/127\.0\.0\.1:(\d+)/.exec(text); if (m) resolve(Number(m[1])); });
  });
  const file = join(root, edited);
  const original = readFileSync(file, 'utf8');
  const times: number[] = [];
  await new Promise<void>((done) => {
    const req = get({ host: '127.0.0.1', port, path: '/__mxspec/events' }, (res) => {
      let started = 0;
      const change = () => { started = performance.now(); writeFileSync(file, edit(original, times.length)); };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (chunk.includes(': connected')) { setTimeout(change, 300); return; }
        if (!chunk.includes('event: reload')) return;
        times.push(performance.now() - started);
        if (times.length >= RUNS) { req.destroy(); done(); } else setTimeout(change, 200);
      });
    });
  });
  // Let the server stop before its folder goes, or it rebuilds on the deletions.
  await new Promise((stopped) => { child.once('exit', stopped); child.kill('SIGTERM'); });
  rmSync(root, { recursive: true, force: true });
  return times.sort((a, b) => a - b);
}

const summary = (n: number) => (text: string) => text.replace(/summary: [^\n]+/, `summary: Knock (${n}).`);
const ours = stats(await devLatency(REPO, ['data', 'site', 'templates', 'changelogs', '.mxspec.yaml'],
  'data/api/client-server/knocking.yaml', (text, n) => summary(n)(text)));
console.log(`\nmxspec dev, our tree, from saving data/api/client-server/knocking.yaml to the reload event: `
  + `median ${Math.round(ours.median)} ms, min ${Math.round(ours.min)} ms`);
if (existsSync(join(V12, 'content'))) {
  const module = 'content/client-server-api/modules/receipts.md';
  const hugo = stats(await devLatency(V12, ['data', 'content', 'data-definitions'], module,
    (text, n) => `${text}\nAn added sentence (${n}).\n`));
  console.log(`mxspec dev, the v1.2 tree (Hugo content/), from saving ${module} to the reload event: `
    + `median ${Math.round(hugo.median)} ms, min ${Math.round(hugo.min)} ms`);
}
