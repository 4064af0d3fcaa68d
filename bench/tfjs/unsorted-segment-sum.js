// UnsortedSegmentSum for TF.js' wasm backend, which 4.22 does not ship. Keras' Embedding
// gradient (the gradient of gather) calls it, so without it training an Embedding on the
// wasm backend fails with "Kernel 'UnsortedSegmentSum' not registered for backend 'wasm'".
// Plain JS over the backend's heap: out[ids[r]] += x[r] for each row r.

/** Registers the kernel with TF.js for backend 'wasm'. */
export function registerUnsortedSegmentSum(tf) {
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'wasm',
    kernelFunc({ inputs, attrs, backend }) {
      const { x, segmentIds } = inputs;
      const { numSegments } = attrs;
      const rowShape = x.shape.slice(segmentIds.shape.length);
      const rowSize = rowShape.reduce((a, b) => a * b, 1);
      const out = backend.makeOutput([numSegments, ...rowShape], x.dtype);
      // Take the heap views only after makeOutput: allocating can grow the WASM memory,
      // which detaches every view made before.
      const dst = backend.typedArrayFromHeap(out);
      const src = backend.typedArrayFromHeap(x);
      const ids = backend.typedArrayFromHeap(segmentIds);
      dst.fill(0);
      for (let r = 0; r < ids.length; r++) {
        const s = ids[r];
        // TF drops ids outside [0, numSegments) rather than failing.
        if (!(s >= 0 && s < numSegments)) continue;
        const to = s * rowSize;
        const from = r * rowSize;
        for (let c = 0; c < rowSize; c++) dst[to + c] += src[from + c];
      }
      return out;
    },
  });
}
