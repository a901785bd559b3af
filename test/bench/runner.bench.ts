/**
 * The runner's own benchmark (`npm run bench:runner [-- --json] [-- --time MS]`), on this machine, in one process:
 *   (a) overhead: the median of the runner's timed loop (benchModel's tinybench sampler) on a ≈1 ms model ÷ the
 *       median of a bare `await session.run(feeds)` loop, interleaved in 200 rounds of 20 ms blocks on one session,
 *       with a block-bootstrap CI (target ≤ 1.03); plus 10 whole benchModel calls against bare loops on fresh
 *       sessions, for information (their ratio carries session-to-session and load differences);
 *   (b) A/A: 50 paired comparisons of the model with itself — false `slower` verdicts (target ≤ 1);
 *   (c) A/B: 20 comparisons against a 12.5 %-more-work variant (target ≥ 19 `slower`) and 20 against a
 *       5 %-more-work variant (never `faster`).
 * Models are MatMul + Relu chains built with the fixture builder into a temp dir. Comparisons use the defaults of
 * compareLatency (1000 ms per model, rounds sized automatically, threshold 10 %) unless --time is given.
 * Progress goes to stderr; stdout gets the table, or with --json exactly one JSON document (the table then goes
 * to stderr). Use `npm run -s bench:runner -- --json` so npm's banner stays off stdout.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { machineConditions } from '../../src/bench/conditions.js'
import { benchModel, compareLatency, type LatencyComparison, type LatencyVerdict } from '../../src/bench/index.js'
import { seededTensor } from '../../src/bench/inputs.js'
import { sampleLatency } from '../../src/bench/sampler.js'
import { median, ratioOfMedians } from '../../src/bench/stats.js'
import { writeMatMulChain, type ChainSpec } from './models.js'

const json = process.argv.includes('--json')
const timeArg = process.argv.indexOf('--time')
const compareTime = timeArg > 0 ? Number(process.argv[timeArg + 1]) : 1000
const log = (line: string): void => void process.stderr.write(`${line}\n`)

const BASE: ChainSpec = { rows: 48, width: 256, layers: 20 }
const SLOWER_12: ChainSpec = { ...BASE, extra: [256, 256, 128] }
const SLOWER_5: ChainSpec = { ...BASE, extra: [256] }

type Feeds = Record<string, InstanceType<typeof ort.Tensor>>

async function openBare(path: string): Promise<{ session: ort.InferenceSession; feeds: Feeds }> {
  const session = await ort.InferenceSession.create(path, { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential' })
  const x = seededTensor({ name: 'x', dtype: 'float32', dims: [48, 256] })
  return { session, feeds: { x: new ort.Tensor('float32', x.data as Float32Array, [48, 256]) } }
}

/** The bare loop: `await session.run(feeds)` between two hrtime reads, for at least `timeMs` of timed runs. */
async function bareLoop(session: ort.InferenceSession, feeds: Feeds, timeMs: number): Promise<number[]> {
  const samples: number[] = []
  let spent = 0
  while (spent < timeMs || samples.length < 1) {
    const t0 = process.hrtime.bigint()
    await session.run(feeds)
    const ms = Number(process.hrtime.bigint() - t0) / 1e6
    samples.push(ms)
    spent += ms
  }
  return samples
}

const OVERHEAD_ROUNDS = 200
const END_TO_END_PAIRS = 10

/**
 * (a) The runner's timed loop (the tinybench sampler benchModel uses, with its afterEach hooks) against the bare
 * loop, on one session, in 200 rounds of 20 ms blocks alternating A B | B A: the ratio of medians with its
 * block-bootstrap CI. Then, for information, whole benchModel calls against bare loops on fresh sessions.
 */
