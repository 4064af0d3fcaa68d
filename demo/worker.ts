// The demo's training worker: loads or generates the data, trains, evaluates and
// recommends, posting progress as it goes, so the page's UI never waits on the maths.

import {
  buildModel, createBackend, deserializeModel, detectSimdFlavor, positivesOf, serializeModel, summarySvg, type Recommender, FeatureModel, generateSynthetic, meanRating, parseMovieLens100k, randomSplit,
  readContents, type Backend, type BuiltModel, type Dataset, type Interactions, type Recommendation, type SimdFlavor,
} from '../src/index.js';
import { explainer, type Explain } from './explain.js';
import { SYNTHETIC_SIZES, type BackendChoice, type DataChoice, type FromWorker, type ModelChoice, type RankedItem, type ToWorker } from './protocol.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (msg: FromWorker): void => scope.postMessage(msg);

/** Fewer progress messages than batches: the page cannot draw faster than this anyway. */
const PROGRESS_INTERVAL_MS = 50;
const SEED = 42;

/**
 * Where the .wasm builds are. esbuild keeps `new URL('…', import.meta.url)` as it is but
 * does not copy the file it names, so the library's default (`../../../build/…` from its
 * own module) would point outside demo/dist/. demo/build.mjs copies both builds next to
 * this worker's bundle, and these two literal URLs name them.
 */
function wasmUrl(flavor: SimdFlavor): URL {
  return flavor === 'relaxed' ? new URL('./wasmrec.relaxed.wasm', import.meta.url) : new URL('./wasmrec.simd.wasm', import.meta.url);
}

async function makeBackend(name: BackendChoice, threads = 1): Promise<{ backend: Backend; url: string | null }> {
  if (name === 'js') return { backend: await createBackend('js'), url: null };
  const flavor = detectSimdFlavor();
  const url = wasmUrl(flavor);
  if (threads > 1) {
    // The shared-memory build and the pool's worker script, copied and bundled beside this
    // worker by demo/build.mjs; the backend falls back to one thread (the build at `url`)
    // where the page is not cross-origin isolated.
    const sharedWasm = new URL('./wasmrec.shared.wasm', import.meta.url);
    const backend = await createBackend('wasm', { wasm: url, flavor, threads, sharedWasm, workerUrl: new URL('./pool-worker.js', import.meta.url) });
    return { backend, url: backend.threads > 1 ? sharedWasm.href : url.href };
  }
  // The flavour tells the backend which build the URL holds, so `features` reports it.
  return { backend: await createBackend('wasm', { wasm: url, flavor }), url: url.href };
}

interface Loaded {
  dataset: Dataset;
  train: Interactions;
  test: Interactions;
  split: string;
}

async function loadData(choice: DataChoice): Promise<Loaded> {
  if (choice.kind === 'synthetic') {
    const dataset = generateSynthetic({ ...SYNTHETIC_SIZES[choice.size], seed: choice.seed });
    const { train, test } = dataset.folds!.u1;
    return { dataset, train, test, split: 'u1 (80/20)' };
  }
  // File objects arrive as Blobs; the parsers take bytes.
  const dataset = parseMovieLens100k(await readContents(choice.files), { source: 'the picked files' });
  const fold = dataset.folds?.u1;
  if (fold) return { dataset, train: fold.train, test: fold.test, split: 'u1.base / u1.test' };
  const { train, test } = randomSplit(dataset.ratings, { testFraction: 0.2, seed: SEED });
  return { dataset, train, test, split: 'random 80/20' };
}

/** The model being served: trained here (with its data) or loaded from a picked file. */
interface Serving {
  model: Recommender;
  /** The data it was trained on; null for an uploaded model file. */
  dataset: Dataset | null;
  describe: (item: number, score: number) => RankedItem;
  explain: Explain;
}

let current: Serving | null = null;
/** The backend of the current model: disposed with it (a threaded one stops its workers). */
let currentBackend: Backend | null = null;

