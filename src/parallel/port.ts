// The small worker abstraction of the pool: spawn a worker from the main side, or reach
// the parent from inside one, with the same calls in Node (worker_threads) and browsers
// (Web Workers). Node's module is imported by a name held in a variable, so bundlers for
// browsers and edge runtimes never try to resolve it (as backends/wasm/source.ts does).

const NODE_WORKER_THREADS = 'node:worker_threads';

interface NodeWorkerThreads {
  Worker: new (url: URL) => { postMessage(m: unknown): void; on(e: string, cb: (m: unknown) => void): void; terminate(): Promise<number>; unref(): void };
  parentPort: { postMessage(m: unknown): void; on(e: string, cb: (m: unknown) => void): void } | null;
}

interface BrowserWorker {
  postMessage(m: unknown): void;
  addEventListener(type: string, cb: (e: { data?: unknown }) => void): void;
  terminate(): void;
}

/** The main side's handle on one worker. */
export interface WorkerHandle {
  post(msg: unknown): void;
  onMessage(cb: (msg: unknown) => void): void;
  onError(cb: (err: unknown) => void): void;
  terminate(): void;
}

function isBrowserLike(): boolean {
  return typeof (globalThis as { Worker?: unknown }).Worker === 'function' && typeof (globalThis as { process?: unknown }).process === 'undefined';
}

async function nodeWorkerThreads(): Promise<NodeWorkerThreads> {
  return (await import(/* @vite-ignore */ NODE_WORKER_THREADS)) as NodeWorkerThreads;
}

/** Starts the pool's worker script (dist/parallel/worker.js). */
export async function spawnWorker(url: URL): Promise<WorkerHandle> {
  if (isBrowserLike()) {
    const WebWorker = (globalThis as unknown as { Worker: new (u: URL, o: { type: 'module' }) => BrowserWorker }).Worker;
    const w = new WebWorker(url, { type: 'module' });
    return {
      post: (m) => w.postMessage(m),
      onMessage: (cb) => w.addEventListener('message', (e: { data?: unknown }) => cb(e.data)),
      onError: (cb) => w.addEventListener('error', (e: unknown) => cb(e)),
      terminate: () => w.terminate(),
    };
  }
  const { Worker: NodeWorker } = await nodeWorkerThreads();
  const w = new NodeWorker(url);
  // A pool left undisposed must not keep the process alive.
  w.unref();
  return {
    post: (m) => w.postMessage(m),
    onMessage: (cb) => w.on('message', cb),
    onError: (cb) => w.on('error', cb),
    terminate: () => void w.terminate(),
  };
}

/** Inside a worker: the channel to the thread that spawned it. */
export async function workerPort(): Promise<{ post(msg: unknown): void; onMessage(cb: (msg: unknown) => void): void }> {
  const scope = globalThis as unknown as { postMessage?: (m: unknown) => void; addEventListener?: (t: string, cb: (e: MessageEvent) => void) => void; WorkerGlobalScope?: unknown };
  if (scope.WorkerGlobalScope !== undefined && scope.postMessage && scope.addEventListener) {
    return { post: (m) => scope.postMessage!(m), onMessage: (cb) => scope.addEventListener!('message', (e) => cb(e.data)) };
  }
  const { parentPort } = await nodeWorkerThreads();
  if (!parentPort) throw new Error('wasmrec: the pool worker was started outside a worker thread');
  return { post: (m) => parentPort.postMessage(m), onMessage: (cb) => parentPort.on('message', cb) };
}
