import { parentPort, workerData } from 'node:worker_threads';
import { generateWithFormats } from './generate.js';

/** Generates one module on this thread, whose stack the caller sized for deeply nested documents. */
const { doc, formats } = workerData as { doc: object; formats: string[] };
generateWithFormats(doc, new Set(formats)).then(
  (result) => parentPort!.postMessage(result),
  (err: unknown) => parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) }),
);
