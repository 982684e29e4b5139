import { serveWorker } from '../core/worker.js';
import { prepareProse, type PreparedProse } from './markdown.js';
import { readPages } from './pages.js';

/**
 * Renders a tree's prose on a worker thread while the main thread loads `data/`: the two take
 * about as long as each other, and prose does not depend on data (blocks are filled in later).
 */
export type PreparedPages = [markdown: string, prepared: PreparedProse][];

await serveWorker((root) => readPages(String(root)).pages.map((p): PreparedPages[number] => [p.markdown, prepareProse(p.markdown)]));
