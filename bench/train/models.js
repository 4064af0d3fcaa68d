// The wasmrec model rows of the training bench. To add a model, add an entry: how to build
// it on a backend (from the data set and the training ratings), how to compile it, and fit options.
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

/**
 * The feature spec of the two-tower, restricted to the features the TF.js row feeds:
 * gender and occupation (embedded), standardized age | 19-genre multi-hot and standardized
 * year. `multiHot` also yields CSR ids for a pooled embedding, which the TF.js model has
 * not, so `towerFeatures` drops them.
 */
export const TWO_TOWER_SPEC = {
  user: [
    { type: 'categorical', column: 'gender' },
    { type: 'categorical', column: 'occupation' },
    { type: 'continuous', column: 'age' },
  ],
  item: [
    { type: 'multi', column: 'genres', multiHot: true },
    { type: 'continuous', column: 'year' },
  ],
};

/** Encoded user/item features of TWO_TOWER_SPEC, fit on the training ratings. */
export function towerFeatures(lib, dataset, train) {
  const pipeline = lib.FeaturePipeline.fit(dataset, train, TWO_TOWER_SPEC);
  const item = pipeline.encode('item', dataset.itemIndex);
  return { user: pipeline.encode('user', dataset.userIndex), item: { ...item, multi: [] } };
}

/** The same widths as the TF.js model (its vocabularies have no "unknown" code). */
const towerFeatureDim = (name) => (name === 'gender' ? TWO_TOWER.genderDim : TWO_TOWER.occupationDim);

/** A ranking model with its kind's defaults: trained on the ratings ≥ threshold, scored by P@10 (the README's implicit protocol). */
/** Epochs of the sequence models' rows (the first reported alone, the median over the other two). */
const SEQUENCE_EPOCHS = 3;

function ranker(id, label, build, loss, batchSize, threshold, epochs) {
  return {
    id, label, build, compile: { loss }, batchSize,
    // A js epoch of a sequence model takes one to three minutes: these rows run fewer epochs.
    ...(epochs ? { epochs } : {}),
    trainRows: (lib, train) => lib.positivesOf(train, threshold),
    testScore: (model, test) => ['P@10', model.evaluate(test, { metrics: ['p_at_10'] }).p_at_10],
  };
}

function twoTower(head) {
  return {
    id: `two-tower-${head}`,
    label: `two-tower [${TWO_TOWER.hidden},${TWO_TOWER.out}], ${head} head, Adam lr 1e-3, batch 256`,
    // Keras' model has no regularizers, no id dropout and a constant learning rate:
    // switch wasmrec's defaults for those off so both train the same model.
    // `extra`: options a section varies (the step section turns stepPrograms off).
    build: (lib, backend, dataset, train, extra = {}) =>
      new lib.TwoTower(backend, dataset, towerFeatures(lib, dataset, train), {
        idDim: TWO_TOWER.idDim, featureDim: towerFeatureDim,
        towerLayers: [TWO_TOWER.hidden, TWO_TOWER.out], headLayers: [TWO_TOWER.headHidden], head,
        idDropout: 0, regId: 0, regFeatures: 0, regDense: 0, regBias: 0, maxBatch: 256,
        ...extra,
      }),
    compile: { optimizer: { name: 'adam', lr: 1e-3 } },
    batchSize: 256,
    fit: { lrSchedule: { kind: 'constant' } },
    // Trained in the TF.js section (wasm, js and tfjs-wasm alternating), not twice.
    tfjsSectionOnly: true,
  };
}