async function train(msg: Extract<ToWorker, { type: 'train' }>): Promise<void> {
  current?.model.dispose();
  currentBackend?.dispose();
  current = null;
  currentBackend = null;
  post({ type: 'status', text: msg.data.kind === 'synthetic' ? 'generating data…' : 'parsing files…' });
  const loaded = await loadData(msg.data);
  const { dataset, train: trainPart, test } = loaded;
  post({
    type: 'data', description: dataset.description, nUsers: dataset.userIndex.size, nItems: dataset.itemIndex.size,
    nTrain: trainPart.length, nTest: test.length, split: loaded.split,
    occupations: [...(dataset.users?.vocab?.occupation ?? [])], firstUser: dataset.userIndex.ids[trainPart.users[0]] ?? '',
  });

  const { backend, url } = await makeBackend(msg.backend, msg.threads);
  currentBackend = backend;
  post({ type: 'backend', name: msg.backend, features: backend.features, threads: backend.threads, wasmUrl: url });
  post({ type: 'status', text: `training ${msg.model} on ${msg.backend}…` });
  const built = buildModel(msg.model, backend, dataset, trainPart);
  postDiagram(msg.model, built.model);
  // Implicit: the ratings ≥ 4 are the positives, and the kind's implicit loss ranks them.
  const fitRows = msg.implicit ? positivesOf(trainPart, 4) : trainPart;
  built.model.compile(msg.implicit ? { loss: built.model.defaultImplicitLoss(), threshold: 4 } : {});
  const valName = msg.implicit ? 'val_p_at_10' : 'val_rmse';
  let epoch = 0;
  let examples = 0;
  let lastPost = 0;
  const history = await built.model.fit(fitRows, {
    epochs: msg.epochs,
    seed: SEED,
    validationSplit: 0.1,
    callbacks: {
      onBatchEnd: (_batch, logs) => {
        examples += logs.size;
        const now = performance.now();
        if (now - lastPost < PROGRESS_INTERVAL_MS) return;
        lastPost = now;
        post({ type: 'progress', epoch, fraction: examples / trainPart.length });
      },
      onEpochEnd: (e, logs) => {
        epoch = e + 1;
        examples = 0;
        const val = valName ? ((logs as Record<string, number | undefined>)[valName] ?? null) : null;
        post({ type: 'epoch', epoch: e, epochs: msg.epochs, loss: logs.loss, seconds: logs.seconds, val, valName });
      },
    },
  });
  const lists = built.model.evaluate(test, { metrics: ['p_at_10', 'ndcg_at_10', 'auc'], threshold: 4 });
  const ratings = msg.implicit ? { rmse: NaN, mae: NaN } : built.model.evaluate(test, { metrics: ['rmse', 'mae'] });
  post({
    type: 'result', rmse: ratings.rmse, mae: ratings.mae, baselineRmse: globalMeanRmse(trainPart, test),
    trainSeconds: history.epochs.reduce((s, e) => s + e.seconds, 0),
    lists: { p_at_10: lists.p_at_10, ndcg_at_10: lists.ndcg_at_10, auc: lists.auc },
  });
  current = { model: built.model, dataset, describe: itemDescriber(dataset, built.model), explain: explainer(built.model) };

  if (msg.compare) {
    post({ type: 'status', text: 'timing one epoch on wasm and on js…' });
    const wasm = await timeOneEpoch(msg.model, 'wasm', loaded);
    const js = await timeOneEpoch(msg.model, 'js', loaded);
    post({ type: 'timing', model: msg.model, wasmSeconds: wasm.seconds, jsSeconds: js.seconds, features: wasm.features });
  }
  post({ type: 'done' });
}

function postDiagram(kind: ModelChoice, model: BuiltModel['model']): void {
  const summary = model.summary();
  post({ type: 'diagram', model: kind, svg: summarySvg(summary), params: summary.totalParams });
}

/** The data last drawn for, kept so that switching models does not regenerate or reparse it. */
let diagramData: { key: string; loaded: Loaded } | null = null;

/** Draws the network `msg.model` builds on the chosen data, without training it. */
async function diagram(msg: Extract<ToWorker, { type: 'diagram' }>): Promise<void> {
  const key = msg.data.kind === 'synthetic' ? `${msg.data.size}/${msg.data.seed}` : Object.keys(msg.data.files).sort().join(',');
  if (diagramData?.key !== key) diagramData = { key, loaded: await loadData(msg.data) };
  const { dataset, train: trainPart } = diagramData.loaded;
  const { model } = buildModel(msg.model, await createBackend('js'), dataset, trainPart);
  try {
    postDiagram(msg.model, model);
  } finally {
    model.dispose();
  }
}

/** One epoch of a fresh model on a fresh backend: the same work on both backends. */
async function timeOneEpoch(kind: ModelChoice, name: BackendChoice, { dataset, train: trainPart }: Loaded): Promise<{ seconds: number; features: string }> {
  const { backend } = await makeBackend(name);
  const { model } = buildModel(kind, backend, dataset, trainPart);
  try {
    const history = await model.fit(trainPart, { epochs: 1, seed: SEED });
    return { seconds: history.epochs[0].seconds, features: backend.features };
  } finally {
    model.dispose();
  }
}

