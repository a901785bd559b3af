/**
 * End to end: a fixture project gated by real `vitest run` processes: a passing suite, a heavier model failing
 * with a readable message, the four ways to update, and a missing entry on CI.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { convModel, createProject, failureOf, type FixtureProject } from './harness.js'

const SUITE = `import { expect, test } from 'vitest'
import { loadModel } from 'modelgate'

test('the net stays within its baseline', async () => {
  const net = await loadModel('models/net.onnx')
  expect(net).toHaveParamsBelow(100_000)
  await expect(net).toMatchBaseline()
})
`

function paramsInBaseline(project: FixtureProject): number {
  const file = JSON.parse(project.read('baselines/test/net.test.ts.json')) as { entries: Record<string, { metrics: { params: { value: number } } }> }
  return Object.values(file.entries)[0]!.metrics.params.value
}

describe('a fixture project gated against its committed baseline', () => {
  let project: FixtureProject
  beforeAll(() => {
    project = createProject({ 'models/net.onnx': convModel(8), 'test/net.test.ts': SUITE })
  })
  afterAll(() => project.remove())

  test('a first local run writes the baseline', async () => {
    const first = await project.vitest(['run'])
    expect(first.code, first.output).toBe(0)
    expect(first.output).toContain('modelgate: baselines/test/net.test.ts.json: 1 entry written')
    expect(paramsInBaseline(project)).toBe(224)
    const text = project.read('baselines/test/net.test.ts.json')
    expect(text.endsWith('}\n')).toBe(true)
    expect(text).not.toContain(project.dir)

  })

  test('a wider conv fails, naming the model, the metric, baseline → current, Δ % and the tolerance', async () => {
    const before = project.read('baselines/test/net.test.ts.json')
    project.write('models/net.onnx', convModel(16))
    const run = await project.vitest(['run'])
    expect(run.code).not.toBe(0)
    expect(failureOf(run.output)).toMatchInlineSnapshot(`
      "FAIL  test/net.test.ts > the net stays within its baseline
      Error: expect(model).toMatchBaseline(options)

      models/net.onnx regressed against its baseline (baselines/test/net.test.ts.json, entry "the net stays within its baseline › models/net.onnx"): params 224 params → 448 params (+100 %, tolerance exact); macs 13.82 k MACs (13,824) → 27.65 k MACs (27,648) (+100 %, tolerance exact) and 4 more.

      metric               baseline                current                 Δ         tolerance  verdict
      ───────────────────  ──────────────────────  ──────────────────────  ────────  ─────────  ──────────
      params               224 params              448 params              +100 %    exact      REGRESSION
      macs                 13.82 k MACs (13,824)   27.65 k MACs (27,648)   +100 %    exact      REGRESSION
      flops                28.67 k FLOPs (28,672)  57.34 k FLOPs (57,344)  +100 %    exact      REGRESSION
      sizeBytes            1.151 KiB (1,179 B)     2.026 KiB (2,075 B)     +76 %     exact      REGRESSION
      memoryAccessBytes    7.625 KiB (7,808 B)     14.5 KiB (14,848 B)     +90.16 %  exact      REGRESSION
      peakActivationBytes  4 KiB (4,096 B)         8 KiB (8,192 B)         +100 %    exact      REGRESSION

      The model file changed since the baseline was written (its SHA-256 differs).

      If the change is intended, accept it with \`vitest run -u\` (or \`modelgate test --update-baselines\`) and commit baselines/test/net.test.ts.json."
    `)
    expect(project.read('baselines/test/net.test.ts.json')).toBe(before)
  })

  test('`vitest run -u` rewrites the baseline, and the next plain run passes', async () => {
    const update = await project.vitest(['run', '-u'])
    expect(update.code, update.output).toBe(0)
    expect(paramsInBaseline(project)).toBe(448)
    const plain = await project.vitest(['run'])
    expect(plain.code, plain.output).toBe(0)
  })

  test('`vitest run -- --update-baselines` rewrites the baseline, and the next run passes on CI', async () => {
    project.write('models/net.onnx', convModel(24))
    const update = await project.vitest(['run', '--', '--update-baselines'])
    expect(update.code, update.output).toBe(0)
    expect(paramsInBaseline(project)).toBe(672)
    const plain = await project.vitest(['run'], { CI: 'true' })
    expect(plain.code, plain.output).toBe(0)
  })

  test('MODELGATE_UPDATE=1 rewrites the baseline', async () => {
    project.write('models/net.onnx', convModel(32))
    const update = await project.vitest(['run'], { MODELGATE_UPDATE: '1' })
    expect(update.code, update.output).toBe(0)
    expect(paramsInBaseline(project)).toBe(896)
  })

  test('`modelgate test --update-baselines` rewrites the baseline, even on CI', async () => {
    project.write('models/net.onnx', convModel(40))
    const update = await project.node(['node_modules/modelgate/dist/cli/main.js', 'test', '--update-baselines'], { CI: 'true' })
    expect(update.code, update.output).toBe(0)
    expect(paramsInBaseline(project)).toBe(1120)
  })

  test('a check without a baseline entry fails on CI and writes nothing', async () => {
    project.write('test/other.test.ts', SUITE.replace('the net stays within its baseline', 'a second check of the net'))
    const ci = await project.vitest(['run'], { CI: 'true' })
    expect(ci.code).not.toBe(0)
    expect(failureOf(ci.output)).toContain('models/net.onnx has no baseline for params, macs, flops, sizeBytes, memoryAccessBytes, peakActivationBytes in baselines/test/other.test.ts.json, entry "a second check of the net › models/net.onnx". Run the tests locally (or with `vitest run -u`) and commit the new baseline file: CI never writes baselines.')
    expect(project.exists('baselines/test/other.test.ts.json')).toBe(false)
    const local = await project.vitest(['run'])
    expect(local.code, local.output).toBe(0)
    expect(project.exists('baselines/test/other.test.ts.json')).toBe(true)
  })
})
