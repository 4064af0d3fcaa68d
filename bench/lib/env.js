// What the numbers were measured on: printed at the top of every run, stored with the rows.

import { cpus, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';

/** CPU model, core count, memory, Node and V8 versions, and the date. */
export function machine() {
  let cpu = cpus()[0]?.model?.trim() || 'unknown CPU';
  try {
    // os.cpus() may report a generic name in VMs; /proc/cpuinfo is what `lscpu` shows.
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpu = m[1].trim();
  } catch {
    // Not Linux: keep os.cpus().
  }
  return {
    cpu,
    cores: cpus().length,
    memory_gb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform}-${process.arch}`,
    date: new Date().toISOString().slice(0, 10),
  };
}

/** One line for the header of the output. */
export function describeMachine(m = machine()) {
  return `${m.cpu}, ${m.cores} cores, ${m.memory_gb} GB, ${m.platform}; Node ${m.node} (V8 ${m.v8}); ${m.date}`;
}
