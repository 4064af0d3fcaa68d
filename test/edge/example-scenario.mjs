// Runs inside the edge vm context (see vm-runner.mjs): calls the example fetch handler the
// way an edge runtime would, for a known user, an unknown one and a bad request.

import worker from '../../examples/edge-worker.mjs';

async function call(path) {
  const res = await worker.fetch(new Request(`https://edge.test${path}`));
  return { status: res.status, body: await res.json() };
}

globalThis.report = {
  known: await call('/recommend?user=1&k=5'),
  unknown: await call('/recommend?user=no-such-user&k=3'),
  badK: await call('/recommend?user=1&k=0'),
  notFound: await call('/'),
};