export const MODELS = [
  {
    id: 'mf-sgd',
    label: `MF K=${FACTORS}, fused SGD (batch 1, lr 0.01)`,
    // The fused per-example kernel (mfSgdChunk): one WASM call per 1024 ratings.
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
  twoTower('mlp'),
  twoTower('dot'),
  // Every batch propagates the whole graph (2,625 nodes, 88,280 directed edges) forward and back.
  ranker('lightgcn', 'LightGCN d=64, K=3, BPR (2 negatives), Adam lr 5e-3, batch 2048 (the defaults), ratings ≥ 4', (lib, backend, dataset) => new lib.LightGCN(backend, dataset), 'bpr', 2048, 4),
  {
    id: 'svdpp',
    label: 'SVD++ K=100 (the defaults): fused per-user SGD, rated items as the implicit set',
    build: (lib, backend, dataset) => new lib.SvdPlusPlus(backend, dataset),
    compile: { optimizer: { name: 'sgd', lr: 0.01 } },
    batchSize: 1,
  },
  ranker('youtube', 'youtube d=64, last 20 events mean-pooled + ReLU, full softmax, Adam lr 2e-3, batch 256, ratings ≥ 3', (lib, backend, dataset) => new lib.YouTubeDNN(backend, dataset), 'softmax', 256, 3, SEQUENCE_EPOCHS),
  ranker('sequence-two-tower', 'sequence-two-tower d=64: item tower (genres, year, id 32) feeding the softmax and the pooled last 20 events, Adam lr 2e-3, batch 256, ratings ≥ 3',
    (lib, backend, dataset, train) => {
      const pipeline = lib.FeaturePipeline.fit(dataset, train, 'auto');
      return new lib.SequenceTwoTower(backend, dataset, { user: pipeline.encode('user', dataset.userIndex), item: pipeline.encode('item', dataset.itemIndex) });
    }, 'softmax', 256, 3, SEQUENCE_EPOCHS),
  // Windows of 50 events: embeddings → GRU (seqGru kernels) → full softmax at every step.
  ranker('gru4rec', 'gru4rec d=64, windows of 50 events, GRU, input dropout 0.5, full softmax at every step, Adam lr 1e-2, batch 32 windows, ratings ≥ 3', (lib, backend, dataset) => new lib.Gru4Rec(backend, dataset), 'softmax', 32, 3, SEQUENCE_EPOCHS),
  // Windows of 50 events, output at every position: ~2,300 windows × 50 positions of 1,682-way softmax, 2 attention blocks.
  ranker('sasrec', 'SASRec d=64, 2 blocks, 1 head, windows of 50, full softmax at every position, Adam lr 2e-3, batch 64 windows, ratings ≥ 3', (lib, backend, dataset) => new lib.SASRec(backend, dataset), 'softmax', 64, 3, SEQUENCE_EPOCHS),
  // Windows of 50 events through 1 causal block; every position's next event + 8 uniform negatives scored by target attention + MLP [192 → 64 → 1] + a·q.
  ranker('bst', 'BST d=64, 1 causal block, target attention, MLP 64, bce with 8 negatives per event, Adam lr 2e-3, batch 32 windows, ratings ≥ 3', (lib, backend, dataset) => new lib.BST(backend, dataset), 'bce', 32, 3, SEQUENCE_EPOCHS),
  // auto's features plus the ML-100K titles read in order: token embeddings → GRU (seqGru kernels) per example, in the step program.
  {
    id: 'two-tower-gru-text',
    label: 'two-tower (defaults, auto) + titles through the GRU text encoder (first 16 words, vocabulary ≥ 2 films), batch 256',
    build: (lib, backend, dataset, train) => {
      const auto = lib.autoFeatureSpec(dataset);
      const spec = { ...auto, item: [...auto.item, { type: 'text', column: 'title', buckets: 0, minFrequency: 2, encoder: 'gru' }] };
      const pipeline = lib.FeaturePipeline.fit(dataset, train, spec);
      return new lib.TwoTower(backend, dataset, { user: pipeline.encode('user', dataset.userIndex), item: pipeline.encode('item', dataset.itemIndex) }, { maxBatch: 256 });
    },
    compile: {},
    batchSize: 256,
    epochs: SEQUENCE_EPOCHS,
  },
  {
    id: 'linear-rs',
    label: `LinearRS K=${FACTORS} (issue's features), Adam lr 1e-3, batch 256`,
    build: (lib, backend, dataset, train) => new lib.LinearRS(backend, dataset, towerFeatures(lib, dataset, train), { factors: FACTORS, maxBatch: 256 }),
    compile: { optimizer: { name: 'adam', lr: 1e-3 } },
    batchSize: 256,
  },
];

/**
 * A stepper over `model.fit` for alternateEpochs: each step is one epoch; the info is the
 * epoch's logs (logs.seconds is the model's own timing of the epoch).
 */
export function fitStepper(epochStepper, model, train, { epochs, batchSize, seed = 42, fit = {} }) {
  return epochStepper((onEpochEnd) =>
    model.fit(train, { ...fit, epochs, batchSize, seed, callbacks: { onEpochEnd: (_e, logs) => onEpochEnd(logs) } }),
  );
}
