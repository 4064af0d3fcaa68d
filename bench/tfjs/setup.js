// Loading TensorFlow.js with its wasm backend in Node, from node_modules only (the wasm
// backend's Emscripten glue reads its .wasm beside itself; nothing is fetched).

import tf from '@tensorflow/tfjs';
import tfWasm from '@tensorflow/tfjs-backend-wasm';
import { registerUnsortedSegmentSum } from './unsorted-segment-sum.js';

export { tf };

/**
 * Switches TF.js to `name` ('wasm' or 'cpu'). For 'wasm': one thread (Node has no
 * cross-origin isolation, so the threaded build is not used anyway; set it explicitly),
 * SIMD when the engine has it, and our UnsortedSegmentSum kernel if the backend lacks one.
 * Returns what was set up, for the output.
 */
export async function useBackend(name) {
  const info = { backend: name, threads: 1, notes: [] };
  if (name === 'wasm') {
    tfWasm.setThreadsCount(1);
    if (!tf.getKernel('UnsortedSegmentSum', 'wasm')) {
      registerUnsortedSegmentSum(tf);
      info.notes.push('UnsortedSegmentSum (the Embedding gradient) is missing from tfjs-backend-wasm 4.22; the bench registers a plain-JS scatter-add kernel for it (tfjs/unsorted-segment-sum.js)');
    }
  }
  if (!(await tf.setBackend(name))) throw new Error(`tfjs: backend ${name} failed to initialise`);
  await tf.ready();
  if (name === 'wasm') {
    info.simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    info.threads = tfWasm.getThreadsCount();
  }
  return info;
}
