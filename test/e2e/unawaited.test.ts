/**
 * End to end: an un-awaited async matcher fails its test (Vitest 4 alone lets it pass silently, research/gating.md
 * §2.1), while awaited and returned ones pass; measured matchers run the real engine.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { convModel, createProject, type FixtureProject } from './harness.js'

const SUITE = `import { expect, test } from 'vitest'
import { loadModel } from 'modelgate'

const net = () => loadModel('models/net.onnx')

test('an un-awaited toRunUnderMs', async () => {
  expect(await net()).toRunUnderMs(60_000)
})

test('an un-awaited failing toRunUnderMs', async () => {
  expect(await net()).toRunUnderMs(0.000001)
})

test('an un-awaited .not.toMatchBaseline', async () => {
  expect(await net()).not.toMatchBaseline()
})

test('an awaited toRunUnderMs', async () => {
  await expect(await net()).toRunUnderMs(60_000, { percentile: 'p95' })
})

test('a returned toHaveThroughputAbove', () => net().then((m) => expect(m).toHaveThroughputAbove(1)))

test('an awaited toMatchBaseline of a latency', async () => {
  await expect(await net()).toMatchBaseline({ metrics: ['params', 'latency.p50'] })
})
`

interface JsonReport {
  readonly testResults: readonly { readonly assertionResults: readonly { readonly title: string; readonly status: string; readonly failureMessages: readonly string[] }[] }[]
}

describe('async matchers', () => {
  let project: FixtureProject
  beforeAll(() => {
    project = createProject(
      { 'models/net.onnx': convModel(8), 'test/net.test.ts': SUITE },
      { plugin: '{ bench: { time: 0, iterations: 20, warmupIterations: 2, calibrate: false }, latency: { sessions: 0 } }', test: "reporters: ['default', ['json', { outputFile: 'results.json' }]]," },
    )
  })
  afterAll(() => project.remove())

  test('fail their test when not awaited, and pass when awaited or returned', async () => {
    const run = await project.vitest(['run'])
    expect(run.code).toBe(1)
    const report = JSON.parse(project.read('results.json')) as JsonReport
    const results = report.testResults.flatMap((f) => f.assertionResults)
    expect(Object.fromEntries(results.map((r) => [r.title, r.status]))).toEqual({
      'an un-awaited toRunUnderMs': 'failed',
      'an un-awaited failing toRunUnderMs': 'failed',
      'an un-awaited .not.toMatchBaseline': 'failed',
      'an awaited toRunUnderMs': 'passed',
      'a returned toHaveThroughputAbove': 'passed',
      'an awaited toMatchBaseline of a latency': 'passed',
    })
    const message = (title: string): string => results.find((r) => r.title === title)!.failureMessages.join('\n').split('\n').slice(0, 3).join('\n')
    expect(message('an un-awaited toRunUnderMs')).toMatchInlineSnapshot(`
      "Error: expect(model).toRunUnderMs(60000) was not awaited, so it could not fail this test. Write \`await expect(model).toRunUnderMs(60000)\` or return it from the test.

      (it would have passed)"
    `)
    expect(message('an un-awaited failing toRunUnderMs')).toMatch(/^Error: expect\(model\)\.toRunUnderMs\(0\.000001\) was not awaited/)
    expect(message('an un-awaited failing toRunUnderMs')).toContain('(it would have failed: expect(model).toRunUnderMs(ms)')
    expect(message('an un-awaited .not.toMatchBaseline')).toMatch(/^Error: expect\(model\)\.not\.toMatchBaseline\(\) was not awaited/)
    expect(run.output).not.toContain('Unhandled')
  })
})
