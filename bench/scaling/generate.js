// A fast generator of large rating sets for the scaling section: generateSynthetic builds
// a full Dataset with feature tables (≈ 5 s per million ratings, so ≈ 50 s for 10M); this
// writes only the columns MF needs, from a low-rank model with popularity skew, in ≈ 1 s
// per 10M ratings.

const LATENT = 8;

/** Interactions-like columns plus the model indexes ({ userIndex, itemIndex } with .size). */
export function generateRatings(lib, { nUsers, nItems, nRatings, seed = 1 }) {
  const rng = new lib.Rng(seed);
  const p = Float32Array.from({ length: nUsers * LATENT }, () => rng.normal() * 0.4);
  const q = Float32Array.from({ length: nItems * LATENT }, () => rng.normal() * 0.4);
  const users = new Int32Array(nRatings);
  const items = new Int32Array(nRatings);
  const ratings = new Float32Array(nRatings);
  for (let r = 0; r < nRatings; r++) {
    // u^2 skews towards low indices: a few heavy users and popular items, as in real data.
    const u = Math.floor(rng.uniform() ** 2 * nUsers);
    const i = Math.floor(rng.uniform() ** 2 * nItems);
    let s = 3.5 + 0.3 * rng.normal();
    for (let f = 0; f < LATENT; f++) s += p[u * LATENT + f] * q[i * LATENT + f];
    users[r] = u;
    items[r] = i;
    ratings[r] = Math.min(5, Math.max(1, Math.round(s)));
  }
  const index = (n, prefix) => new lib.IdIndex(Array.from({ length: n }, (_, k) => `${prefix}${k}`));
  return { indexes: { userIndex: index(nUsers, 'u'), itemIndex: index(nItems, 'i') }, train: { users, items, ratings, length: nRatings } };
}