function globalMeanRmse(trainPart: Interactions, test: Interactions): number {
  const mu = meanRating(trainPart);
  let sse = 0;
  for (let r = 0; r < test.length; r++) sse += (test.ratings[r] - mu) ** 2;
  return Math.sqrt(sse / test.length);
}


/** Title and genres from the item table when there is one (u.item, or the generated items), else the model's titles. */
function itemDescriber(dataset: Dataset | null, model: Recommender): (item: number, score: number) => RankedItem {
  const table = dataset?.items;
  const rowOf = new Map(table?.ids.map((id, row) => [id, row]) ?? []);
  const titles = table?.columns.title?.kind === 'string' ? table.columns.title.values : null;
  const genres = table?.columns.genres?.kind === 'multi' ? table.columns.genres.values : null;
  return (item, score) => {
    const id = model.indexes.itemIndex.ids[item];
    const row = rowOf.get(id);
    return {
      id,
      title: (row !== undefined && titles?.[row]) || model.itemTitles?.[id] || `item ${id}`,
      genres: row !== undefined && genres ? genres[row].join(', ') : '',
      score,
    };
  };
}

/** A list as the page shows it: the predicted rating of rating models, else the score; with why, for a known user. */
function rankedItems(t: Serving, items: Recommendation[], user: string | null = null): RankedItem[] {
  return items.map((r) => {
    const shown = t.describe(r.index, r.rating ?? r.score);
    const liked = user === null ? null : t.explain(user, r.index);
    return liked === null ? shown : { ...shown, because: t.describe(liked, 0).title };
  });
}

function need(): Serving {
  if (!current) throw new Error('train a model first');
  return current;
}

function recommend(msg: Extract<ToWorker, { type: 'recommend' }>): void {
  const t = need();
  const id = msg.user.trim();
  // An unknown id is predicted as "unknown user": the same list for every stranger.
  const items = t.model.recommend(id, msg.k);
  post({ type: 'recs', user: msg.user, known: t.model.recommendationBasis(id) === 'known user', items: rankedItems(t, items, id) });
}

function coldStart(msg: Extract<ToWorker, { type: 'cold-start' }>): void {
  const t = need();
  const { model } = t;
  const pipeline = model.pipeline;
  if (model instanceof FeatureModel && pipeline && (t.dataset === null || t.dataset.users)) {
    const items = model.recommendForFeatures({ age: msg.age, gender: msg.gender, occupation: msg.occupation }, msg.k);
    post({
      type: 'cold', items: rankedItems(t, items),
      note: `${model.kind} ranked all ${model.nItems} items for this profile from its features alone (recommendForFeatures).`,
    });
    return;
  }
  const why = model instanceof FeatureModel ? 'the data has no user table (pick u.user)' : `${model.kind} uses no side features`;
  post({
    type: 'cold', items: rankedItems(t, model.recommendForFeatures({}, msg.k)),
    note: `${why}: a new user gets the unknown-user prediction, the same list whatever the profile. Try linear or two-tower.`,
  });
}

/** The served model as a model file, transferred to the page for download. */
function download(): void {
  const t = need();
  const bytes = serializeModel(t.model);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  scope.postMessage({ type: 'model-file', bytes: buffer, name: `${t.model.kind}.wasmrec` } satisfies FromWorker, [buffer]);
}

/** Serves a model file the user picked (checked by the reader: a bad file is a clear error). */
async function upload(msg: Extract<ToWorker, { type: 'upload' }>): Promise<void> {
  const backend = (await makeBackend('wasm')).backend;
  const model = await deserializeModel(new Uint8Array(msg.bytes), backend);
  current?.model.dispose();
  currentBackend?.dispose();
  currentBackend = backend;
  current = { model, dataset: null, describe: itemDescriber(null, model), explain: explainer(model) };
  postDiagram(model.kind as ModelChoice, model);
  const firstUser = model.indexes.userIndex.ids[0] ?? '';
  post({ type: 'loaded', name: msg.name, kind: model.kind, nUsers: model.nUsers, nItems: model.nItems, firstUser, params: model.summary().totalParams });
}

scope.onmessage = async (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  try {
    if (msg.type === 'train') await train(msg);
    else if (msg.type === 'diagram') await diagram(msg);
    else if (msg.type === 'recommend') recommend(msg);
    else if (msg.type === 'download') download();
    else if (msg.type === 'upload') await upload(msg);
    else if (msg.type === 'cold-start') coldStart(msg);
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};
