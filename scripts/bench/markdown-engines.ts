import { existsSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import MarkdownIt from 'markdown-it';
import { listTree, readTreeText } from '../core/tree.js';
import { prepareProse, renderDescription } from '../site/markdown.js';
import { REPO } from '../testing/support.js';

/**
 * `node lib/bench/markdown-engines.js [ROOT]`: how long each Markdown engine takes on the site's
 * two workloads, (a) the prose of `site/` (partials included) as one text and (b) every
 * `description` under `data/`, each rendered alone. The remark pipeline the site used before and
 * micromark's GFM extension are no dependencies any more: they are skipped unless installed for the
 * comparison (`npm install --no-save unified remark-parse remark-gfm remark-directive remark-rehype
 * rehype-slug rehype-sanitize rehype-stringify micromark-extension-gfm`).
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const root = process.argv[2] ?? REPO;

type Render = (text: string, run: number) => unknown;
interface Engine { name: string; load(): Promise<{ prose: Render; description: Render }> }

function filesUnder(dir: string, suffixes: string[]): string[] {
  if (!existsSync(dir)) return [];
  return listTree(root, dir, { accept: (name) => suffixes.some((s) => name.endsWith(s)) }).files;
}

function proseText(): string {
  return filesUnder(join(root, 'site'), ['.md']).map((f) => readTreeText(root, f).text).join('\n\n');
}

/** Every `description` string in the data, found by an iterative walk with a visited set. */
function descriptionsOf(): string[] {
  const out: string[] = [];
  const seen = new Set<object>();
  for (const file of filesUnder(join(root, 'data'), ['.yaml', '.yml'])) {
    let doc: unknown;
    try { doc = yaml.load(readTreeText(root, file).text); } catch { continue; }
    const stack: unknown[] = [doc];
    while (stack.length > 0) {
      const node = stack.pop();
      if (node === null || typeof node !== 'object' || seen.has(node)) continue;
      seen.add(node);
      for (const [key, value] of Object.entries(node)) {
        if (key === 'description' && typeof value === 'string') out.push(value);
        else stack.push(value);
      }
    }
  }
  return out;
}

/** Packages the site no longer depends on, loaded by name only when present. */
async function optional(name: string): Promise<Record<string, unknown>> {
  return (await import(name)) as Record<string, unknown>;
}

type Pipeline = { use(...args: unknown[]): Pipeline; processSync(text: string): unknown };

const engines: Engine[] = [
  {
    name: 'unified + remark + rehype (before)',
    async load() {
      const names = ['remark-parse', 'remark-gfm', 'remark-directive', 'remark-rehype', 'rehype-slug',
        'rehype-sanitize', 'rehype-stringify'];
      const [parse, gfm, directive, toHast, slug, sanitize, stringify] = await Promise.all(
        names.map(async (n) => (await optional(n)).default));
      const unified = (await optional('unified')).unified as () => Pipeline;
      const prose = unified().use(parse).use(gfm).use(directive).use(toHast).use(slug).use(sanitize).use(stringify);
      const data = unified().use(parse).use(gfm).use(toHast).use(sanitize).use(stringify);
      return { prose: (t) => prose.processSync(t), description: (t) => data.processSync(t) };
    },
  },
  {
    name: 'micromark + GFM, HTML straight from events',
    async load() {
      const micromark = (await optional('micromark')).micromark as (t: string, o: unknown) => string;
      const gfm = await optional('micromark-extension-gfm');
      const make = (name: string) => (gfm[name] as () => unknown)();
      const options = { extensions: [make('gfm')], htmlExtensions: [make('gfmHtml')] };
      return { prose: (t) => micromark(t, options), description: (t) => micromark(t, options) };
    },
  },
  {
    name: 'markdown-it 14, bare (html off, linkify on)',
    async load() {
      const md = new MarkdownIt({ html: false, linkify: true });
      return { prose: (t) => md.render(t), description: (t) => md.render(t) };
    },
  },
  {
    name: 'mxspec markdown.ts (markdown-it with our rules)',
    async load() {
      // Both functions cache by text: trailing blanks, which render to nothing, make each run's texts new.
      const pad = (t: string, run: number) => t + ' '.repeat(run + 1);
      return {
        prose: (t, run) => prepareProse(pad(t, run)),
        description: (t, run) => renderDescription(pad(t, run)),
      };
    },
  },
];

function timeRuns(work: (run: number) => void): { median: number; min: number } {
  const times: number[] = [];
  for (let run = 0; run <= RUNS; run++) {
    const start = process.hrtime.bigint();
    work(run);
    if (run > 0) times.push(Number(process.hrtime.bigint() - start) / 1e6); // run 0 warms the JIT
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, min: times[0]! };
}

const ms = (t: { median: number; min: number }) => `${t.median.toFixed(0)} ms (min ${t.min.toFixed(0)})`;

async function main(): Promise<void> {
  const prose = proseText();
  const descriptions = descriptionsOf();
  const words = prose.split(/\s+/).length;
  console.log(`tree: ${root}`);
  console.log(`(a) prose: ${(prose.length / 1024).toFixed(0)} KiB, ${words} words; `
    + `(b) ${descriptions.length} descriptions, ${(descriptions.join('').length / 1024).toFixed(0)} KiB`);
  console.log(`runs per figure: ${RUNS} after one warm-up; median, fastest in brackets\n`);
  console.log('| engine | (a) prose | (b) descriptions |');
  console.log('|---|---:|---:|');
  for (const engine of engines) {
    let render: { prose: Render; description: Render };
    try {
      render = await engine.load();
    } catch (err) {
      console.log(`| ${engine.name} | skipped: ${(err as Error).message.split('\n')[0]} | |`);
      continue;
    }
    const a = prose ? ms(timeRuns((run) => render.prose(prose, run))) : 'no site/';
    const b = ms(timeRuns((run) => { for (const d of descriptions) render.description(d, run); }));
    console.log(`| ${engine.name} | ${a} | ${b} |`);
  }
}

await main();
