/**
 * The latency gate as a user meets it (`npm run bench:gate [-- --runs N]`, default 20 runs per case): a temporary
 * git project with the modelgate plugin (the e2e harness's fixture project), a `latency.p50` baseline written with
 * MODELGATE_UPDATE=1 and committed on main, then a "pull request" branch that swaps the model, gated by N separate
 * `CI=true vitest run` processes. Cases:
 *   same bytes                     → expected 0 latency verdicts (regression or improvement);
 *   other weights, same compute    → expected ≤ 1 / N verdicts either way;
 *   +20 % latency (24 vs 20 convs) → expected ≥ 19 / 20 caught at the default 10 % threshold;
 *   +10 % latency (22 vs 20 convs) → expected ≥ 19 / 20 caught at a 5 % threshold.
 * The models are 3×3 conv chains (32 channels, 44×44) built with the fixture builder; their real latency ratios
 * are measured first with compareLatency (one process, interleaved) and printed. The script prints the verdict
 * counts per case, how they were reached (paired / same-model / unpaired), the paired runs' rounds and wall time,
 * the vitest wall time per case, and what a paired verdict adds per model (median wall time of a paired case
 * minus that of the same-bytes case). A benchmark, not a test: it asserts nothing; figures depend on the machine's
 * load (printed).
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { compareLatency } from '../../src/bench/index.js'
import { median } from '../../src/bench/stats.js'
import { createProject, type FixtureProject } from '../e2e/harness.js'
import { convChainBytes, type ConvChainSpec } from './models.js'

const runsArg = process.argv.indexOf('--runs')
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 20
const onlyArg = process.argv.indexOf('--case')
const ONLY = onlyArg > 0 ? process.argv[onlyArg + 1] : undefined
const log = (line: string): void => void process.stderr.write(`${line}\n`)

const BASE: ConvChainSpec = { channels: 32, size: 44, layers: 20 }

interface GateCase {
  readonly id: string
  readonly name: string
  readonly model: ConvChainSpec | 'same'
  readonly threshold: number
  readonly target: string
}

const CASES: readonly GateCase[] = [
  { id: 'same', name: 'same bytes', model: 'same', threshold: 0.1, target: '0 verdicts' },
  { id: 'weights', name: 'other weights, same compute', model: { ...BASE, seed: 'other' }, threshold: 0.1, target: '≤ 1 verdict' },
  { id: 'plus20', name: '+20 % latency (24 convs), threshold 10 %', model: { ...BASE, layers: 24 }, threshold: 0.1, target: '≥ 19/20 caught' },
  { id: 'plus10', name: '+10 % latency (22 convs), threshold 5 %', model: { ...BASE, layers: 22 }, threshold: 0.05, target: '≥ 19/20 caught' },
]

const suite = (threshold: number): string => `import { expect, test } from 'vitest'
import { loadModel } from 'modelgate'

test('the net keeps its latency', async () => {
  const net = await loadModel('models/net.onnx')
  await expect(net).toMatchBaseline({ metrics: ['latency.p50'], tolerance: { relative: ${threshold} } })
})
`

const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.com', GIT_CONFIG_NOSYSTEM: '1' }
function git(dir: string, ...args: string[]): void {
  execFileSync('git', args, { cwd: dir, env: GIT_ENV, stdio: 'ignore' })
}

interface LatencyRow {
  readonly verdict: string
  readonly pairing?: string
  readonly current: number | null
  readonly statistics?: Readonly<Record<string, number | string | null>>
  readonly note?: string
}

function latencyRow(project: FixtureProject): LatencyRow | undefined {
  if (!project.exists('modelgate-report.json')) return undefined
  const report = JSON.parse(project.read('modelgate-report.json')) as { results: (LatencyRow & { metric: string })[] }
  return report.results.find((r) => r.metric === 'latency.p50')
}

interface CaseResult {
  readonly gateCase: GateCase
  readonly verdicts: Record<string, number>
  readonly pairings: Record<string, number>
  readonly wallMs: number[]
  readonly pairedMs: number[]
  readonly rounds: number[]
  readonly ratios: number[]
  errors: number
}

async function runCase(gateCase: GateCase): Promise<CaseResult> {
  const project = createProject({ 'models/net.onnx': convChainBytes(BASE), 'test/latency.test.ts': suite(gateCase.threshold), '.gitignore': 'node_modules\nmodelgate-report.*\n' }, { test: 'pool: \'forks\', testTimeout: 300_000' })
  try {
    git(project.dir, 'init', '-q', '-b', 'main')
    const update = await project.vitest(['run'], { MODELGATE_UPDATE: '1' })
    if (update.code !== 0) throw new Error(`writing the baseline failed:\n${update.output}`)
    git(project.dir, 'add', '-A')
    git(project.dir, 'commit', '-q', '-m', 'baseline')
    git(project.dir, 'checkout', '-q', '-b', 'pr')
    if (gateCase.model !== 'same') {
      project.write('models/net.onnx', convChainBytes(gateCase.model))
      git(project.dir, 'commit', '-q', '-am', 'swap the model')
    }
    const result: CaseResult = { gateCase, verdicts: {}, pairings: {}, wallMs: [], pairedMs: [], rounds: [], ratios: [], errors: 0 }
    for (let i = 0; i < RUNS; i++) {
      const t0 = Date.now()
      const run = await project.vitest(['run'], { CI: 'true' })
      const wall = Date.now() - t0
      const row = latencyRow(project)
      if (row === undefined) {
        result.errors++
        log(`  run ${i + 1}: no report (exit ${run.code})\n${run.output.slice(-1500)}`)
        continue
      }
      result.wallMs.push(wall)
      result.verdicts[row.verdict] = (result.verdicts[row.verdict] ?? 0) + 1
      result.pairings[row.pairing ?? 'none'] = (result.pairings[row.pairing ?? 'none'] ?? 0) + 1
      const s = row.statistics ?? {}
      if (typeof s.pairedMs === 'number') result.pairedMs.push(s.pairedMs)
      if (typeof s.rounds === 'number') result.rounds.push(s.rounds)
      if (typeof s.ratio === 'number') result.ratios.push(s.ratio)
      log(`  run ${i + 1}/${RUNS}: ${row.verdict} (${row.pairing ?? '—'}) ratio ${String(s.ratio ?? '—')} CI ${String(s.ciLow ?? '—')}–${String(s.ciHigh ?? '—')} rounds ${String(s.rounds ?? '—')} paired ${String(s.pairedMs ?? '—')} ms, vitest ${wall} ms, load ${loadavg()[0]!.toFixed(2)}`)
    }
    return result
  } finally {
    project.remove()
  }
}

async function measuredRatios(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-gate-bench-'))
  const write = (name: string, spec: ConvChainSpec): string => {
    const path = join(dir, `${name}.onnx`)
    writeFileSync(path, convChainBytes(spec))
    return path
  }
  const base = write('base', BASE)
  const lines: string[] = []
  for (const c of CASES) {
    if (c.model === 'same') continue
    const cmp = await compareLatency(base, write(c.id, c.model), { time: 3000 })
    lines.push(`  ${c.name}: ratio ${cmp.ratio.toFixed(4)} (95 % CI ${cmp.ci[0].toFixed(4)}–${cmp.ci[1].toFixed(4)}), base p50 ${cmp.a.latencyMs.p50.toFixed(2)} ms, ${cmp.rounds} rounds, load ${loadavg()[0]!.toFixed(2)}`)
    log(lines[lines.length - 1]!)
  }
  return lines
}

const started = Date.now()
log(`bench:gate: ${RUNS} runs per case, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
log('Real latency ratios of the variants (compareLatency, 3 s per model, one process):')
const ratios = await measuredRatios()
const results: CaseResult[] = []
for (const c of CASES) {
  if (ONLY !== undefined && c.id !== ONLY) continue
  log(`case: ${c.name}`)
  results.push(await runCase(c))
}
const med = (v: readonly number[]): string => (v.length === 0 ? '—' : String(Math.round(median(v))))
const sameWall = results.find((r) => r.gateCase.id === 'same')?.wallMs ?? []
const out: string[] = []
out.push(`bench:gate — ${RUNS} CI runs per case, ${new Date().toISOString()}, load average at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')}, total ${Math.round((Date.now() - started) / 1000)} s`)
out.push('Variants measured side by side (ratio of medians vs the 20-conv base):', ...ratios)
out.push('| case | target | regression | improvement | inconclusive | pass | other | how | median paired run (ms) | median rounds | median vitest wall (ms) | added vs same bytes (ms) |')
out.push('|---|---|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|')
for (const r of results) {
  const v = r.verdicts
  const other = Object.entries(v).filter(([k]) => !['regression', 'improvement', 'inconclusive', 'pass'].includes(k)).reduce((a, [, n]) => a + n, 0) + r.errors
  const how = Object.entries(r.pairings).map(([k, n]) => `${k} ${n}`).join(', ')
  const added = r.gateCase.id === 'same' || sameWall.length === 0 || r.wallMs.length === 0 ? '—' : String(Math.round(median(r.wallMs) - median(sameWall)))
  out.push(`| ${r.gateCase.name} | ${r.gateCase.target} | ${v.regression ?? 0} | ${v.improvement ?? 0} | ${v.inconclusive ?? 0} | ${v.pass ?? 0} | ${other} | ${how} | ${med(r.pairedMs)} | ${med(r.rounds)} | ${med(r.wallMs)} | ${added} |`)
}
process.stdout.write(`${out.join('\n')}\n`)
