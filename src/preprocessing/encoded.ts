// The output contract between preprocessing and the models: flat typed arrays per side.

/** A label-encoded column; code 0 is "unknown" (missing, unseen or rare). */
export interface EncodedCategorical {
  name: string;
  /** Number of codes including slot 0 = unknown: embedding tables need this many rows. */
  cardinality: number;
  /** One code per row, in [0, cardinality). */
  codes: Int32Array;
}

/** A multi-valued column in CSR form: row r holds ids[offsets[r] .. offsets[r+1]). */
export interface EncodedMulti {
  name: string;
  /** Number of ids including 0 = unknown. */
  cardinality: number;
  /** n + 1 offsets. Every row holds at least one id (0 when it has no known value), so mean pooling never divides by zero. */
  offsets: Int32Array;
  ids: Int32Array;
  /**
   * 'ids': the ids are rows of the side's own id table (a graph feature), not codes of a
   * table of their own. 'counterpart': id − 1 is a row of the other side's index (a sequence
   * feature), so training can leave each example's own item out.
   */
  of?: 'ids' | 'counterpart';
  /** A 'counterpart' feature whose events carry a rating level: id − 1 = row · levels + level. */
  levels?: number;
  /**
   * A 'counterpart' feature's attribute tokens (time gaps, the other side's categories): the
   * top `attributeTokens` ids; each follows its event's id and goes where the event goes.
   */
  attributeTokens?: number;
  /**
   * A text read in order by a GRU (the `gru` text encoder): each row's first
   * `recurrentTokens` ids are its tokens in reading order; models that cannot run the GRU
   * average them.
   */
  recurrentTokens?: number;
  /** A weight per id (aligned with `ids`): a graph feature's GCN normalisation, summed instead of averaged. */
  weights?: Float32Array;
}

/**
 * All features of one side (users or items), one row per entity.
 *
 * Rows follow the dense indices of the IdIndex given to `encode`; the last row (n - 1) is the
 * "unknown entity" (all codes 0, continuous values at the training mean, global statistics),
 * which models use for ids they have never seen.
 *
 * @example
 * const users = pipeline.encode('user', dataset.userIndex);
 * const age = users.continuous[u * users.contNames.length + users.contNames.indexOf('age')];
 * const unknownRow = users.n - 1;
 */
export interface EncodedSide {
  /** Rows: index.size + 1 (or rows.length + 1 from `encodeRows`). */
  n: number;
  /** n × contNames.length, row-major. */
  continuous: Float32Array;
  contNames: string[];
  categorical: EncodedCategorical[];
  multi: EncodedMulti[];
}

/** Per-rating features, aligned with the Interactions they were computed for. */
export interface EncodedInteractions {
  /** Ratings (rows). */
  n: number;
  /** n × names.length, row-major. */
  values: Float32Array;
  names: string[];
}
