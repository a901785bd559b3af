/**
 * `modelgate analyze <model.onnx> [--shape NAME=D0,D1,...]... [--dim SYMBOL=N]... [--json] [--top N] [--dedupe-weights]`
 */
import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { analyzeModel } from '../analysis/index.js'
import { ModelgateError } from '../errors.js'
import { renderAnalysisSummary, renderNodeTable } from '../report/analysis-text.js'
import type { CliIo } from './io.js'
import { parseCount, parseDims, parseShapes } from './parse.js'

export const ANALYZE_USAGE = `modelgate analyze <model.onnx> [options]

Static cost figures of an ONNX model, from the file alone.

  --shape NAME=D0,D1,...  concrete dims of an input (repeatable)
  --dim SYMBOL=N          size of a symbolic dim (dim_param), e.g. --dim N=8 (repeatable)
  --top N                 nodes in the table, by MACs (default 10; 0 = all, in execution order)
  --json                  print the full report as one JSON document
  --dedupe-weights        count weights stored twice once (identical, transposed, a tied embedding head);
                          reads every learnable tensor that shares its shape with another (up to the whole file)
`

/** Runs the command; returns the exit code. */
export async function analyzeCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      shape: { type: 'string', multiple: true },
      dim: { type: 'string', multiple: true },
      top: { type: 'string' },
      json: { type: 'boolean' },
      'dedupe-weights': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    io.stdout.write(ANALYZE_USAGE)
    return 0
  }
  if (positionals.length !== 1) throw new ModelgateError('E_CLI_USAGE', `analyze takes exactly one model path, got ${positionals.length}.`, { value: positionals })
  const path = positionals[0]!
  const top = parseCount('top', values.top, 10)
  const report = await analyzeModel(resolve(io.cwd, path), { shapes: parseShapes(values.shape), dims: parseDims(values.dim), dedupeWeights: values['dedupe-weights'] === true })
  if (values.json) {
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
    return 0
  }
  io.stdout.write(`${renderAnalysisSummary(report, path)}\n\n${renderNodeTable(report, top)}\n`)
  return 0
}
