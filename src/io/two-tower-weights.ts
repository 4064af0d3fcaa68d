// The WEIGHTS of a two-tower net trained elsewhere (PyTorch, Keras), as one safetensors file
// by the convention of docs/model-file.md ("Importing two-tower weights"): per side an id
// embedding, feature embeddings, numeric inputs and Dense layers in nn.Linear's [out, in]
// layout; ids, vocabularies, feature values and the activation in the metadata. Read and
// checked here (every problem named at once), turned into a wasmrec TwoTower by
// ./two-tower-weights-model.ts. No Node API.

import { F32_MAX } from '../data/text.js';
import { LOSS_NAMES, type LossName } from '../training/losses.js';
import { ModelFileError } from './model-file-error.js';
import { isPlainObject, parseSafetensors, readTensor, type SafetensorsFile } from './safetensors.js';

export const WEIGHT_ACTIVATIONS = ['relu', 'sigmoid', 'tanh', 'linear'] as const;
export type WeightActivation = (typeof WEIGHT_ACTIVATIONS)[number];

/** One input feature of a tower, as the metadata describes it. */
export type WeightFeature =
  | { name: string; type: 'categorical' | 'multi'; vocab: string[] }
  | { name: string; type: 'numeric'; mean: number; std: number };

/** One tower as read: tables row-major; dense weights already in wasmrec's [in, out] layout. */
export interface WeightSide {
  ids: string[];
  features: WeightFeature[];
  /** Raw feature values of the known ids, one list per feature (aligned with `ids`). */
  table: Record<string, unknown[]>;
  /** (ids + 1) × idDim with the unknown row last, or null without an id embedding. */
  idEmbedding: Float32Array | null;
  idDim: number;
  /** Per categorical/multi feature (in `features` order): (vocab + 1) × width, row 0 unknown. */
  featureTables: Map<string, { values: Float32Array; width: number }>;
  dense: { W: Float32Array; b: Float32Array; inDim: number; outDim: number }[];
  /** ids + 1 biases, the unknown id's last. */
  bias: Float32Array;
}

export interface TwoTowerWeights {
  user: WeightSide;
  item: WeightSide;
  activation: WeightActivation;
  globalMean: number;
  /** What the scores are: ratings ('mse', the default) or an implicit loss's logits. */
  loss: LossName;
}

const SIDES = ['user', 'item'] as const;
const OUR_KEYS = new Set(SIDES.flatMap((side) => ['ids', 'features', 'table'].map((k) => `${side}_${k}`)));

/**
 * The two towers of a weights file, checked against each other and the metadata. Throws one
 * ModelFileError listing every missing, extra or misshapen tensor and bad metadata key.
 *
 * @example
 * const model = twoTowerFromWeights(backend, readTwoTowerWeights(bytes));
 * model.recommendForFeatures({ age: 31, gender: "F" }, 10);
 */
