// Time gaps between a history's events and the moment of the prediction (BST's "time-gap
// position"; the issue's per-event attribute), bucketed on a log scale: what matters is
// whether an event was seconds, hours or months before, not its exact distance.

/** Buckets: 0 = no time between (or unknown), then ⌈log2(1 + minutes)⌉ up to a year and more. */
export const GAP_BUCKETS = 20;

/** The bucket of a gap of `seconds` (negative or NaN: 0). */
export function gapBucket(seconds: number): number {
  if (!(seconds > 0)) return 0;
  return Math.min(GAP_BUCKETS - 1, Math.ceil(Math.log2(1 + seconds / 60)));
}
