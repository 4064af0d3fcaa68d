// The user's own features in BST's MLP (the paper's "other features": user profile): each
// categorical user feature (age group, gender, occupation, zip region) embedded, the vectors
// concatenated after [attended, candidate, attended ⊙ candidate] of every candidate row.
// Each row carries its user's codes (one column per feature, as the candidates carry their
// items), so the step stays kernel calls on fixed buffers, recordable as a step program.

import type { Backend } from '../backends/index.js';
import { Embedding } from '../nn/embedding.js';
import type { EncodedSide } from '../preprocessing/encoded.js';
import type { Rng } from '../random.js';
import type { Param } from '../training/param.js';
import { demographicShapes } from './youtube-user-input.js';

export class BstUserInput {
  readonly embeddings: Embedding[];
  /** Columns of the MLP input these take. */
  readonly width: number;

  constructor(backend: Backend, users: EncodedSide, rng: Rng) {
    this.embeddings = demographicShapes(users).map(([name, rows, dim]) => new Embedding(backend, name, rows, dim, rng));
    this.width = this.embeddings.reduce((s, e) => s + e.dim, 0);
    if (this.width === 0) throw new Error('bst: demographics needs categorical user features (age group, gender, occupation…); the users have none');
  }

  /** Writes rows r < n of X (row stride `stride`, from column `offset`): the embeddings of the codes at codePtrs[f][r]. */
  forward(X: number, stride: number, offset: number, codePtrs: readonly number[], n: number): void {
    const k = this.embeddings[0].backend.kernels;
    let at = offset;
    this.embeddings.forEach((e, f) => {
      k.gather(X + 4 * at, stride, e.table.value.ptr, codePtrs[f], n, e.dim);
      at += e.dim;
    });
  }

  /** The tables' gradients from dX (rows r < n, the same columns as forward). */
  backward(dX: number, stride: number, offset: number, codePtrs: readonly number[], n: number): void {
    const k = this.embeddings[0].backend.kernels;
    let at = offset;
    this.embeddings.forEach((e, f) => {
      k.scatterAdd(e.table.grad.ptr, dX + 4 * at, stride, codePtrs[f], n, e.dim);
      e.table.markRows(codePtrs[f], n);
      at += e.dim;
    });
  }

  params(): Param[] {
    return this.embeddings.map((e) => e.table);
  }

  dispose(): void {
    for (const e of this.embeddings) e.table.dispose();
  }
}

/** Per feature, the code of each user (index < users.n − 1; anything else: the unknown row 0). */
export function userCodes(users: EncodedSide, who: ArrayLike<number>): Int32Array[] {
  return users.categorical.map((c) => Int32Array.from({ length: who.length }, (_, r) => (who[r] >= 0 && who[r] < users.n - 1 ? c.codes[who[r]] : 0)));
}
