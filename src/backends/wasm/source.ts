// Where the .wasm bytes come from: a Module or bytes handed in (bundlers, edge runtimes),
// a URL fetched (browsers, workers), or the file beside this module read from disk (Node).

import type { SimdFlavor } from './features.js';

/** Anything `init({ wasm })` accepts. */
export type WasmInput =
  | WebAssembly.Module
  | ArrayBuffer
  | ArrayBufferView
  | URL
  | string
  | Response
  | PromiseLike<Response>;

/** The build that ships with the package, resolved next to this module. */
export function defaultWasmUrl(flavor: SimdFlavor): URL {
  // Two literal `new URL(...)` expressions so bundlers can see and emit both assets.
  return flavor === 'relaxed'
    ? new URL('../../../build/wasmrec.relaxed.wasm', import.meta.url)
    : new URL('../../../build/wasmrec.simd.wasm', import.meta.url);
}

/** Compiles any WasmInput, streaming when the source allows it. */
export async function compileWasm(input: WasmInput): Promise<WebAssembly.Module> {
  if (input instanceof WebAssembly.Module) return input;
  if (input instanceof ArrayBuffer || ArrayBuffer.isView(input)) {
    return WebAssembly.compile(input as BufferSource);
  }
  if (typeof input === 'string' || input instanceof URL) {
    const url = typeof input === 'string' ? new URL(input, baseUrl()) : input;
    if (url.protocol === 'file:') return WebAssembly.compile(await readLocalFile(url));
    return compileResponse(fetch(url));
  }
  return compileResponse(input);
}

async function compileResponse(response: Response | PromiseLike<Response>): Promise<WebAssembly.Module> {
  const res = await response;
  if (!res.ok) throw new Error(`wasmrec: fetching ${res.url || 'the wasm module'} failed: HTTP ${res.status}`);
  const type = res.headers.get('content-type') ?? '';
  if (typeof WebAssembly.compileStreaming === 'function' && type.startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(res);
  }
  return WebAssembly.compile(await res.arrayBuffer());
}

function baseUrl(): string {
  const loc = (globalThis as { location?: { href: string } }).location;
  return loc ? loc.href : import.meta.url;
}

// Node's fetch does not read file: URLs. The module name is held in a variable so that
// bundlers targeting browsers and edge runtimes do not try to resolve a Node built-in;
// this branch only runs where the URL is a local file, i.e. under Node, Deno or Bun.
const NODE_FS = 'node:fs/promises';

async function readLocalFile(url: URL): Promise<Uint8Array<ArrayBuffer>> {
  const fs = (await import(/* @vite-ignore */ NODE_FS)) as { readFile(u: URL): Promise<Uint8Array<ArrayBuffer>> };
  return fs.readFile(url);
}
