// A two-tower model's user tower alone, for request-time serving: item vectors live in a
// nearest-neighbour index, and each request runs only this tower (../io/user-tower-file.ts
// saves and loads it). The forward pass is the two-tower's own (./two-tower-net.ts).

import type { Backend } from '../backends/index.js';
import type { IdIndex } from '../data/interactions.js';
import { SideTables } from '../nn/features.js';
import type { RawRow, RawValue } from '../preprocessing/derive.js';
import type { EncodedSide } from '../preprocessing/encoded.js';
import type { FeaturePipeline } from '../preprocessing/pipeline.js';
import { Rng } from '../random.js';
import { withBatches } from './feature-prediction.js';
import { lookupRows } from './feature-rows.js';
import { knownRows } from './known-rows.js';
import type { EntityRef } from './model-types.js';
import { buildTowerSide, sideOutputs, type TowerSide, type TowerSideConfig } from './two-tower-net.js';

/** A request encodes one user, a batch call a few: buffers for this many rows at a time. */
export const USER_TOWER_MAX_BATCH = 64;

/** What a user tower is made of: the two-tower's user side, as saved. */
export interface UserTowerParts {
  config: TowerSideConfig;
  userIndex: IdIndex;
  /** The users' encoded features (one row per id, the unknown user last). */
  features: EncodedSide;
  /** The user side's parameters, in the order of its params() (input layer, then tower). */
  params: Float32Array[];
  /** b_u per id row (the unknown user's last). */
  userBias: Float32Array;
  /** 1 = the user had training ratings (else she reads the unknown id's rows). */
  userSeen: Uint8Array;
  globalMean: number;
  /** Encodes a new user's raw features as the model did; null when the model had none. */
  pipeline: FeaturePipeline | null;
}

/**
 * The user tower of a two-tower model with the dot head: `score(u, i) = μ + b_u + b_i + u·v_i`,
 * where u comes from `encode` or `encodeUser` and v_i, b_i are the exported item vectors.
 *
 * @example
 * const tower = loadUserTower(bytes);
 * const u = tower.encode({ age: 31, gender: 'F', occupation: 'writer', zip: '94110' });
 * const hits = await index.query([...u, 1], { topK: 10 }); // items as [v_i | b_i]
 */
export class UserTower {
  /** Width of the vectors `encode` returns. */
  readonly dim: number;
  /** μ of the score: constant per user, it changes no ranking. */
  readonly globalMean: number;
  /** The raw columns `encode` needs (a value may be null: unknown, as the full model reads it). */
  readonly featureColumns: readonly string[];
  private readonly side: TowerSide;
  private readonly tables: SideTables;
  private disposed = false;

  constructor(
    readonly backend: Backend,
    private readonly parts: UserTowerParts,
  ) {
    const nUsers = parts.userIndex.size;
    // The initial values are overwritten; the seed only makes the build deterministic.
    this.side = buildTowerSide(backend, parts.config, parts.features, 'user', nUsers, USER_TOWER_MAX_BATCH, new Rng(0));
    try {
      const params = [...this.side.input.params(), ...this.side.tower.params()];
      if (params.length !== parts.params.length) throw new Error(`user tower: ${parts.params.length} parameter tensors for a tower of ${params.length}`);
      params.forEach((p, k) => p.write(parts.params[k]));
      this.tables = new SideTables(backend, parts.features);
    } catch (err) {
      this.side.input.dispose();
      this.side.tower.dispose();
      throw err;
    }
    this.dim = this.side.tower.outDim;
    this.globalMean = parts.globalMean;
    this.featureColumns = parts.config.sideFeatures && parts.pipeline ? parts.pipeline.inputColumns('user') : [];
  }

  /** The user ids `encodeUser` knows, in row order. */
  get userIds(): readonly string[] {
    return this.parts.userIndex.ids;
  }

  /**
   * The vector of a new user from raw feature values keyed by column (`featureColumns`; extra
   * keys are ignored), encoded as the full model encodes a cold user: unseen categories and
   * null values are "unknown", and the id is the unknown user's.
   *
   * @example
   * tower.encode({ age: 25, gender: 'M', occupation: 'student', zip: null });
   */
  encode(features: Record<string, unknown>): Float32Array {
    if (typeof features !== 'object' || features === null || Array.isArray(features)) throw new TypeError('encode: features must be an object of raw values keyed by column name');
    const missing = this.featureColumns.filter((c) => !Object.hasOwn(features, c) || features[c] === undefined);
    if (missing.length > 0) {
      throw new Error(`encode: missing feature${missing.length > 1 ? 's' : ''} ${missing.map((c) => `'${c}'`).join(', ')}; the user tower reads ${this.featureColumns.join(', ')} (give null for an unknown value)`);
    }
    for (const c of this.featureColumns) checkValue(features[c], c);
    const pipeline = this.parts.config.sideFeatures ? this.parts.pipeline : null;
    // Without a pipeline the full model scores every new user as the unknown user.
    if (!pipeline) return this.run(Int32Array.of(-1));
    return this.run({ features: pipeline.encodeRows('user', [features as RawRow]), rows: Int32Array.of(0) });
  }

  /**
   * The vector of a user the model knows, by raw id: her id embedding (the unknown id's when
   * she had no training ratings) and her saved features, as the full model scores her.
   */
  encodeUser(id: string): Float32Array {
    return this.run(Int32Array.of(this.rowOf(id)));
  }

  /** b_u of a known user, or (no id) the unknown user's, which `encode`'s users share. */
  userBias(id?: string): number {
    const row = id === undefined ? -1 : this.rowOf(id);
    return this.parts.userBias[knownRows([row], this.parts.userSeen)[0]];
  }

  /** Frees the tower's backend memory. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.side.input.dispose();
    this.side.tower.dispose();
    this.tables.dispose();
  }

  private rowOf(id: string): number {
    if (typeof id !== 'string') throw new TypeError(`encodeUser takes a raw user id (a string), got ${typeof id}`);
    const row = this.parts.userIndex.get(id);
    if (row < 0) throw new Error(`encodeUser: user '${id}' is not in the user tower (${this.parts.userIndex.size} users); encode a new user from her features with encode()`);
    return row;
  }

  private run(ref: EntityRef): Float32Array {
    if (this.disposed) throw new Error('user tower: used after dispose()');
    const l = lookupRows(this.backend, ref, 'user', this.tables, this.parts.userSeen);
    try {
      return withBatches(this.backend, l, (b, tables) => sideOutputs(this.backend, this.side, b, tables, l.rows.length, USER_TOWER_MAX_BATCH));
    } finally {
      if (l.tables !== this.tables) l.tables.dispose();
    }
  }
}

/** The raw values a feature table holds: a number, a string, a list of strings, or null. */
function checkValue(v: unknown, column: string): asserts v is RawValue {
  const ok = v === null || typeof v === 'string' || typeof v === 'number' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
  if (!ok) throw new TypeError(`encode: feature '${column}' must be a number, a string, a list of strings or null, got ${JSON.stringify(v) ?? typeof v}`);
}
