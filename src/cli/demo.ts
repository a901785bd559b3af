/**
 * `modelgate demo`: analyses every bundled fixture model and prints one table (the README's main job).
 */
import { existsSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { analyzeModel } from '../analysis/index.js'
import { isModelgateError } from '../errors.js'
import { formatBytes, formatExact, formatSi, renderColumns } from '../report/format.js'
import type { CliIo } from './io.js'

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url))

/** Runs the demo; returns the exit code. */
export async function demoCommand(_args: readonly string[], io: CliIo): Promise<number> {
  const dirs = existsSync(FIXTURES) ? readdirSync(FIXTURES, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(FIXTURES, d.name, 'model.onnx'))).map((d) => d.name).sort() : []
  const rows: string[][] = []
  for (const name of dirs) {
    try {
      const r = await analyzeModel(join(FIXTURES, name, 'model.onnx'))
      const unknown = Object.entries(r.coverage.unknownOps).map(([k, v]) => `${k}×${v}`).join(' ')
      rows.push([
        name,
        r.inputs.map((i) => `[${(i.dims ?? ['?']).join('×')}]`).join(' '),
        formatExact(r.params.learnable),
        formatBytes(r.sizeBytes),
        formatSi(r.macs),
        formatSi(r.flops),
        formatBytes(r.memoryAccessBytes),
        formatBytes(r.peakActivationBytes),
        r.coverage.complete ? `${r.coverage.countedNodes}/${r.coverage.nodes}` : `${r.coverage.countedNodes}/${r.coverage.nodes} (unknown: ${unknown})`,
      ])
    } catch (error) {
      if (!isModelgateError(error)) throw error
      rows.push([name, `${error.code}`, '', '', '', '', '', '', ''])
    }
  }
  io.stdout.write(`modelgate analyze — bundled fixture models (MACs: 1 multiply-add = 1 MAC; FLOPs = 2·MACs + element-wise work)\n\n`)
  io.stdout.write(`${renderColumns(['model', 'input dims', 'params', 'size', 'MACs', 'FLOPs', 'memory access', 'peak activations', 'coverage'], rows, new Set([2, 3, 4, 5, 6, 7]))}\n`)
  return 0
}