export function readTwoTowerWeights(bytes: Uint8Array): TwoTowerWeights {
  const file = parseSafetensors(bytes);
  const problems: string[] = [];
  const used = new Set<string>();
  const meta = (key: string, required: boolean): unknown => {
    const text = file.metadata[key];
    if (text === undefined) {
      if (required) problems.push(`metadata '${key}' is missing`);
      return undefined;
    }
    try {
      return JSON.parse(text);
    } catch {
      problems.push(`metadata '${key}' is not JSON`);
      return undefined;
    }
  };
  // Bare words, or JSON strings of them (json.dumps("relu") is an easy slip).
  const word = (key: string) => {
    const v = file.metadata[key];
    return v !== undefined && v.startsWith('"') && v.endsWith('"') && v.length >= 2 ? v.slice(1, -1) : v;
  };
  const activationRaw = word('activation');
  const activation = (activationRaw ?? 'relu') as WeightActivation;
  if (!WEIGHT_ACTIVATIONS.includes(activation)) problems.push(`metadata 'activation' is ${JSON.stringify(activationRaw)}; expected one of ${WEIGHT_ACTIVATIONS.join(', ')}`);
  const globalMean = file.metadata.global_mean === undefined ? 0 : Number(file.metadata.global_mean);
  if (!Number.isFinite(globalMean)) problems.push(`metadata 'global_mean' is ${JSON.stringify(file.metadata.global_mean)}, not a number`);
  const loss = (word('loss') ?? 'mse') as LossName;
  if (!LOSS_NAMES.includes(loss)) problems.push(`metadata 'loss' is ${JSON.stringify(file.metadata.loss)}; expected one of ${LOSS_NAMES.join(', ')}`);
  const tensors = { file, bytes, used, problems };
  const [user, item] = SIDES.map((side) => readSide(side, meta, tensors));
  for (const name of file.tensors.keys()) if (!used.has(name)) problems.push(`tensor '${name}' is not part of the convention`);
  // Writers add keys of their own (safetensors' `format`); a misspelt key of ours must not pass as one.
  for (const key of Object.keys(file.metadata)) if (/^(user|item)_/.test(key) && !OUR_KEYS.has(key)) problems.push(`metadata '${key}' is not part of the convention (${[...OUR_KEYS].join(', ')})`);
  if (problems.length === 0) {
    checkTowersAgree(user, item, problems);
    if (user.dense.length > 1 && activationRaw === undefined) problems.push(`metadata 'activation' is missing (the towers have hidden layers)`);
  }
  if (problems.length > 0) throw new ModelFileError(`not a two-tower weights file by the convention (docs/model-file.md): ${problems.join('; ')}`);
  return { user, item, activation, globalMean, loss };
}

interface TensorContext {
  file: SafetensorsFile;
  bytes: Uint8Array;
  used: Set<string>;
  problems: string[];
}

/**
 * The tensor `name` as float32 when its shape is one of `shapes` (null = any size); records a
 * problem naming expected and actual shapes otherwise, and when a required one is missing.
 */
function floats(ctx: TensorContext, name: string, shapes: (number | null)[][], required: boolean): { values: Float32Array; shape: number[] } | null {
  const t = ctx.file.tensors.get(name);
  if (!t) {
    if (required) ctx.problems.push(`tensor '${name}' is missing (expected ${shapes.map(show).join(' or ')})`);
    return null;
  }
  ctx.used.add(name);
  const fits = shapes.some((s) => s.length === t.shape.length && s.every((d, k) => d === null || d === t.shape[k]));
  if ((t.dtype !== 'F32' && t.dtype !== 'F64') || !fits || t.shape.includes(0)) {
    ctx.problems.push(`tensor '${name}' is ${t.dtype} [${t.shape.join(', ')}]; expected F32 or F64 ${shapes.map(show).join(' or ')}`);
    return null;
  }
  const values = Float32Array.from(readTensor(ctx.bytes, ctx.file, t) as Float32Array | Float64Array);
  const bad = values.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) {
    ctx.problems.push(`tensor '${name}' holds a value that is not finite (at flat index ${bad})`);
    return null;
  }
  return { values, shape: t.shape };
}

const show = (shape: (number | null)[]) => `[${shape.map((d) => d ?? '*').join(', ')}]`;

