/**
 * `npm run bench:analyze [-- --json] [--rounds N] [--nodes N]`
 *
 * How fast is the static analyzer next to what it competes with? In one process, alternating round by round
 * (A B C D A B C D …), with a garbage collection before each measurement:
 *   A  analyzeModel(resnet50.onnx)                  (≈102 MB: the structure is read, weight payloads skipped)
 *   B  fs.readFile of the same file                 (the floor for anything that loads the weights)
 *   C  onnxruntime-node InferenceSession.create     (what a runtime-based tool pays before it can count)
 *   D  analyzeModel of a synthetic 50,000-node graph (per-node work: shape inference, costs, report)
 * One warm-up round is run first and not counted. RSS growth is measured in fresh child processes: each loads
 * the code, collects garbage, resets its peak RSS, notes its RSS, analyses once and reports its peak RSS minus
 * that RSS (Linux: /proc/self VmHWM; elsewhere getrusage maxrss, an upper bound). fs.readFile is measured the same
 * way as a reference. Medians are reported; the targets are printed as ratios.
 * With --json, stdout carries exactly one JSON document and progress goes to stderr.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { ensureTorchvisionModel } from '../../fixtures/torchvision/index.js'
import { analyzeModel } from '../../src/analysis/index.js'
import { buildBigGraph } from './big-graph.js'

/** The issue's targets. */
const TARGETS = { analyzeToReadFile: 1.0, sessionCreateToAnalyze: 10, rssGrowthToFile: 0.2, bigGraphMs: 1000 } as const

const gc = (globalThis as { gc?: () => void }).gc ?? ((): void => {})

/** Wall time of one call, after a garbage collection, and the CPU time of this process meanwhile (all threads). */
async function timed(run: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  gc()
  const cpu = process.cpuUsage()
  const start = performance.now()
  await run()
  const wall = performance.now() - start
  const used = process.cpuUsage(cpu)
  return { wall, cpu: (used.user + used.system) / 1000 }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/**
 * Peak RSS of this process in bytes. On Linux, the high-water mark of /proc/self/status (VmHWM), which can be reset
 * (clear_refs 5); getrusage's maxrss cannot, and a spawned child starts with its parent's maxrss.
 */
function peakRss(): { bytes: number; source: 'VmHWM' | 'maxRSS' } {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))
    if (hwm) return { bytes: Number(hwm[1]) * 1024, source: 'VmHWM' }
  } catch {
    // not Linux
  }
  return { bytes: process.resourceUsage().maxRSS * 1024, source: 'maxRSS' }
}

function resetPeakRss(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5')
  } catch {
    // not Linux: the peak is then measured from the start of the process (an upper bound)
  }
}

/** In a child process: load the code, then analyse (or read) the file once and print the RSS figures. */
async function rssChild(mode: string, path: string): Promise<void> {
  // one analysis of a tiny model first, so that every module is loaded and compiled before the baseline
  await analyzeModel(buildBigGraph(10))
  gc()
  resetPeakRss()
  const before = process.memoryUsage().rss
  const peakBefore = peakRss()
  const result = mode === 'analyze' ? await analyzeModel(path) : await readFile(path)
  const peakAfter = peakRss()
  const growth = peakAfter.bytes - before
  process.stdout.write(`${JSON.stringify({ before, peakBefore: peakBefore.bytes, peakAfter: peakAfter.bytes, source: peakAfter.source, growth, kept: typeof result })}\n`)
}

