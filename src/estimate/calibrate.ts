/**
 * The `this-machine` profile, measured through the engine itself: a large MatMul gives peak float32 compute, a
 * large Add gives memory bandwidth, a chain of tiny nodes gives the per-node overhead and a one-node graph the
 * per-run overhead. Cached per machine, engine, provider and threads, so a test suite calibrates once.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { arch, tmpdir } from 'node:os'
import { join } from 'node:path'
import { machineConditions } from '../bench/conditions.js'
import { createOrtSession, engineSettings, engineVersion, loadEngine, providerLabel, type Ort, type OrtSession } from '../bench/engine.js'
import { encodeTinyModel, type TinyGraph } from '../bench/tiny-model.js'
import { checkOptionKeys, optionKeys } from '../_options.js'
import type { EngineOptions } from '../bench/types.js'
import { THIS_MACHINE, validateProfile, type DeviceProfile } from './profiles.js'

/** Name and version of the micro-benchmarks; a change to them must change this (it is part of the cache key). */
export const CALIBRATION_SUITE = 'modelgate-roofline-micro/v6'

/**
 * The micro-benchmark shapes. Streams (an Add of two [n] float32 tensors, 12·n bytes moved) from cache-sized to
 * DRAM-sized (384 KB to 48 MB moved) give the bandwidth curve: a CNN activation at 224² (64×112×112 float32, 3.2 MB) sees neither the L1's
 * nor DRAM's bandwidth, and a single DRAM figure would charge the small tensors of a light model several times
 * too much.
 */
const GEMMS = [256, 512] as const
const STREAMS = [32_768, 262_144, 1_048_576, 4_194_304] as const
const CHAIN = 64
const WIDE = 8

/** Options of {@link calibrateThisMachine}. */
export interface CalibrateOptions extends Pick<EngineOptions, 'engine' | 'executionProviders' | 'threads'> {
  /** Ignore the cached profile and measure again. @default false */
  readonly recalibrate?: boolean
  /** Folder of the cache. @default node_modules/.cache/modelgate under the working directory when node_modules exists, else <tmpdir>/modelgate */
  readonly cacheDir?: string
}

/** The keys of {@link CalibrateOptions}; any other key is refused. */
export const CALIBRATE_OPTION_KEYS = optionKeys<CalibrateOptions>({ engine: true, executionProviders: true, threads: true, recalibrate: true, cacheDir: true })

/** The default cache folder. */
export function defaultCacheDir(cwd = process.cwd()): string {
  return existsSync(join(cwd, 'node_modules')) ? join(cwd, 'node_modules', '.cache', 'modelgate') : join(tmpdir(), 'modelgate')
}

function gemmGraph(n: number): TinyGraph {
  return { inputs: [{ name: 'a', dims: [n, n] }, { name: 'b', dims: [n, n] }], outputs: [{ name: 'c', dims: [n, n] }], nodes: [{ opType: 'MatMul', inputs: ['a', 'b'], outputs: ['c'] }] }
}

function streamGraph(n: number): TinyGraph {
  return { inputs: [{ name: 'a', dims: [n] }, { name: 'b', dims: [n] }], outputs: [{ name: 'c', dims: [n] }], nodes: [{ opType: 'Add', inputs: ['a', 'b'], outputs: ['c'] }] }
}

/** `width` independent Sin nodes, each with its own graph input and output. */
function wideGraph(width: number): TinyGraph {
  const ids = Array.from({ length: width }, (_, i) => i)
  return { inputs: ids.map((i) => ({ name: `x${i}`, dims: [1] })), outputs: ids.map((i) => ({ name: `y${i}`, dims: [1] })), nodes: ids.map((i) => ({ opType: 'Sin', inputs: [`x${i}`], outputs: [`y${i}`] })) }
}