function readSide(side: 'user' | 'item', meta: (key: string, required: boolean) => unknown, ctx: TensorContext): WeightSide {
  const p = ctx.problems;
  const ids = idList(meta(`${side}_ids`, true), `${side}_ids`, p);
  const n = ids.length;
  const features = featureList(meta(`${side}_features`, false), `${side}_features`, p);
  const table = featureTable(meta(`${side}_table`, features.length > 0), `${side}_table`, features, n, p);

  // The id table: one row per id plus the unknown id's (or none: then unknown ids get zeros).
  const id = floats(ctx, `${side}.id_embedding`, [[n + 1, null], [n, null]], false);
  const idDim = id ? id.shape[1] : 0;
  const idEmbedding = id ? withZeroRow(id.values, id.shape[0], n + 1, idDim) : null;
  let width = idDim;
  // A missing or misshapen embedding leaves the tower's input width unknown: then the Dense
  // layers are not checked (every one would be reported against a wrong width).
  let inputKnown = true;
  const featureTables = new Map<string, { values: Float32Array; width: number }>();
  for (const f of features) {
    if (f.type === 'numeric') continue;
    const t = floats(ctx, `${side}.feature.${f.name}.embedding`, [[f.vocab.length + 1, null]], true);
    if (t) featureTables.set(f.name, { values: t.values, width: t.shape[1] });
    width += t ? t.shape[1] : 0;
    inputKnown &&= t !== null;
  }
  width += features.filter((f) => f.type === 'numeric').length;
  if (width === 0 && inputKnown) ctx.problems.push(`the ${side} tower has no input (no '${side}.id_embedding' and no features)`);

  // Dense layers 0, 1, … until the first missing weight; each one's input is the last one's output.
  const dense: WeightSide['dense'] = [];
  for (let k = 0; ctx.file.tensors.has(`${side}.dense.${k}.weight`); k++) {
    const w = inputKnown ? floats(ctx, `${side}.dense.${k}.weight`, [[null, width]], true) : null;
    if (!w) {
      // After a misshapen layer the later ones cannot be checked: not "extra", only unchecked.
      for (const name of ctx.file.tensors.keys()) if (name.startsWith(`${side}.dense.`) && Number(name.split('.')[2]) >= k) ctx.used.add(name);
      break;
    }
    const out = w.shape[0];
    const b = floats(ctx, `${side}.dense.${k}.bias`, [[out]], false);
    dense.push({ W: transpose(w.values, out, width), b: b ? b.values : new Float32Array(out), inDim: width, outDim: out });
    width = out;
  }
  const bias = floats(ctx, `${side}.bias`, [[n + 1], [n]], false);
  return { ids, features, table, idEmbedding, idDim, featureTables, dense, bias: bias ? withZeroRow(bias.values, bias.shape[0], n + 1, 1) : new Float32Array(n + 1) };
}

/** What wasmrec's two-tower shares between its towers: the layer widths (and so the dot's width). */
function checkTowersAgree(user: WeightSide, item: WeightSide, problems: string[]): void {
  const widths = (s: WeightSide) => s.dense.map((d) => d.outDim);
  const outWidth = (s: WeightSide) => (s.dense.length > 0 ? s.dense[s.dense.length - 1].outDim : s.idDim + [...s.featureTables.values()].reduce((a, t) => a + t.width, 0) + s.features.filter((f) => f.type === 'numeric').length);
  if (widths(user).join() !== widths(item).join()) {
    problems.push(`the towers' Dense layers differ (user [${widths(user)}], item [${widths(item)}]); wasmrec's two-tower gives both towers the same layer widths`);
  } else if (outWidth(user) !== outWidth(item)) {
    problems.push(`the dot head needs towers of equal output width (user ${outWidth(user)}, item ${outWidth(item)})`);
  }
  if (user.dense.length === 0 && user.idDim !== item.idDim) problems.push(`towers without Dense layers need id embeddings of one width (user ${user.idDim}, item ${item.idDim})`);
}

/** nn.Linear's [out, in] → wasmrec's Dense layout [in, out] (y = x·W + b). */
function transpose(w: Float32Array, out: number, inDim: number): Float32Array {
  const t = new Float32Array(w.length);
  for (let o = 0; o < out; o++) for (let i = 0; i < inDim; i++) t[i * out + o] = w[o * inDim + i];
  return t;
}

/** A table of `rows` rows padded with zero rows to `want` (the unknown id's row when the file has none). */
function withZeroRow(values: Float32Array, rows: number, want: number, width: number): Float32Array {
  if (rows === want) return values;
  const out = new Float32Array(want * width);
  out.set(values);
  return out;
}

function idList(v: unknown, key: string, problems: string[]): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((id) => typeof id === 'string' && id !== '')) {
    problems.push(`metadata '${key}' must be a list of non-empty strings`);
    return [];
  }
  if (new Set(v).size !== v.length) problems.push(`metadata '${key}' repeats an id`);
  return v;
}

