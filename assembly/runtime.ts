// Where the TypeScript-side allocator may start: everything below is static data.

/** First free byte after the module's static data. */
export function heapBase(): usize {
  return __heap_base;
}
