// Runs an ES module against the edge bundle inside a fresh node:vm context that has only
// web-standard globals (no process, require, Buffer, module), the way an edge isolate
// would, and prints the context's `report` as one JSON line.
//
// Usage: node --experimental-vm-modules vm-runner.mjs <bundle.mjs> <module.wasm> <entry.mjs>
// The entry imports the bundle as 'wasmrec' (or by a path ending in dist/edge/wasmrec.mjs)
// and a .wasm file as a default-exported WebAssembly.Module, as edge bundlers do. Any other
// import (node:*, a package) fails the run: the bundle must be self-contained.

import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import vm from 'node:vm';
import { webcrypto } from 'node:crypto';

const [bundlePath, wasmPath, entryPath] = process.argv.slice(2).map((p) => resolve(p));

// What edge runtimes offer (a subset of WinterCG's common API). Deliberately no fetch: the
// core must not try to download its .wasm when the caller hands in a Module.
const context = vm.createContext({
  console, URL, URLSearchParams, TextDecoder, TextEncoder, performance, Blob, Response, Request, Headers,
  AbortController, setTimeout, clearTimeout, queueMicrotask, structuredClone, atob, btoa, crypto: webcrypto,
  fetch: () => Promise.reject(new Error('fetch called in the edge test: the wasm Module should have been used')),
});

const wasmBytes = new Uint8Array(await readFile(wasmPath));
// Compiled inside the context, so that `instanceof WebAssembly.Module` holds in the core.
const compiled = await vm.runInContext('(bytes) => WebAssembly.compile(bytes)', context)(wasmBytes);

const modules = new Map(); // file -> module
const files = new Map(); // module -> file

async function load(file) {
  if (modules.has(file)) return modules.get(file);
  const url = `https://edge.invalid/${file.split('/').slice(-2).join('/')}`;
  const mod = new vm.SourceTextModule(await readFile(file, 'utf8'), {
    context,
    identifier: url,
    initializeImportMeta(meta) {
      meta.url = url;
    },
    importModuleDynamically(specifier) {
      throw new Error(`dynamic import of '${specifier}' in the edge context`);
    },
  });
  modules.set(file, mod);
  files.set(mod, file);
  return mod;
}

function link(specifier, referencing) {
  const from = files.get(referencing);
  if (from === bundlePath) throw new Error(`the edge bundle imports '${specifier}': it must import nothing`);
  if (specifier === 'wasmrec' || specifier.endsWith('dist/edge/wasmrec.mjs')) return load(bundlePath);
  if (specifier.startsWith('.') && specifier.endsWith('.wasm')) {
    return new vm.SyntheticModule(['default'], function () {
      this.setExport('default', compiled);
    }, { context });
  }
  if (specifier.startsWith('.')) return load(resolve(dirname(from), specifier));
  throw new Error(`import of '${specifier}' from ${from}: nothing but the bundle and .wasm files exists in the edge context`);
}

const entry = await load(entryPath);
await entry.link(link);
await entry.evaluate();
process.stdout.write(`${JSON.stringify(context.report ?? null)}\n`);