function chainGraph(length: number): TinyGraph {
  // Sin: no optimiser rewrites Sin(Sin(x)), unlike a pair of Neg.
  const nodes = Array.from({ length }, (_, i) => ({ opType: 'Sin', inputs: [i === 0 ? 'x' : `t${i}`], outputs: [i === length - 1 ? 'y' : `t${i + 1}`] }))
  return { inputs: [{ name: 'x', dims: [1] }], outputs: [{ name: 'y', dims: [1] }], nodes }
}

/**
 * The fastest of the timed runs, in seconds (a few warm-up runs first, then at least `minRuns` and `minMs` of timed
 * runs): a peak is what the hardware does when nothing interrupts it, and on a shared machine the median of a
 * millisecond kernel mostly measures the scheduler. (The process's CPU time was tried and rejected: in a VM it is
 * sampled at timer ticks and came out both above and below the wall-clock time.)
 */
async function timeRuns(session: OrtSession, feeds: Parameters<OrtSession['run']>[0], minRuns: number, minMs: number): Promise<number> {
  for (let i = 0; i < 3; i++) await session.run(feeds)
  let fastest = Number.POSITIVE_INFINITY
  let runs = 0
  const start = process.hrtime.bigint()
  while (runs < minRuns || Number(process.hrtime.bigint() - start) / 1e6 < minMs) {
    const t0 = process.hrtime.bigint()
    await session.run(feeds)
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - t0) / 1e9)
    if (++runs >= 5000) break
  }
  return fastest
}

async function timeGraph(ort: Ort, graph: TinyGraph, settings: ReturnType<typeof engineSettings>, minRuns: number, minMs: number): Promise<number> {
  const session = await createOrtSession(ort, encodeTinyModel(graph), settings)
  try {
    const feeds: Record<string, InstanceType<Ort['Tensor']>> = {}
    for (const v of graph.inputs) {
      const n = v.dims.reduce((a, b) => a * b, 1)
      feeds[v.name] = new ort.Tensor('float32', Float32Array.from({ length: n }, (_, i) => ((i % 17) - 8) / 8), [...v.dims])
    }
    return await timeRuns(session, feeds, minRuns, minMs)
  } finally {
    await session.release()
  }
}

/** The cache key: machine, engine, its version, providers, threads and the suite's version. */
function cacheKey(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16)
}

/**
 * The measured profile of this machine (read from the cache when there is one for this machine, engine and threads).
 * @throws ModelgateError E_RUNTIME_MISSING when the engine is not installed, E_ENGINE_PROVIDER for an absent provider
 */
