import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import type { CompareRow } from '../../src/cli/compare.js'
import type { CliIo } from '../../src/cli/io.js'
import { runCli } from '../../src/cli/run.js'

const ROOT = resolve(import.meta.dirname, '../..')
let dir: string
let out: { stdout: string; stderr: string }
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modelgate-compare-'))
  out = { stdout: '', stderr: '' }
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const io = (): CliIo => ({ stdout: { write: (s: string) => (out.stdout += s) }, stderr: { write: (s: string) => (out.stderr += s) }, cwd: ROOT, env: {} })
const MODELS = ['fixtures/conv/model.onnx', 'fixtures/gemm/model.onnx', 'fixtures/dynamic-batch-matmul/model.onnx']

describe('modelgate compare', () => {
  test('one row per model with params, MACs, FLOPs, size and peak memory; --dim applies to the model that has the symbol', async () => {
    expect(await runCli(['compare', ...MODELS, '--dim', 'N=4'], io())).toBe(0)
    expect(out.stdout).toMatchInlineSnapshot(`
      "model                                     params     MACs    FLOPs       size  peak memory
      ────────────────────────────────────────  ──────  ───────  ───────  ─────────  ───────────
      fixtures/conv/model.onnx                     224  13.82 k  28.67 k  1.151 KiB        4 KiB
      fixtures/gemm/model.onnx                     650   1.28 k   2.58 k  2.743 KiB        592 B
      fixtures/dynamic-batch-matmul/model.onnx     512  5.888 k  11.78 k  2.231 KiB    3.375 KiB

      MACs: multiply-accumulates; FLOPs: 2 × MACs + element-wise work; peak memory: activations alive at once (static).
      "
    `)
  })

  test('--csv writes raw numbers with units in the header, --json prints the rows', async () => {
    const csv = join(dir, 'models.csv')
    expect(await runCli(['compare', ...MODELS, '--dim', 'N=4', '--csv', csv, '--json'], io())).toBe(0)
    expect(await readFile(csv, 'utf8')).toMatchInlineSnapshot(`
      "model,params,macs,flops,size_bytes,peak_activation_bytes
      fixtures/conv/model.onnx,224,13824,28672,1179,4096
      fixtures/gemm/model.onnx,650,1280,2580,2809,592
      fixtures/dynamic-batch-matmul/model.onnx,512,5888,11776,2285,3456
      "
    `)
    const rows = JSON.parse(out.stdout) as CompareRow[]
    expect(rows.map((r) => [r.model, r.params, r.macs])).toEqual([
      ['fixtures/conv/model.onnx', 224, 13_824],
      ['fixtures/gemm/model.onnx', 650, 1280],
      ['fixtures/dynamic-batch-matmul/model.onnx', 512, 5888],
    ])
  })

  test('a --shape or --dim that matches no model is a usage error', async () => {
    expect(await runCli(['compare', 'fixtures/conv/model.onnx', '--dim', 'BATCH=2'], io())).toBe(2)
    expect(out.stderr).toMatchInlineSnapshot(`
      "modelgate: E_CLI_USAGE: --dim BATCH matches no input of the models compared. Run \`modelgate --help\` for the commands and their options.
      "
    `)
  })

  test('--bench measures latency p50/p95 and FPS of every model in one run', async () => {
    const csv = join(dir, 'bench.csv')
    expect(await runCli(['compare', MODELS[0]!, MODELS[1]!, '--bench', '--time', '50', '--csv', csv, '--json'], io())).toBe(0)
    const rows = JSON.parse(out.stdout) as CompareRow[]
    for (const row of rows) {
      expect(row.bench?.state).toBe('completed')
      if (row.bench?.state !== 'completed') continue
      expect(row.bench.latencyP50Ms).toBeGreaterThan(0)
      expect(row.bench.latencyP95Ms).toBeGreaterThanOrEqual(row.bench.latencyP50Ms)
      expect(row.bench.fps).toBeGreaterThan(0)
      expect(row.bench.conditions.engine.name).toBe('onnxruntime-node')
      expect(row.bench.conditions.intraOpThreads).toBe(1)
    }
    expect((await readFile(csv, 'utf8')).split('\n')[0]).toBe('model,params,macs,flops,size_bytes,peak_activation_bytes,latency_p50_ms,latency_p95_ms,fps,peak_rss_bytes,bench_error')
  })
})