/** `[{name, type: categorical|multi, vocab: {value: row ≥ 1}} | {name, type: numeric, mean?, std?}]`. */
function featureList(v: unknown, key: string, problems: string[]): WeightFeature[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    problems.push(`metadata '${key}' must be a list of features`);
    return [];
  }
  const out: WeightFeature[] = [];
  const names = new Set<string>();
  v.forEach((f, k) => {
    const where = `metadata '${key}'[${k}]`;
    const name = isPlainObject(f) ? f.name : undefined;
    if (typeof name !== 'string' || name === '') return problems.push(`${where} needs a non-empty "name"`);
    if (names.has(name)) return problems.push(`${where} repeats the feature name '${name}'`);
    names.add(name);
    const type = (f as Record<string, unknown>).type;
    if (type === 'numeric') {
      const { mean = 0, std = 1 } = f as { mean?: unknown; std?: unknown };
      if (typeof mean !== 'number' || !Number.isFinite(mean) || typeof std !== 'number' || !(std > 0 && Number.isFinite(std))) return problems.push(`${where} ('${name}') needs a finite "mean" and a "std" > 0 (defaults 0 and 1)`);
      return out.push({ name, type, mean, std });
    }
    if (type !== 'categorical' && type !== 'multi') return problems.push(`${where} ('${name}') has type ${JSON.stringify(type)}; expected categorical, multi or numeric`);
    const vocab = vocabRows((f as Record<string, unknown>).vocab);
    if (!vocab) return problems.push(`${where} ('${name}') needs a "vocab" mapping each non-blank value to its embedding row, rows 1..V each once (row 0 is the unknown value)`);
    out.push({ name, type, vocab });
  });
  return out;
}

/**
 * Values ordered by row (row r → vocab[r − 1]), or null unless the rows are exactly 1..V.
 * A blank value could never be looked up (wasmrec reads a blank cell as missing: row 0).
 */
function vocabRows(v: unknown): string[] | null {
  if (!isPlainObject(v)) return null;
  const entries = Object.entries(v);
  const vocab = new Array<string>(entries.length);
  for (const [value, row] of entries) {
    if (value.trim() === '' || !Number.isInteger(row) || (row as number) < 1 || (row as number) > entries.length || vocab[(row as number) - 1] !== undefined) return null;
    vocab[(row as number) - 1] = value;
  }
  return vocab;
}

/** `{feature: [value per id]}`: strings (numbers are labels too) or null; lists for multi; numbers or null for numeric. */
function featureTable(v: unknown, key: string, features: WeightFeature[], n: number, problems: string[]): Record<string, unknown[]> {
  if (v === undefined) return {};
  if (!isPlainObject(v)) {
    problems.push(`metadata '${key}' must be an object of columns`);
    return {};
  }
  const table: Record<string, unknown[]> = {};
  for (const f of features) {
    const col = v[f.name];
    // A numeric value is fed to the tower standardised, in float32: that must stay finite.
    const standardised = (x: number) => f.type === 'numeric' && Math.abs((x - f.mean) / f.std) <= F32_MAX;
    const ok = (x: unknown) => x === null || (f.type === 'numeric' ? typeof x === 'number' && standardised(x) : f.type === 'multi' ? Array.isArray(x) && x.every((s) => typeof s === 'string') : typeof x === 'string' || typeof x === 'number');
    if (!Array.isArray(col) || col.length !== n || !col.every(ok)) {
      problems.push(`metadata '${key}' needs column '${f.name}' with ${n} values (${f.type === 'numeric' ? 'numbers, finite in float32 once standardised,' : f.type === 'multi' ? 'lists of strings' : 'strings'} or null)`);
      continue;
    }
    table[f.name] = col;
  }
  for (const name of Object.keys(v)) if (!features.some((f) => f.name === name)) problems.push(`metadata '${key}' has column '${name}', which no feature reads`);
  return table;
}
