/**
 * End to end: the PR that quantizes a model. A project's baseline is written on the float model; the PR swaps in
 * the static-QDQ int8 model of the same architecture (fixtures/quantized). The gate must read it right: params and
 * MACs unchanged (no params regression), size down, bits per weight 32 → ≈ 8.
 *
 * Figures (fixtures/quantized/index.ts): 5,354 learnable params and 18,944 MACs in both models; the float model's
 * weights are 5,354 float32 = 32 bits/weight; the QDQ model's are 5,336 int8 + 18 int32 biases:
 * (5,336 + 72) × 8 ÷ 5,354 = 8.0807 bits/weight.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { floatConvMlp, qdqConvMlp } from '../../fixtures/quantized/index.js'
import { createProject, type FixtureProject } from './harness.js'

const SUITE = `import { expect, test } from 'vitest'
import { loadModel } from 'modelgate'

test('the classifier stays within its baseline', async () => {
  const net = await loadModel('models/net.onnx')
  await expect(net).toMatchBaseline({ metrics: ['params', 'macs', 'sizeBytes', 'bitsPerWeight'] })
})
`

interface ReportRow { metric: string; baseline: number | null; current: number | null; verdict: string; note?: string }

describe('a PR that quantizes the model to int8 (QDQ)', () => {
  let project: FixtureProject
  beforeAll(() => {
    project = createProject({ 'models/net.onnx': floatConvMlp(), 'test/net.test.ts': SUITE })
  })
  afterAll(() => project.remove())

  test('the baseline is written on the float model: 5,354 params at 32 bits/weight', async () => {
    const first = await project.vitest(['run'])
    expect(first.code, first.output).toBe(0)
    const file = JSON.parse(project.read('baselines/test/net.test.ts.json')) as { entries: Record<string, { metrics: Record<string, { value: number }> }> }
    const metrics = Object.values(file.entries)[0]!.metrics
    expect(metrics.params?.value).toBe(5_354)
    expect(metrics.bitsPerWeight?.value).toBe(32)
  })

  test('on CI the QDQ model passes: params and MACs unchanged, size and bits/weight improved', async () => {
    project.write('models/net.onnx', qdqConvMlp({ dtype: 'int8', perChannel: true }))
    const run = await project.vitest(['run'], { CI: '1' })
    expect(run.code, run.output).toBe(0)
    const report = JSON.parse(project.read('modelgate-report.json')) as { results: ReportRow[] }
    const row = (metric: string): ReportRow => report.results.find((r) => r.metric === metric)!
    expect(row('params')).toMatchObject({ baseline: 5_354, current: 5_354, verdict: 'pass' })
    expect(row('macs')).toMatchObject({ baseline: 18_944, current: 18_944, verdict: 'pass' })
    expect(row('sizeBytes').verdict).toBe('improvement')
    expect(row('sizeBytes').current!).toBeLessThan(row('sizeBytes').baseline! / 2)
    expect(row('sizeBytes').note).toBe('weights at 8.08 bits/weight (int32, int8); 58 scales and zero points counted apart')
    expect(row('bitsPerWeight')).toMatchObject({ baseline: 32, current: 8.0807, verdict: 'improvement' })

    // the terminal table of the run says it too
    expect(run.output).toContain('models/net.onnx size: weights at 8.08 bits/weight')

    const markdown = project.read('modelgate-report.md')
    expect(markdown).toContain('2 improvements · 2 unchanged')
    // (8.0807 − 32) ÷ 32 = −74.75 %
    expect(markdown).toContain('| ⚡ improvement | `models/net.onnx` | bits/weight | 32 bits/weight | 8.0807 bits/weight | -74.7 % | exact |')
    expect(markdown).toContain('weights at 8.08 bits/weight')
  })
})
