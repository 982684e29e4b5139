import { serveWorker } from '../core/worker.js';
import { searchIndex, type SearchDoc } from './search-index.js';

/** Builds the search index on a worker thread while the main thread lays out, checks and writes the site. */
await serveWorker((docs) => searchIndex(docs as SearchDoc[]));
