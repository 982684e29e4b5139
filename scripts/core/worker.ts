import { Worker } from 'node:worker_threads';

/**
 * Runs one job on a worker thread: the module at `url` reads `workerData` and posts one message,
 * the result, or `{ workerError }`. A worker that cannot start or fails is a rejection, so the
 * caller can do the job on its own thread instead.
 */
export function onWorker<T>(url: URL, data: unknown): Promise<T> {
  return new Promise((done, fail) => {
    let worker: Worker;
    try {
      worker = new Worker(url, { workerData: data });
    } catch (err) {
      fail(err as Error);
      return;
    }
    worker.once('message', (result: T | { workerError: string }) => {
      void worker.terminate();
      if (result !== null && typeof result === 'object' && 'workerError' in result) fail(new Error(result.workerError));
      else done(result as T);
    });
    worker.once('error', fail);
    worker.once('exit', (code) => fail(new Error(`the worker stopped (exit code ${code}) without a result`)));
  });
}

/** The body of a worker module: computes the result from `workerData` and posts it (or the error). */
export async function serveWorker(job: (data: unknown) => unknown): Promise<void> {
  const { parentPort, workerData } = await import('node:worker_threads');
  if (!parentPort) return;
  try {
    parentPort.postMessage(await job(workerData));
  } catch (err) {
    parentPort.postMessage({ workerError: (err as Error).message });
  }
}
