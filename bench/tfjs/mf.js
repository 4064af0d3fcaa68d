// Biased MF written as a TF.js user would, with Keras-style layers:
// r̂ − μ = p_u·q_i + b_u + b_i (Embedding, Flatten, Dot, Add). Keras has no layer that adds
// a constant without a custom Lambda, so μ is taken off the targets and added back to
// predictions, the usual way to centre ratings.

/** An uncompiled tf.LayersModel with inputs [user, item] (int32, shape [n, 1]). */
export function mfModel(tf, { nUsers, nItems, factors }) {
  const L = tf.layers;
  const user = tf.input({ shape: [1], dtype: 'int32', name: 'user' });
  const item = tf.input({ shape: [1], dtype: 'int32', name: 'item' });
  const embed = (input, rows, dim, name, init) =>
    L.flatten().apply(L.embedding({ inputDim: rows, outputDim: dim, name, ...(init ? { embeddingsInitializer: init } : {}) }).apply(input));
  const p = embed(user, nUsers, factors, 'user_factors');
  const q = embed(item, nItems, factors, 'item_factors');
  const bu = embed(user, nUsers, 1, 'user_bias', 'zeros');
  const bi = embed(item, nItems, 1, 'item_bias', 'zeros');
  const dot = L.dot({ axes: 1 }).apply([p, q]);
  const out = L.add().apply([dot, bu, bi]);
  return tf.model({ inputs: [user, item], outputs: out, name: 'mf' });
}

/** Model inputs for a set of ratings: [users, items] as int32 [n, 1] tensors. */
export function mfInputs(tf, data) {
  return [tf.tensor2d(data.users, [data.length, 1], 'int32'), tf.tensor2d(data.items, [data.length, 1], 'int32')];
}
