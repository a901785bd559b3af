/**
 * `modelgate demo` (`npm run demo`, the README's main job): the gate at work, with real Vitest runs.
 *
 * 1. The example suite test/gate/fixtures.test.ts holds the bundled classifiers to budgets and to this
 *    repository's committed baselines/ (read-only, as on CI), and prints the gate's table.
 * 2. A pull request that swaps the light classifier for the heavy one: a project in a temp folder records its
 *    baseline, the model file is replaced, and the gate fails, naming the model, the metrics, baseline → current,
 *    Δ % and the tolerance.
 *
 * Needs a clone of the repository after `npm ci` (Vitest is a dev dependency); elsewhere it prints the static
 * analysis of the fixture models instead.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Reporter, TestModule } from 'vitest/node'
import { analyzeModel } from '../analysis/index.js'
import { isModelgateError } from '../errors.js'
import { formatBytes, formatExact, formatSi, renderColumns } from '../report/format.js'
import type { CliIo } from './io.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const FIXTURES = join(ROOT, 'fixtures')
const GATE_SUITE = 'test/gate/fixtures.test.ts'

/** The pull request's suite: what a user writes. */
export const DEMO_SUITE = `import { expect, test } from 'vitest'
import { loadModel } from 'modelgate'

test('the classifier fits the edge budget', async () => {
  expect(await loadModel('models/classifier.onnx')).toHaveParamsBelow(50_000)
})

test('the classifier matches its committed baseline', async () => {
  await expect(await loadModel('models/classifier.onnx')).toMatchBaseline()
})
`

/** Collects failure messages, and keeps Vitest's own reporter quiet. */
class FailureCollector implements Reporter {
  readonly failures: string[] = []
  onTestRunEnd(modules: readonly TestModule[]): void {
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const result = test.result()
        if (result.state === 'failed') for (const e of result.errors ?? []) this.failures.push(`✗ ${test.fullName}\n${e.message}`)
      }
    }
  }
}

interface DemoRun {
  readonly failures: readonly string[]
  readonly ok: boolean
}

async function runGate(root: string, filters: string[], io: CliIo, options: { readonly update: 'new' | 'none'; readonly pattern?: string; readonly report: boolean; readonly alias?: Record<string, string> }): Promise<DemoRun> {
  const { startVitest } = await import('vitest/node')
  const { modelgate, ModelgateReporter } = await import('../vitest/index.js')
  const collector = new FailureCollector()
  const reportDir = mkdtempSync(join(tmpdir(), 'modelgate-demo-report-'))
  const quiet = { write: (): boolean => true }
  const reporters: Reporter[] = [collector, new ModelgateReporter(options.report ? { reportDir, stdout: io.stdout } : { reportDir: false, stdout: quiet })]
  const exitCode = process.exitCode
  const cwd = process.cwd()
  // Model paths in suites are relative to the working directory, which workers inherit.
  process.chdir(root)
  try {
    const vitest = await startVitest(
      'test',
      filters,
      { root, config: false, watch: false, cache: false, reporters, pool: 'forks', include: ['**/*.test.ts'], ...(options.pattern !== undefined ? { testNamePattern: options.pattern } : {}) },
      { plugins: [modelgate({ update: options.update, reportDir: false })], ...(options.alias !== undefined ? { resolve: { alias: options.alias } } : {}) },
    )
    await vitest.close()
    return { failures: collector.failures, ok: collector.failures.length === 0 }
  } finally {
    process.chdir(cwd)
    process.exitCode = exitCode
    rmSync(reportDir, { recursive: true, force: true })
  }
}

/** Runs the demo; returns the exit code. */
export async function demoCommand(_args: readonly string[], io: CliIo): Promise<number> {
  const hasVitest = existsSync(join(ROOT, 'node_modules', 'vitest', 'package.json'))
  if (!hasVitest || !existsSync(join(ROOT, GATE_SUITE))) return analysisTable(io)

  io.stdout.write(`modelgate demo\n\n1. The example suite ${GATE_SUITE} gates the bundled classifiers against this repository's committed baselines/ (read-only, as on CI):\n\n`)
  const main = await runGate(ROOT, [GATE_SUITE], io, { update: 'none', pattern: 'rsnet-lite|resnet-heavy|classifier', report: true })
  for (const f of main.failures) io.stdout.write(`\n${f}\n`)

  io.stdout.write(`\n2. A pull request swaps the light classifier (rsnet-lite) for the heavy one (resnet-heavy). Its suite:\n\n${DEMO_SUITE.replace(/^/gm, '    ')}\n`)
  const project = mkdtempSync(join(tmpdir(), 'modelgate-demo-'))
  try {
    symlinkSync(join(ROOT, 'node_modules'), join(project, 'node_modules'), 'dir')
    mkdirSync(join(project, 'models'))
    mkdirSync(join(project, 'test'))
    writeFileSync(join(project, 'test', 'classifier.test.ts'), DEMO_SUITE)
    // The suite imports `modelgate` as a user's would: this package's entry (the source when run by tsx).
    const alias = { modelgate: fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../index.ts' : '../index.js', import.meta.url)) }
    copyFileSync(join(FIXTURES, 'rsnet-lite', 'model.onnx'), join(project, 'models', 'classifier.onnx'))
    const before = await runGate(project, [], io, { update: 'new', report: false, alias })
    if (!before.ok) throw new Error(`the demo's baseline run failed:\n${before.failures.join('\n')}`)
    copyFileSync(join(FIXTURES, 'resnet-heavy', 'model.onnx'), join(project, 'models', 'classifier.onnx'))
    const pr = await runGate(project, [], io, { update: 'none', report: true, alias })
    io.stdout.write(`\nThe pull request fails (${pr.failures.length} failed test${pr.failures.length === 1 ? '' : 's'}); what its author reads:\n`)
    for (const f of pr.failures) io.stdout.write(`\n${(io.stdout.isTTY === true ? f : stripAnsi(f)).replace(/\n/g, '\n    ')}\n`)
  } finally {
    rmSync(project, { recursive: true, force: true })
  }
  return 0
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex -- ANSI escapes
  return text.replace(/\u001b\[[0-9;]*m/g, '')
}

/** Without Vitest (an installed package): the static analysis of the fixture models. */
async function analysisTable(io: CliIo): Promise<number> {
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
  io.stdout.write('modelgate demo — the gate demo needs a clone of the repository with its dev dependencies (npm ci); here is the static analysis of the bundled fixture models\n')
  io.stdout.write('(MACs: 1 multiply-add = 1 MAC; FLOPs = 2·MACs + element-wise work)\n\n')
  io.stdout.write(`${renderColumns(['model', 'input dims', 'params', 'size', 'MACs', 'FLOPs', 'memory access', 'peak activations', 'coverage'], rows, new Set([2, 3, 4, 5, 6, 7]))}\n`)
  return 0
}
