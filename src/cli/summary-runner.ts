// `wasmrec summary`: a saved model's network as a table, or drawn as SVG, DOT or Mermaid.

import { createBackend } from '../backends/index.js';
import { summaryDot, summaryMermaid, summarySvg } from '../analysis/diagram.js';
import { formatSummary } from '../analysis/summary-text.js';
import { loadModelFile, writeFileAtomic } from '../io/node/model-file.js';
import type { ModelSummary } from '../models/model-summary.js';
import type { CliIO } from './io.js';

export interface SummaryArgs {
  modelFile: string;
  /** Write the SVG diagram to this file ('-' = stdout). */
  svg?: string;
  dot?: boolean;
  mermaid?: boolean;
  json?: boolean;
}

/** Prints (or writes) the summary of the model in `args.modelFile`; returns it. */
export async function runSummary(args: SummaryArgs, io: CliIO): Promise<ModelSummary> {
  const formats = [args.svg !== undefined, args.dot, args.mermaid, args.json].filter(Boolean).length;
  if (formats > 1) throw new Error('choose one of --svg, --dot, --mermaid and --json');
  const { model } = await loadModelFile(args.modelFile, await createBackend('js'));
  try {
    const summary = model.summary();
    if (args.svg === '-') io.out(summarySvg(summary).trimEnd());
    else if (args.svg !== undefined) {
      await writeFileAtomic(args.svg, summarySvg(summary));
      io.err(`wrote the diagram of ${model.kind} (${summary.layers.length} parts, ${summary.totalParams} parameters) to ${args.svg}`);
    } else if (args.dot) io.out(summaryDot(summary).trimEnd());
    else if (args.mermaid) io.out(summaryMermaid(summary).trimEnd());
    else if (args.json) io.out(JSON.stringify(toJson(summary)));
    else io.out(formatSummary(summary));
    return summary;
  } finally {
    model.dispose();
  }
}

/** The --json contract: snake_case keys like every other command. */
function toJson(s: ModelSummary) {
  return {
    kind: s.kind,
    formula: s.formula,
    total_params: s.totalParams,
    trainable_params: s.trainableParams,
    non_trainable_params: s.nonTrainableParams,
    backend_bytes: s.backendBytes,
    layers: s.layers.map((l) => ({ name: l.name, type: l.type, branch: l.branch, detail: l.detail, output_shape: l.outputShape, params: l.params, trainable: l.trainable, storage: l.storage, tensors: l.tensors, inputs: l.inputs })),
  };
}