/** Spawns a fresh process that runs {@link rssChild}; returns its peak RSS growth in bytes. */
function rssGrowth(mode: 'analyze' | 'readFile', path: string): { growth: number; source: string } {
  const self = fileURLToPath(import.meta.url)
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', self, '--rss-child', mode, path], { encoding: 'utf8' })
  if (child.status !== 0) throw new Error(`RSS child (${mode}) failed: ${child.stderr}`)
  const line = child.stdout.trim().split('\n').pop() ?? ''
  return JSON.parse(line) as { growth: number; source: string }
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { json: { type: 'boolean' }, rounds: { type: 'string', default: '7' }, nodes: { type: 'string', default: '50000' } },
  })
  const rounds = Number(values.rounds)
  const nodes = Number(values.nodes)
  if (!Number.isInteger(rounds) || rounds < 5) throw new Error('--rounds must be an integer ≥ 5')
  const log = (line: string): void => {
    ;(values.json ? process.stderr : process.stdout).write(`${line}\n`)
  }
  const loadBefore = loadavg()[0]!

  log('preparing resnet50 (fixtures/.cache/torchvision) and the big graph …')
  const path = await ensureTorchvisionModel('resnet50', { batch: 1 })
  const fileBytes = statSync(path).size
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-bench-'))
  const bigPath = join(dir, `big-graph-${nodes}.onnx`)
  writeFileSync(bigPath, buildBigGraph(nodes))
  const ort = await import('onnxruntime-node')

  const tasks = {
    analyze: async () => analyzeModel(path),
    readFile: async () => readFile(path),
    sessionCreate: async () => {
      const session = await ort.InferenceSession.create(path)
      // released after the clock stops: only creation is measured
      return session
    },
    bigGraph: async () => analyzeModel(bigPath),
  }
  const samples: Record<keyof typeof tasks, number[]> = { analyze: [], readFile: [], sessionCreate: [], bigGraph: [] }
  const cpuSamples: Record<keyof typeof tasks, number[]> = { analyze: [], readFile: [], sessionCreate: [], bigGraph: [] }
  const cold: Partial<Record<keyof typeof tasks, number>> = {}
  try {
    // first, while this process is still small
    log('measuring RSS growth in fresh processes …')
    const rssRuns = [rssGrowth('analyze', path), rssGrowth('analyze', path), rssGrowth('analyze', path)]
    const rssAnalyze = rssRuns.map((r) => r.growth)
    const rssReadFile = rssGrowth('readFile', path).growth
    for (let round = 0; round <= rounds; round++) {
      for (const name of Object.keys(tasks) as (keyof typeof tasks)[]) {
        let session: { release(): Promise<void> } | undefined
        const { wall, cpu } = await timed(async () => {
          const result = await tasks[name]()
          if (name === 'sessionCreate') session = result as { release(): Promise<void> }
        })
        await session?.release()
        if (round === 0) cold[name] = wall
        else {
          samples[name].push(wall)
          cpuSamples[name].push(cpu)
        }
      }
      log(round === 0 ? 'warm-up round done' : `round ${round}/${rounds} done`)
    }
    const report = await analyzeModel(path)

    const analyzeMs = median(samples.analyze)
    const readFileMs = median(samples.readFile)
    const sessionCreateMs = median(samples.sessionCreate)
    const bigGraphMs = median(samples.bigGraph)
    const rssGrowthBytes = median(rssAnalyze)
    const ratios = {
      analyzeToReadFile: analyzeMs / readFileMs,
      sessionCreateToAnalyze: sessionCreateMs / analyzeMs,
      rssGrowthToFile: rssGrowthBytes / fileBytes,
      bigGraphToOneSecond: bigGraphMs / TARGETS.bigGraphMs,
    }
    const cpu = `${cpus()[0]?.model ?? 'unknown'} ×${cpus().length}`
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ analyzeMs, readFileMs, sessionCreateMs, rssGrowthBytes, fileBytes, bigGraphMs, ratios, rounds, node: process.version, cpu }, null, 2)}\n`)
      return
    }
    const row = (label: string, name: keyof typeof tasks): string => {
      const xs = samples[name]
      return `  ${label.padEnd(44)} ${median(xs).toFixed(1).padStart(9)} ${Math.min(...xs).toFixed(1).padStart(9)} ${Math.max(...xs).toFixed(1).padStart(9)} ${(cold[name] ?? NaN).toFixed(1).padStart(9)} ${median(cpuSamples[name]).toFixed(1).padStart(9)}`
    }
    const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED')
    log('')
    log(`modelgate analyze benchmark — node ${process.version}, ${cpu}, load average ${loadBefore.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}`)
    log(`resnet50: ${mb(fileBytes)}, ${report.params.learnable.toLocaleString('en-US')} params, ${report.coverage.nodes} nodes; big graph: ${nodes.toLocaleString('en-US')} nodes, ${mb(statSync(bigPath).size)}`)
    log(`${rounds} rounds, alternating, gc before each`)
    log('')
    log(`  ${'task (wall ms; cpu: CPU ms of all threads)'.padEnd(44)} ${'median'.padStart(9)} ${'min'.padStart(9)} ${'max'.padStart(9)} ${'warm-up'.padStart(9)} ${'cpu'.padStart(9)}`)
    log(row('A  analyzeModel(resnet50)', 'analyze'))
    log(row('B  fs.readFile(resnet50)', 'readFile'))
    log(row('C  ort InferenceSession.create(resnet50)', 'sessionCreate'))
    log(row(`D  analyzeModel(${nodes.toLocaleString('en-US')}-node graph)`, 'bigGraph'))
    log('')
    log(`  RSS growth of one analysis (fresh process, 3 runs, peak from ${rssRuns[0]!.source}): ${rssAnalyze.map(mb).join(', ')} → median ${mb(rssGrowthBytes)}`)
    log(`  RSS growth of one fs.readFile (reference, same method): ${mb(rssReadFile)}`)
    log('')
    log(`  ${'target'.padEnd(44)} ${'measured'.padStart(9)} ${'goal'.padStart(9)}`)
    log(`  ${'analysis / file read'.padEnd(44)} ${ratios.analyzeToReadFile.toFixed(3).padStart(9)} ${'≤ 1.0'.padStart(9)}  ${verdict(ratios.analyzeToReadFile <= TARGETS.analyzeToReadFile)}`)
    log(`  ${'session creation / analysis'.padEnd(44)} ${`${ratios.sessionCreateToAnalyze.toFixed(1)}×`.padStart(9)} ${'≥ 10×'.padStart(9)}  ${verdict(ratios.sessionCreateToAnalyze >= TARGETS.sessionCreateToAnalyze)}`)
    log(`  ${'RSS growth / file size'.padEnd(44)} ${ratios.rssGrowthToFile.toFixed(3).padStart(9)} ${'≤ 0.2'.padStart(9)}  ${verdict(ratios.rssGrowthToFile <= TARGETS.rssGrowthToFile)}`)
    log(`  ${`${nodes.toLocaleString('en-US')}-node graph (ms)`.padEnd(44)} ${bigGraphMs.toFixed(0).padStart(9)} ${'< 1000'.padStart(9)}  ${verdict(bigGraphMs < TARGETS.bigGraphMs)}`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const childAt = process.argv.indexOf('--rss-child')
if (childAt >= 0) await rssChild(process.argv[childAt + 1] ?? 'analyze', process.argv[childAt + 2] ?? '')
else await main()
