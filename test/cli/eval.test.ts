import { readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureSceneDataset, ensureSceneModels, type SceneDataset, type SceneModels } from '../../fixtures/accuracy/index.js'
import type { CliIo } from '../../src/cli/io.js'
import { runCli } from '../../src/cli/run.js'
import { readReport } from '../../src/report/index.js'
import { workDir } from '../accuracy/helpers.js'

let data: SceneDataset
let models: SceneModels
const work = workDir('cli-eval')
afterAll(work.remove)

beforeAll(() => {
  data = ensureSceneDataset()
  models = ensureSceneModels()
})

async function run(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' }
  const io: CliIo = {
    stdout: { write: (s: string) => (out.stdout += s) },
    stderr: { write: (s: string) => (out.stderr += s) },
    cwd: process.cwd(),
    env: {},
  }
  const code = await runCli(args, io)
  return { code, ...out }
}

const rel = (p: string): string => relative(process.cwd(), p)

describe('modelgate eval', () => {
  it('prints the accuracy, per-class table, confusion matrix, decoder and preprocessing', async () => {
    const r = await run(['eval', rel(models.light), '--data', rel(data.png), '--decoder', 'pure-js', '--no-latency'])
    expect(r.code).toBe(0)
    const text = r.stdout.replace(/throughput .*/, 'throughput T').replace(/pngjs@\S+ \+ jpeg-js@\S+/, 'DECODER')
    expect(text).toMatchInlineSnapshot(`
      "fixtures/.cache/accuracy/models-v1/scene-light.onnx on fixtures/.cache/accuracy/scenes-v1/png
      classification, 350/350 samples, 7 classes

      top-1 accuracy   99.14 %  (347/350)
      top-5 accuracy   99.71 %
      balanced accuracy  99.14 %

      class         samples  correct  accuracy
      ────────────  ───────  ───────  ────────
      0 field            50       49   98.00 %
      1 forest           50       50  100.00 %
      2 grass            50       50  100.00 %
      3 industry         50       49   98.00 %
      4 parking          50       49   98.00 %
      5 resident         50       50  100.00 %
      6 river-lake       50       50  100.00 %

      confusion matrix (rows: true class, columns: predicted)
      true \\ predicted   0   1   2   3   4   5   6
      ────────────────  ──  ──  ──  ──  ──  ──  ──
      0 field           49   0   0   0   0   0   1
      1 forest           0  50   0   0   0   0   0
      2 grass            0   0  50   0   0   0   0
      3 industry         0   0   0  49   0   0   1
      4 parking          0   0   0   0  49   0   1
      5 resident         0   0   0   0   0  50   0
      6 river-lake       0   0   0   0   0   0  50

      decoder        DECODER
      preprocessing  32×32 (cover + centre crop), × 1/255, no mean/std, NCHW RGB float32
      throughput T
      model          4,657 params, 18,474 MACs per sample
      "
    `)
  })

  it('prints a modelgate report with --json, which `modelgate report --pareto latency,accuracy` charts', async () => {
    // top-3 of a hard image: river-lake, field, forest (by bias): only the field one keeps its class → 348/350
    const light = await run(['eval', rel(models.light), '--data', rel(data.png), '--json', '--top', '3'])
    const heavy = await run(['eval', rel(models.heavy), '--data', rel(data.png), '--json', '--limit', '70'])
    expect([light.code, heavy.code]).toEqual([0, 0])
    const lightFile = join(work.dir, 'light.json')
    const heavyFile = join(work.dir, 'heavy.json')
    writeFileSync(lightFile, light.stdout)
    writeFileSync(heavyFile, heavy.stdout)
    const report = await readReport(lightFile)
    const figures = Object.fromEntries(report.results.map((r) => [r.metric, r.current]))
    expect(figures).toMatchObject({ accuracy: 347 / 350, 'accuracy.top3': 348 / 350, params: 4657, macs: 18474, 'latency.p50': expect.any(Number) })
    expect(report.results.every((r) => r.model === 'fixtures/.cache/accuracy/models-v1/scene-light.onnx' && r.verdict === 'new')).toBe(true)
    expect((JSON.parse(readFileSync(heavyFile, 'utf8')) as { evaluation: { evaluated: number; stoppedBy: string } }).evaluation).toMatchObject({ evaluated: 70, stoppedBy: 'limit' })

    const chart = join(work.dir, 'pareto.svg')
    const pareto = await run(['report', '--pareto', 'latency,accuracy', lightFile, heavyFile, '--out', chart])
    expect(pareto.code).toBe(0)
    expect(pareto.stdout).toMatch(/scene-heavy\.onnx\s+100\.0 %.*on the frontier/)
    expect(pareto.stdout).toMatch(/scene-light\.onnx\s+99\.14 %.*on the frontier/)
    expect(readFileSync(chart, 'utf8')).toContain('<svg')
  })

  it('exits 2 with E_CLI_USAGE without --data or with an unknown decoder', async () => {
    const noData = await run(['eval', rel(models.light)])
    expect(noData.code).toBe(2)
    expect(noData.stderr).toContain('E_CLI_USAGE: eval needs --data <path>')
    expect((await run(['eval', rel(models.light), '--data', rel(data.png), '--decoder', 'pillow'])).code).toBe(2)
  })

  it('exits 1 naming the code and the folder for bad data', async () => {
    const r = await run(['eval', rel(models.light), '--data', work.dir, '--no-latency'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`E_DATASET_EMPTY: The data set folder ${JSON.stringify(work.dir)} has no class folders`)
  })
})
