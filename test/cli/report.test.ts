import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import type { CliIo } from '../../src/cli/io.js'
import { runCli } from '../../src/cli/run.js'
import type { GateReport } from '../../src/report/index.js'
import { latency, report, result } from '../report/sample-reports.js'

let dir: string
let out: { stdout: string; stderr: string }
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modelgate-report-cli-'))
  out = { stdout: '', stderr: '' }
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const io = (): CliIo => ({ stdout: { write: (s: string) => (out.stdout += s) }, stderr: { write: (s: string) => (out.stderr += s) }, cwd: dir, env: {} })

async function save(name: string, r: GateReport): Promise<string> {
  await writeFile(join(dir, name), JSON.stringify(r))
  return name
}

/** The seed's four models: accuracy (recorded by accuracy tests), latency p50 and params. */
const SEED: [string, number, number, number][] = [
  ['Model A', 0.785, 50, 50e6],
  ['Model B', 0.762, 15, 5e6],
  ['Model C', 0.721, 5, 2e6],
  ['Our model', 0.77, 12, 4e6],
]
const efficiency = report(SEED.flatMap(([model, , ms, params]) => [latency(model, ms, ms), result({ model, metric: 'params', baseline: params })]))
const accuracy = report(SEED.map(([model, acc]) => result({ model, metric: 'accuracy', unit: 'ratio', direction: 'higher', baseline: acc })))

describe('modelgate report --pareto', () => {
  test('the seed example: the table marks C, Our model and A as the frontier and B as dominated, and the chart is written', async () => {
    const files = [await save('efficiency.json', efficiency), await save('accuracy.json', accuracy)]
    expect(await runCli(['report', '--pareto', 'latency,accuracy', ...files, '--out', 'chart.svg'], io())).toBe(0)
    expect(out.stdout).toMatchInlineSnapshot(`
      "model      accuracy  latency p50       params  Pareto
      ─────────  ────────  ───────────  ───────────  ──────────────────────
      Model C      72.1 %         5 ms   2 M params  on the frontier
      Our model    77.0 %        12 ms   4 M params  on the frontier
      Model A      78.5 %        50 ms  50 M params  on the frontier
      Model B      76.2 %        15 ms   5 M params  dominated by Our model

      chart: chart.svg
      "
    `)
    const svg = await readFile(join(dir, 'chart.svg'), 'utf8')
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/)
    expect(svg).toContain('Accuracy vs latency p50')
  })

  test('params on the x axis', async () => {
    const files = [await save('efficiency.json', efficiency), await save('accuracy.json', accuracy)]
    expect(await runCli(['report', '--pareto', 'params,accuracy', ...files], io())).toBe(0)
    expect(out.stdout.split('\n').slice(0, 6).join('\n')).toMatchInlineSnapshot(`
      "model      accuracy       params  Pareto
      ─────────  ────────  ───────────  ──────────────────────
      Model C      72.1 %   2 M params  on the frontier
      Our model    77.0 %   4 M params  on the frontier
      Model A      78.5 %  50 M params  on the frontier
      Model B      76.2 %   5 M params  dominated by Our model"
    `)
    expect(await readFile(join(dir, 'modelgate-pareto.svg'), 'utf8')).toContain('params')
  })

  test('a y axis that is lower-is-better, or metrics nobody recorded, are usage errors', async () => {
    const file = await save('efficiency.json', efficiency)
    expect(await runCli(['report', '--pareto', 'latency,params', file], io())).toBe(2)
    expect(await runCli(['report', '--pareto', 'latency,accuracy', file], io())).toBe(2)
    expect(out.stderr).toMatchInlineSnapshot(`
      "modelgate: E_CLI_USAGE: --pareto: params is lower-is-better; the y axis takes a quality such as accuracy. Run \`modelgate --help\` for the commands and their options.
      modelgate: E_CLI_USAGE: No model in the reports has both latency.p50 and accuracy (metrics found: latency.p50, params). Run \`modelgate --help\` for the commands and their options.
      "
    `)
  })
})

describe('modelgate report --merge and printing', () => {
  test('--merge writes one report of all shards', async () => {
    const a = await save('a.json', report([result({ model: 'a.onnx', baseline: 1, current: 2, verdict: 'regression' })], { shards: ['1/2'] }))
    const b = await save('b.json', report([result({ model: 'b.onnx' })], { shards: ['2/2'] }))
    expect(await runCli(['report', '--merge', a, b, '--out', 'merged.json'], io())).toBe(0)
    const merged = JSON.parse(await readFile(join(dir, 'merged.json'), 'utf8')) as GateReport
    expect(merged.shards).toEqual(['1/2', '2/2'])
    expect(merged.results.map((r) => r.model)).toEqual(['a.onnx', 'b.onnx'])
    expect(out.stdout).toMatchInlineSnapshot(`
      "merged 2 reports (shards 1/2, 2/2): 1 regression · 1 unchanged → merged.json
      "
    `)
  })

  test('a report prints as the terminal table, or as the markdown of the comment', async () => {
    const file = await save('r.json', report([result({ model: 'a.onnx' })]))
    expect(await runCli(['report', file], io())).toBe(0)
    expect(await runCli(['report', file, '--markdown'], io())).toBe(0)
    expect(out.stdout).toMatchInlineSnapshot(`
      "modelgate · 1 unchanged

      model   metric    baseline     current     Δ  limit  verdict
      ──────  ──────  ──────────  ──────────  ────  ─────  ─────────
      a.onnx  params  1 M params  1 M params  ±0 %  exact  unchanged
      <!-- modelgate:report v1 -->
      ## modelgate · 1 unchanged
      <sub>static analysis only (no measured metrics) · modelgate 0.1.0, cost model 1.0.0</sub>

      No metric changed beyond its limit.

      <details><summary>The 1 metric</summary>

      |  | Model | Metric | Baseline | Current | Δ | Limit |
      |---|---|---|--:|--:|--:|---|
      | ✅ unchanged | \`a.onnx\` | params | 1 M params | 1 M params | ±0 % | exact |

      </details>
      "
    `)
  })

  test('a file that is not a report is E_REPORT_READ', async () => {
    await writeFile(join(dir, 'x.json'), '{"schema":"something-else"}')
    expect(await runCli(['report', 'x.json'], io())).toBe(1)
    expect(out.stderr.replace(dir, '<dir>')).toMatchInlineSnapshot(`
      "modelgate: E_REPORT_READ: "<dir>/x.json" is not a modelgate report: schema is "something-else", expected "modelgate-report/1". Pass a modelgate-report.json written by the modelgate reporter.
      "
    `)
  })
})
