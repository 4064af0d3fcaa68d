// The wasmrec model rows of the training bench. To add a model (e.g. the two-tower when it
// lands), add an entry: how to build it on a backend, how to compile it, and fit options.
// Every entry is trained on MovieLens u1 with each backend, epochs alternating.

/** Factors K of every MF row (the two-tower uses 32-wide id embeddings too). */
export const FACTORS = 32;

/**
 * The two-tower shape both the TF.js row and wasmrec's two-tower row use. User tower:
 * id emb + gender emb + occupation emb + standardized age → Dense 64 relu → Dense 32.
 * Item tower: id emb + 19 genre multi-hot + standardized year → Dense 64 relu → Dense 32.
 * Heads: 'mlp' = concat → Dense 32 relu → Dense 1; 'dot' = u·v.
 */
// Feature widths follow wasmrec's defaultFeatureDim (≈ 1.6·√cardinality, at least 2) for
// MovieLens' 2 genders and 21 occupations, so wasmrec's row can use its defaults there.
export const TWO_TOWER = { idDim: 32, genderDim: 2, occupationDim: 7, hidden: 64, out: 32, headHidden: 32 };

export const MODELS = [
  {
    id: 'mf-sgd',
    label: `MF K=${FACTORS}, fused SGD (batch 1, lr 0.01)`,
    // The fused per-example kernel (mfSgdEpoch): one WASM call per 1024 ratings.
    build: (lib, backend, dataset) => new lib.MatrixFactorization(backend, dataset, { factors: FACTORS }),
    compile: { optimizer: { name: 'sgd', lr: 0.01 } },
    batchSize: 1,
  },
  {
    id: 'mf-adam',
    label: `MF K=${FACTORS}, Adam lr 1e-3, batch 256`,
    // No L2, so it is the same model and loss as the TF.js row (Keras Embedding without
    // regularizers): the RMSEs can be compared, not just the times.
    build: (lib, backend, dataset) => new lib.MatrixFactorization(backend, dataset, { factors: FACTORS, regFactors: 0, regBias: 0 }),
    compile: { optimizer: { name: 'adam', lr: 1e-3 } },
    batchSize: 256,
  },
];

/**
 * A stepper over `model.fit` for alternateEpochs: each step is one epoch; the info is the
 * epoch's logs (logs.seconds is the model's own timing of the epoch).
 */
export function fitStepper(epochStepper, model, train, { epochs, batchSize, seed = 42 }) {
  return epochStepper((onEpochEnd) =>
    model.fit(train, { epochs, batchSize, seed, callbacks: { onEpochEnd: (_e, logs) => onEpochEnd(logs) } }),
  );
}
