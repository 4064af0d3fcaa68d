// A tiny static server for demo/dist/: correct MIME types (application/wasm lets browsers
// compile while downloading) and cross-origin isolation headers, so SharedArrayBuffer is
// available for wasm threads later. Usage: node demo/serve.mjs [--port N] [--host H]

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

// Cross-origin isolation: without both, `crossOriginIsolated` is false and browsers hide
// SharedArrayBuffer. COEP also applies to the worker script, served from here too.
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * Serves `root` over HTTP; resolves once listening. `requests` records what was asked for
 * and the status and type answered, for tests.
 *
 * @example
 * const { url, close } = await serveStatic({ root: 'demo/dist', port: 0 });
 */
export function serveStatic({ root = join(here, 'dist'), port = 8080, host = '127.0.0.1' } = {}) {
  const base = resolve(root);
  const requests = [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = resolve(base, `.${path.endsWith('/') ? `${path}index.html` : path}`);
    const answer = (status, type, body) => {
      requests.push({ path, status, type });
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...ISOLATION_HEADERS });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return answer(405, 'text/plain', 'method not allowed');
    // resolve() removed any '..'; a path outside root is a traversal attempt.
    if (file !== base && !file.startsWith(base + sep)) return answer(403, 'text/plain', 'forbidden');
    try {
      if (!(await stat(file)).isFile()) return answer(404, 'text/plain', 'not found');
      answer(200, MIME[extname(file)] ?? 'application/octet-stream', await readFile(file));
    } catch {
      answer(404, 'text/plain', 'not found');
    }
  });
  return new Promise((resolveListening, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolveListening({
        url: `http://${host}:${address.port}/`,
        requests,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : fallback;
  };
  const { url } = await serveStatic({ port: Number(arg('--port', process.env.PORT ?? 8080)), host: arg('--host', '127.0.0.1') });
  console.log(`wasmrec demo on ${url} (Ctrl-C stops)`);
}
