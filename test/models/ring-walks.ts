// Sequence models' shared fixture: users walking a ring of items, so the next item follows
// from the last one and only a model that reads the order can predict it.
import { IdIndex, interactions } from '../../src/data/interactions.js';

/** 60 users walk a ring of 20 items (i → i+1), each from her own start, 8 events at times 0…7. */
export function ring(nUsers = 60, nItems = 20) {
  const users: number[] = [];
  const items: number[] = [];
  const times: number[] = [];
  for (let u = 0; u < nUsers; u++) {
    for (let t = 0; t < 8; t++) {
      users.push(u);
      items.push((u + t) % nItems);
      times.push(t);
    }
  }
  const data = interactions(Int32Array.from(users), Int32Array.from(items), new Float32Array(users.length).fill(5), Float64Array.from(times));
  return { data, indexes: { userIndex: new IdIndex(Array.from({ length: nUsers }, (_, u) => `u${u}`)), itemIndex: new IdIndex(Array.from({ length: nItems }, (_, i) => `i${i}`)) } };
}