async function overhead(path: string): Promise<{ ratio: number; ci: readonly [number, number]; runnerMedianMs: number; bareMedianMs: number; endToEnd: number[] }> {
  const { session, feeds } = await openBare(path)
  await bareLoop(session, feeds, 200)
  const runnerRounds: number[][] = []
  const bareRounds: number[][] = []
  const block = { timeMs: 20, minIterations: 1, warmupIterations: 0, warmupTimeMs: 0 }
  for (let r = 0; r < OVERHEAD_ROUNDS; r++) {
    const runner = async (): Promise<void> => void runnerRounds.push([...(await sampleLatency(() => session.run(feeds), block)).samples])
    const bare = async (): Promise<void> => void bareRounds.push(await bareLoop(session, feeds, block.timeMs))
    if (r % 2 === 0) await runner().then(bare)
    else await bare().then(runner)
  }
  await session.release()
  const est = ratioOfMedians(bareRounds, runnerRounds)
  log(`(a) runner loop ÷ bare loop: ${est.ratio.toFixed(4)} [${est.ci[0].toFixed(4)}, ${est.ci[1].toFixed(4)}]`)
  const endToEnd: number[] = []
  for (let i = 0; i < END_TO_END_PAIRS; i++) {
    let runnerP50 = NaN
    let bareP50 = NaN
    const runner = async (): Promise<void> => {
      const r = await benchModel(path, { time: 250, calibrate: false })
      if (r.state === 'completed') runnerP50 = r.latencyMs.p50
    }
    const bare = async (): Promise<void> => {
      const fresh = await openBare(path)
      await bareLoop(fresh.session, fresh.feeds, 100)
      bareP50 = median(await bareLoop(fresh.session, fresh.feeds, 250))
      await fresh.session.release()
    }
    if (i % 2 === 0) await runner().then(bare)
    else await bare().then(runner)
    endToEnd.push(runnerP50 / bareP50)
    log(`(a) end to end ${i + 1}/${END_TO_END_PAIRS}: benchModel p50 ${runnerP50.toFixed(4)} ms, bare ${bareP50.toFixed(4)} ms`)
  }
  return { ratio: est.ratio, ci: est.ci, runnerMedianMs: median(runnerRounds.flat()), bareMedianMs: median(bareRounds.flat()), endToEnd }
}

interface Series {
  readonly verdicts: Record<LatencyVerdict, number>
  readonly ratios: number[]
  readonly ciWidths: number[]
  readonly rounds: number[]
}

async function series(label: string, a: string, b: string, n: number): Promise<Series> {
  const verdicts: Record<LatencyVerdict, number> = { slower: 0, faster: 0, 'no-detectable-difference': 0, incomparable: 0 }
  const ratios: number[] = []
  const ciWidths: number[] = []
  const rounds: number[] = []
  for (let i = 0; i < n; i++) {
    const c: LatencyComparison = await compareLatency(a, b, { time: compareTime, seed: i })
    rounds.push(c.rounds)
    verdicts[c.verdict]++
    ratios.push(c.ratio)
    ciWidths.push(c.ci[1] - c.ci[0])
    log(`${label} ${i + 1}/${n}: ${c.verdict} ratio ${c.ratio.toFixed(4)} CI [${c.ci[0].toFixed(4)}, ${c.ci[1].toFixed(4)}]`)
  }
  return { verdicts, ratios, ciWidths, rounds }
}

const summary = (s: Series): Record<string, unknown> => ({
  verdicts: s.verdicts,
  ratio: { median: median(s.ratios), min: Math.min(...s.ratios), max: Math.max(...s.ratios) },
  medianCiWidth: median(s.ciWidths),
  rounds: median(s.rounds),
})

