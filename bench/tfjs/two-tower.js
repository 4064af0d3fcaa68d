// The two-tower rating model in Keras-style TF.js layers, shape from TWO_TOWER
// (bench/train/models.js), with an 'mlp' head (concat → Dense relu → Dense 1) or a 'dot'
// head (u·v). Targets are centred on μ as in tfjs/mf.js.

/** An uncompiled tf.LayersModel; inputs as produced by twoTowerInputs. */
export function twoTowerModel(tf, f, shape, head) {
  const L = tf.layers;
  const int = (name) => tf.input({ shape: [1], dtype: 'int32', name });
  const userId = int('user');
  const gender = int('gender');
  const occupation = int('occupation');
  const age = tf.input({ shape: [1], name: 'age' });
  const itemId = int('item');
  const genres = tf.input({ shape: [f.nGenres], name: 'genres' });
  const year = tf.input({ shape: [1], name: 'year' });
  const embed = (input, rows, dim, name) => L.flatten().apply(L.embedding({ inputDim: rows, outputDim: dim, name: `${name}_emb` }).apply(input));

  const tower = (parts, name) => {
    const x = L.concatenate().apply(parts);
    const h = L.dense({ units: shape.hidden, activation: 'relu', name: `${name}_hidden` }).apply(x);
    return L.dense({ units: shape.out, name: `${name}_out` }).apply(h);
  };
  const u = tower([
    embed(userId, f.nUsers, shape.idDim, 'user_id'),
    embed(gender, f.nGenders, shape.genderDim, 'gender'),
    embed(occupation, f.nOccupations, shape.occupationDim, 'occupation'),
    age,
  ], 'user');
  const v = tower([embed(itemId, f.nItems, shape.idDim, 'item_id'), genres, year], 'item');

  let out;
  if (head === 'dot') out = L.dot({ axes: 1 }).apply([u, v]);
  else {
    const h = L.dense({ units: shape.headHidden, activation: 'relu', name: 'head_hidden' }).apply(L.concatenate().apply([u, v]));
    out = L.dense({ units: 1, name: 'head_out' }).apply(h);
  }
  return tf.model({ inputs: [userId, gender, occupation, age, itemId, genres, year], outputs: out, name: `two_tower_${head}` });
}
