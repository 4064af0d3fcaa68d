// Collects what a loader read, skipped and warned about, and applies the onError policy.

import type { LoadReport } from './dataset.js';
import { DataError, type OnError } from './errors.js';

/** Skip reasons beyond this many are counted but not listed: a broken file would flood the report. */
const MAX_LISTED_SKIPS = 10;

/** Mutable companion of LoadReport used while parsing; `build()` freezes it. */
export class ReportBuilder {
  readonly files: string[] = [];
  lines = 0;
  skipped = 0;
  readonly warnings: string[] = [];

  constructor(readonly onError: OnError = 'throw') {}

  /** Throws `err`, or records it as a skipped line when the policy is 'skip'. */
  fail(err: DataError): void {
    if (this.onError === 'throw') throw err;
    this.skipped++;
    if (this.skipped <= MAX_LISTED_SKIPS) this.warnings.push(`skipped ${err.message}`);
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  build(): LoadReport {
    const warnings = [...this.warnings];
    if (this.skipped > MAX_LISTED_SKIPS) warnings.push(`skipped ${this.skipped - MAX_LISTED_SKIPS} more lines (not listed)`);
    return { files: [...this.files], lines: this.lines, skipped: this.skipped, warnings };
  }
}
