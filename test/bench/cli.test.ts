import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BenchCompleted, LatencyComparison } from '../../src/bench/index.js'
import { comparisonExitCode } from '../../src/cli/bench.js'
import { runCli } from '../../src/cli/run.js'
import { writeHangingModel, writeMatMulChain } from './models.js'

interface Captured {
  code: number
  stdout: string
  stderr: string
}

async function cli(args: readonly string[], cwd: string, tty = false): Promise<Captured> {
  let stdout = ''
  let stderr = ''
  const code = await runCli(args, {
    stdout: { write: (s: string) => (stdout += s), isTTY: tty },
    stderr: { write: (s: string) => (stderr += s) },
    cwd,
    env: {},
  })
  return { code, stdout, stderr }
}

const QUICK = ['--time', '50', '--warmup', '2']

describe('modelgate bench', () => {
  let dir = ''
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'modelgate-cli-bench-'))
    writeMatMulChain(dir, 'a', { rows: 'N', width: 32, layers: 2 })
    writeMatMulChain(dir, 'b', { rows: 'N', width: 32, layers: 3 })
    writeHangingModel(dir)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('--json prints exactly one JSON document with the latency, throughput, cold start, memory, energy and conditions', async () => {
    const r = await cli(['bench', 'a.onnx', ...QUICK, '--batch', '1,2', '--json'], dir)
    expect([r.code, r.stderr]).toEqual([0, ''])
    const doc = JSON.parse(r.stdout) as BenchCompleted
    expect(doc).toMatchObject({ state: 'completed', model: 'a.onnx', conditions: { isolated: true, batch: 1 } })
    for (const key of ['latencyMs', 'throughput', 'coldStart', 'memory', 'conditions', 'energy', 'calibration', 'batchSweep']) expect(doc).toHaveProperty(key)
    expect(Object.keys(doc.latencyMs)).toEqual(expect.arrayContaining(['mean', 'p50', 'p90', 'p95', 'p99', 'min', 'max', 'sd', 'mad', 'rme', 'samples']))
    expect(Object.keys(doc.conditions)).toEqual(expect.arrayContaining(['machine', 'engine', 'intraOpThreads', 'interOpThreads', 'graphOptimizationLevel', 'batch', 'inputs', 'warmup']))
    expect(doc.batchSweep?.map((p) => p.batch)).toEqual([1, 2])
  })

  it('--vs --json prints one comparison document', async () => {
    const r = await cli(['bench', 'a.onnx', '--vs', 'b.onnx', '--time', '60', '--warmup', '2', '--threshold', '15', '--no-isolate', '--json', '--no-fail-on-slower'], dir)
    expect([r.code, r.stderr]).toEqual([0, ''])
    const doc = JSON.parse(r.stdout) as LatencyComparison
    expect(['faster', 'slower', 'no-detectable-difference']).toContain(doc.verdict)
    expect(doc).toMatchObject({ threshold: 0.15, a: { model: 'a.onnx' }, b: { model: 'b.onnx' }, conditions: { isolated: false } })
    expect(doc.ci).toHaveLength(2)
  })

  it('--vs exits 1 exactly when the verdict it prints is `slower`, saying why on stderr', async () => {
    const r = await cli(['bench', 'a.onnx', '--vs', 'b.onnx', '--time', '60', '--warmup', '2', '--no-isolate', '--json'], dir)
    const doc = JSON.parse(r.stdout) as LatencyComparison
    expect(r.code).toBe(doc.verdict === 'slower' ? 1 : 0)
    if (doc.verdict === 'slower') expect(r.stderr).toMatch(/^modelgate: b\.onnx is slower than a\.onnx beyond the 10 % threshold \(ratio \d\.\d{4}, 95 % CI \d\.\d{4}–\d\.\d{4}\)\.\n$/)
    expect(comparisonExitCode({ verdict: 'slower' }, true)).toBe(1)
    for (const verdict of ['faster', 'no-detectable-difference', 'incomparable'] as const) expect(comparisonExitCode({ verdict }, true)).toBe(0)
    expect(comparisonExitCode({ verdict: 'slower' }, false)).toBe(0)
  })

  it('prints a readable summary without --json', async () => {
    const r = await cli(['bench', 'a.onnx', ...QUICK, '--threads', '1', '--no-isolate'], dir)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^a\.onnx · onnxruntime-node 1\.30\.0 \(cpu\) · 1 intra-op thread · optimisation all · batch 1\n/)
    for (const label of ['latency', 'throughput', 'cold start', 'memory', 'energy', 'calibration', 'inputs', 'machine']) expect(r.stdout).toContain(`  ${label}`)
  })

  it('shows a progress line on a TTY once a run takes longer than a second, and clears it', async () => {
    const r = await cli(['bench', 'a.onnx', '--time', '1300', '--warmup', '1', '--no-isolate'], dir, true)
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/\rmodelgate bench: a\.onnx · batch 1 · measure \d+ % · \d+\.\d s\x1b\[K/)
    expect(r.stderr.endsWith('\r\x1b[K')).toBe(true)
  })

  it('a hanging model ends with exit code 1 and E_RUN_TIMEOUT after --timeout', async () => {
    const r = await cli(['bench', 'hang.onnx', ...QUICK, '--timeout', '3000', '--json'], dir)
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout)).toMatchObject({ state: 'errored', error: { code: 'E_RUN_TIMEOUT' } })
    expect(r.stderr).toContain('modelgate: E_RUN_TIMEOUT:')
  })

  it('usage errors exit with 2 and E_CLI_USAGE; a missing file with 1 and E_FILE_NOT_FOUND', async () => {
    const cases: [string[], number, string][] = [
      [['bench'], 2, 'E_CLI_USAGE'],
      [['bench', 'a.onnx', '--time', '5', '--iterations', '3'], 2, 'E_CLI_USAGE'],
      [['bench', 'a.onnx', '--batch', '1,x'], 2, 'E_CLI_USAGE'],
      [['bench', 'a.onnx', '--input', 'x'], 2, 'E_CLI_USAGE'],
      [['bench', 'a.onnx', '--vs', 'b.onnx', '--batch', '1,2'], 2, 'E_CLI_USAGE'],
      [['bench', 'missing.onnx'], 1, 'E_FILE_NOT_FOUND'],
    ]
    for (const [args, code, error] of cases) {
      const r = await cli(args, dir)
      expect([args.join(' '), r.code, r.stderr.split(':')[1]?.trim()]).toEqual([args.join(' '), code, error])
    }
  })

  it('--help prints the options', async () => {
    const r = await cli(['bench', '--help'], dir)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('--vs OTHER.onnx')
    expect(r.stdout).toContain('--no-isolate')
  })
})
