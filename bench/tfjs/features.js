// Side features of MovieLens 100K as a TF.js user would feed them: one row per rating,
// joined from u.user and u.item (categorical → index, numbers → standardized, genres →
// multi-hot). Unknown or missing values map to index 0 / the mean (0 after standardizing).

/** Per-dense-index feature arrays for users and items of a wasmrec Dataset. */
export function entityFeatures(dataset) {
  const users = dataset.users;
  const items = dataset.items;
  if (!users || !items) throw new Error('two-tower: the data set has no u.user / u.item features');
  const nUsers = dataset.userIndex.size;
  const nItems = dataset.itemIndex.size;

  const genderVocab = [...new Set(users.columns.gender.values.filter((v) => v !== null))].sort();
  const occupationVocab = users.vocab?.occupation ?? [...new Set(users.columns.occupation.values.filter((v) => v !== null))].sort();
  const genreVocab = items.vocab?.genres ?? [...new Set(items.columns.genres.values.flat())].sort();

  const gender = new Int32Array(nUsers);
  const occupation = new Int32Array(nUsers);
  const age = new Float32Array(nUsers);
  const ageStats = stats(users.columns.age.values);
  users.ids.forEach((id, row) => {
    const u = dataset.userIndex.get(id);
    if (u < 0) return;
    gender[u] = 1 + genderVocab.indexOf(users.columns.gender.values[row]);
    occupation[u] = 1 + occupationVocab.indexOf(users.columns.occupation.values[row]);
    age[u] = standardize(users.columns.age.values[row], ageStats);
  });

  const genres = new Float32Array(nItems * genreVocab.length);
  const year = new Float32Array(nItems);
  const yearStats = stats(items.columns.year.values);
  items.ids.forEach((id, row) => {
    const i = dataset.itemIndex.get(id);
    if (i < 0) return;
    for (const g of items.columns.genres.values[row]) {
      const k = genreVocab.indexOf(g);
      if (k >= 0) genres[i * genreVocab.length + k] = 1;
    }
    year[i] = standardize(items.columns.year.values[row], yearStats);
  });

  return {
    nUsers, nItems, nGenders: genderVocab.length + 1, nOccupations: occupationVocab.length + 1, nGenres: genreVocab.length,
    gender, occupation, age, genres, year,
  };
}

/** The per-rating input tensors, in the two-tower model's input order. */
export function twoTowerInputs(tf, f, data) {
  const n = data.length;
  const g = f.nGenres;
  const cols = { gender: new Int32Array(n), occupation: new Int32Array(n), age: new Float32Array(n), genres: new Float32Array(n * g), year: new Float32Array(n) };
  for (let r = 0; r < n; r++) {
    const u = data.users[r];
    const i = data.items[r];
    cols.gender[r] = f.gender[u];
    cols.occupation[r] = f.occupation[u];
    cols.age[r] = f.age[u];
    cols.genres.set(f.genres.subarray(i * g, (i + 1) * g), r * g);
    cols.year[r] = f.year[i];
  }
  return [
    tf.tensor2d(data.users, [n, 1], 'int32'),
    tf.tensor2d(cols.gender, [n, 1], 'int32'),
    tf.tensor2d(cols.occupation, [n, 1], 'int32'),
    tf.tensor2d(cols.age, [n, 1]),
    tf.tensor2d(data.items, [n, 1], 'int32'),
    tf.tensor2d(cols.genres, [n, g]),
    tf.tensor2d(cols.year, [n, 1]),
  ];
}

function stats(values) {
  let sum = 0;
  let sq = 0;
  let n = 0;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    sum += v;
    sq += v * v;
    n++;
  }
  const mean = n ? sum / n : 0;
  return { mean, std: n ? Math.sqrt(Math.max(sq / n - mean * mean, 0)) || 1 : 1 };
}

function standardize(v, s) {
  return Number.isNaN(v) ? 0 : (v - s.mean) / s.std;
}