export async function calibrateThisMachine(options: CalibrateOptions = {}): Promise<DeviceProfile> {
  checkOptionKeys(options, CALIBRATE_OPTION_KEYS, 'calibrateThisMachine()')
  const settings = engineSettings({ ...options, graphOptimizationLevel: 'all' })
  const ort = await loadEngine(settings.engine)
  const version = engineVersion(ort, settings.engine)
  const machine = machineConditions()
  const key = cacheKey([CALIBRATION_SUITE, machine.cpu, String(machine.cores), arch(), settings.engine, version, providerLabel(settings), String(settings.intraOpThreads)])
  const dir = options.cacheDir ?? defaultCacheDir()
  const file = join(dir, `${THIS_MACHINE}-${key}.json`)
  if (options.recalibrate !== true && existsSync(file)) {
    try {
      return validateProfile(JSON.parse(readFileSync(file, 'utf8')))
    } catch {
      // A damaged cache entry is measured again.
    }
  }
  const one = await timeGraph(ort, chainGraph(1), settings, 200, 100)
  const chain = await timeGraph(ort, chainGraph(CHAIN + 1), settings, 100, 100)
  const nodeS = Math.max(0, (chain - one) / CHAIN)
  // 8 inputs and 8 outputs instead of 1 and 1, and 7 more nodes: the rest is 14 tensors passed in or out.
  const wide = await timeGraph(ort, wideGraph(WIDE), settings, 100, 100)
  const ioS = Math.max(0, (wide - one - (WIDE - 1) * nodeS) / (2 * (WIDE - 1)))
  // The one-node graph's time is the run overhead, one node and one input and one output.
  const runS = Math.max(0, one - nodeS - 2 * ioS)
  // Two sizes: 512³ is the large GEMM; 256³ (0.4 ms on a desktop core) finds uninterrupted windows on a busy machine.
  const gemm = []
  for (const n of GEMMS) {
    // Long enough for the fastest run to be an uninterrupted one even on a machine shared with other jobs.
    const seconds = await timeGraph(ort, gemmGraph(n), settings, 30, n === 256 ? 2000 : 500)
    gemm.push({ n, seconds, flops: 2 * n ** 3, rate: (2 * n ** 3) / Math.max(seconds - runS - nodeS, 1e-9) })
  }
  const best = gemm.reduce((a, b) => (b.rate > a.rate ? b : a))
  const curve: { bytes: number; bytesPerSec: number }[] = []
  const streamMs: string[] = []
  for (const n of STREAMS) {
    const seconds = await timeGraph(ort, streamGraph(n), settings, 30, 400)
    // Add reads two tensors and writes one: the bytes the analysis counts for an Add node.
    const net = seconds - runS - nodeS
    streamMs.push(`${n}: ${(seconds * 1e3).toPrecision(3)} ms`)
    // A stream whose time is mostly the fixed overheads says nothing about bandwidth.
    if (net >= seconds / 2) curve.push({ bytes: 12 * n, bytesPerSec: (12 * n) / net })
  }
  // A smaller working set never sees less bandwidth than a larger one (caches only help): a point below its larger
  // neighbour was cut by another process, and takes the neighbour's figure.
  for (let i = curve.length - 2; i >= 0; i--) curve[i] = { bytes: curve[i]!.bytes, bytesPerSec: Math.max(curve[i]!.bytesPerSec, curve[i + 1]!.bytesPerSec) }
  const threads = settings.intraOpThreads
  const profile: DeviceProfile = {
    id: THIS_MACHINE,
    name: `this machine: ${machine.cpu} (${machine.cores} logical cores), ${settings.engine} ${version} (${providerLabel(settings)}), ${threads === 0 ? 'engine-default' : threads} thread(s)`,
    // The profile describes the threads it was measured with; the estimate does not scale it again.
    peakFlops: { float32: best.rate },
    cores: 1,
    memoryBandwidth: curve[curve.length - 1]!.bytesPerSec,
    bandwidthCurve: curve,
    nodeOverheadUs: nodeS * 1e6,
    runOverheadUs: runS * 1e6,
    ioOverheadUs: ioS * 1e6,
    sources: {
      peakFlops: `measured (${CALIBRATION_SUITE}): the faster of float32 MatMul ${gemm.map((g) => `${g.n}³ (${(g.seconds * 1e3).toPrecision(4)} ms)`).join(' and ')}, fastest runs`,
      memoryBandwidth: `measured: float32 Add of two [n] tensors (12·n bytes moved), fastest runs (${streamMs.join(', ')}); memoryBandwidth is the largest`,
      nodeOverheadUs: `measured: a chain of ${CHAIN + 1} Sin nodes on a [1] tensor minus a single one, ÷ ${CHAIN}`,
      runOverheadUs: 'measured: a one-node graph on a [1] tensor, minus one node and its input and output',
      ioOverheadUs: `measured: ${WIDE} parallel Sin nodes with their own inputs and outputs against one, minus ${WIDE - 1} node overheads, ÷ ${2 * (WIDE - 1)} tensors`,
      cores: 'measured at the threads named above; not scaled further',
    },
  }
  try {
    mkdirSync(dir, { recursive: true })
    const tmp = `${file}.${process.pid}.tmp`
    writeFileSync(tmp, `${JSON.stringify(profile, null, 2)}\n`)
    renameSync(tmp, file)
  } catch {
    // A read-only cache only costs a re-measurement next time.
  }
  return profile
}
