// Learning-rate schedules, evaluated once per epoch.

export type LrSchedule =
  | { kind: 'constant' }
  /** lr · factor^⌊epoch / every⌋ */
  | { kind: 'step'; every: number; factor: number }
  /** lr · decay^epoch */
  | { kind: 'exponential'; decay: number }
  /** cosine from lr down to lr·minFactor over `epochs` */
  | { kind: 'cosine'; epochs: number; minFactor?: number }
  | ((epoch: number, baseLr: number) => number);

/** The learning rate for 0-based `epoch`. */
export function scheduledLr(schedule: LrSchedule | undefined, epoch: number, baseLr: number): number {
  if (!schedule) return baseLr;
  if (typeof schedule === 'function') return schedule(epoch, baseLr);
  switch (schedule.kind) {
    case 'constant':
      return baseLr;
    case 'step':
      return baseLr * Math.pow(schedule.factor, Math.floor(epoch / schedule.every));
    case 'exponential':
      return baseLr * Math.pow(schedule.decay, epoch);
    case 'cosine': {
      const min = baseLr * (schedule.minFactor ?? 0);
      const t = Math.min(1, epoch / Math.max(1, schedule.epochs));
      return min + 0.5 * (baseLr - min) * (1 + Math.cos(Math.PI * t));
    }
  }
}
