// Messages between the demo page (main.ts) and its training worker (worker.ts).

export type ModelChoice = 'mf' | 'linear' | 'two-tower';
export type BackendChoice = 'wasm' | 'js';

/** Generated data sizes offered by the page. */
export const SYNTHETIC_SIZES = {
  small: { nUsers: 300, nItems: 400, nRatings: 20_000 },
  medium: { nUsers: 600, nItems: 900, nRatings: 60_000 },
  ml100k: { nUsers: 943, nItems: 1682, nRatings: 100_000 },
} as const;
export type SyntheticSize = keyof typeof SYNTHETIC_SIZES;

export type DataChoice =
  | { kind: 'synthetic'; size: SyntheticSize; seed: number }
  /** Files picked by the user, by name (u.data, u.user, u.item, u1.base…); Blobs clone cheaply. */
  | { kind: 'files'; files: Record<string, Blob> };

export type ToWorker =
  /** threads: for the wasm backend (MF's per-example SGD trains on all of them); needs cross-origin isolation. */
  /** implicit: train on the ratings ≥ 4 with the kind's implicit loss (lists only, no ratings). */
  | { type: 'train'; data: DataChoice; model: ModelChoice; backend: BackendChoice; threads: number; epochs: number; compare: boolean; implicit: boolean }
  /** The trained model as a model file (answered by 'model-file'). */
  | { type: 'download' }
  /** A model file picked by the user: serve it (answered by 'loaded'). */
  | { type: 'upload'; bytes: ArrayBuffer; name: string }
  /** The network the model choice builds on this data, drawn before any training. */
  | { type: 'diagram'; data: DataChoice; model: ModelChoice }
  | { type: 'recommend'; user: string; k: number }
  | { type: 'cold-start'; age: number; gender: string; occupation: string; k: number };

export interface RankedItem {
  id: string;
  title: string;
  genres: string;
  score: number;
  /** "because you liked …": the user's training item most like this one (item vectors' cosine). */
  because?: string;
}

export type FromWorker =
  | { type: 'status'; text: string }
  | { type: 'data'; description: string; nUsers: number; nItems: number; nTrain: number; nTest: number; split: string; occupations: string[]; firstUser: string }
  /** threads: what the backend got (1 where shared memory is unavailable). */
  | { type: 'backend'; name: BackendChoice; features: string; threads: number; wasmUrl: string | null }
  | { type: 'progress'; epoch: number; fraction: number }
  /** val: the first compiled metric on the validation part (val_rmse, val_p_at_10). */
  | { type: 'epoch'; epoch: number; epochs: number; loss: number; seconds: number; val: number | null; valName: string | null }
  /** lists: P@10, NDCG@10 and AUC of the test part (ratings ≥ 4 relevant); rmse/mae NaN for implicit models. */
  | { type: 'result'; rmse: number; mae: number; baselineRmse: number; trainSeconds: number; lists: { p_at_10: number; ndcg_at_10: number; auc: number } }
  | { type: 'model-file'; bytes: ArrayBuffer; name: string }
  | { type: 'loaded'; name: string; kind: string; nUsers: number; nItems: number; firstUser: string; params: number }
  | { type: 'timing'; model: ModelChoice; wasmSeconds: number; jsSeconds: number; features: string }
  /** The model's network as a standalone SVG (summarySvg), with its parameter count. */
  | { type: 'diagram'; model: ModelChoice; svg: string; params: number }
  | { type: 'recs'; user: string; known: boolean; items: RankedItem[] }
  | { type: 'cold'; items: RankedItem[]; note: string }
  | { type: 'done' }
  | { type: 'error'; message: string };