const dir = mkdtempSync(join(tmpdir(), 'modelgate-runner-bench-'))
try {
  const loadAtStart = loadavg()[0] ?? 0
  const base = writeMatMulChain(dir, 'base', BASE)
  const slower12 = writeMatMulChain(dir, 'slower-12', SLOWER_12)
  const slower5 = writeMatMulChain(dir, 'slower-5', SLOWER_5)
  const a = await overhead(base)
  const aa = await series('(b) A/A', base, base, 50)
  const ab12 = await series('(c) A/B 12.5 %', base, slower12, 20)
  const ab5 = await series('(c) A/B 5 %', base, slower5, 20)
  const doc = {
    machine: machineConditions(),
    // Other processes compete for the 2 cores: the 1-minute load average at the start and the end of the run.
    loadAverage: { start: loadAtStart, end: loadavg()[0] ?? 0 },
    engine: `onnxruntime-node ${ort.env.versions.node ?? '?'}`,
    settings: { threads: 1, compareTimeMsPerModel: compareTime, rounds: median(aa.rounds), threshold: 0.1, guardBand: 0.05, bootstrapReplicates: 2000 },
    model: { ...BASE, medianMs: a.bareMedianMs },
    overhead: {
      rounds: OVERHEAD_ROUNDS, ratio: a.ratio, ci: a.ci, runnerMedianMs: a.runnerMedianMs, bareMedianMs: a.bareMedianMs, target: 1.03, pass: a.ratio <= 1.03,
      endToEnd: { pairs: END_TO_END_PAIRS, medianRatio: median(a.endToEnd), ratios: a.endToEnd },
    },
    aa: { comparisons: 50, ...summary(aa), falseSlower: aa.verdicts.slower, target: '≤ 1 false slower', pass: aa.verdicts.slower <= 1 },
    ab: {
      slower12: { comparisons: 20, extraMacs: 0.125, ...summary(ab12), detected: ab12.verdicts.slower, target: '≥ 19 slower', pass: ab12.verdicts.slower >= 19 },
      slower5: { comparisons: 20, extraMacs: 0.05, ...summary(ab5), target: 'never faster', pass: ab5.verdicts.faster === 0 },
    },
  }
  if (json) process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`)
  const f = (x: number, d = 4): string => x.toFixed(d)
  const v = (s: Series): string => `slower ${s.verdicts.slower} · no-detectable-difference ${s.verdicts['no-detectable-difference']} · faster ${s.verdicts.faster}`
  const rows: [string, string, string, string][] = [
    ['check', 'measured', 'target', 'pass'],
    ['(a) overhead: runner p50 ÷ bare session.run p50', `${f(a.runnerMedianMs)} ÷ ${f(a.bareMedianMs)} ms = ${f(a.ratio, 3)} (95 % CI ${f(a.ci[0], 3)}–${f(a.ci[1], 3)})`, '≤ 1.03', String(doc.overhead.pass)],
    ['    whole benchModel vs bare loop, fresh sessions', `median of ${END_TO_END_PAIRS} pair ratios ${f(median(a.endToEnd), 3)} (${f(Math.min(...a.endToEnd), 3)}–${f(Math.max(...a.endToEnd), 3)})`, 'info', '–'],
    ['(b) A/A, 50 comparisons', `${v(aa)}; ratios ${f(Math.min(...aa.ratios), 3)}–${f(Math.max(...aa.ratios), 3)}`, '≤ 1 slower', String(doc.aa.pass)],
    ['(c) A/B +12.5 % MACs, 20 comparisons', `${v(ab12)}; median ratio ${f(median(ab12.ratios), 3)}`, '≥ 19 slower', String(doc.ab.slower12.pass)],
    ['(c) A/B +5 % MACs, 20 comparisons', `${v(ab5)}; median ratio ${f(median(ab5.ratios), 3)}`, 'never faster', String(doc.ab.slower5.pass)],
  ]
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]?.length ?? 0)))
  const line = (r: readonly string[]): string => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`
  const out = [
    `modelgate runner benchmark · ${doc.machine.cpu}, ${doc.machine.cores} cores, ${doc.machine.os}, Node ${doc.machine.node} · ${doc.engine} · 1 intra-op thread · load average ${doc.loadAverage.start.toFixed(1)} → ${doc.loadAverage.end.toFixed(1)}`,
    `model: MatMul+Relu chain x [48, 256] × 20 layers of 256 (median ${f(doc.model.medianMs, 3)} ms) · comparisons: ${compareTime} ms per model in ${doc.settings.rounds} rounds, threshold 10 % (guard band 5 %)`,
    '',
    line(rows[0] ?? []),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.slice(1).map(line),
  ]
  // With --json the table goes to stderr, so stdout holds exactly one JSON document.
  ;(json ? process.stderr : process.stdout).write(`${out.join('\n')}\n`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
