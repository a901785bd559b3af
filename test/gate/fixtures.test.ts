/**
 * Dogfooding: the bundled fixture models held to budgets and to this repository's committed baselines
 * (baselines/test/gate/fixtures.test.ts.json), through the plugin in vitest.config.ts.
 */
import { readdirSync, existsSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { loadModel } from '../../src/model/index.js'

/** Scenario models with a symbolic batch get N = 1. */
const DIMS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  'dynamic-batch-matmul': { N: 1 },
  'reshape-chain': { N: 1 },
}

const SCENARIOS = readdirSync('fixtures', { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(`fixtures/${d.name}/model.onnx`))
  .map((d) => d.name)
  .sort()

describe('every fixture model', () => {
  test.each(SCENARIOS)('%s matches its committed baseline', async (name) => {
    const model = await loadModel(`fixtures/${name}/model.onnx`, { dims: DIMS[name] ?? {} })
    await expect(model).toMatchBaseline()
  })
})

describe('the classifier pair', () => {
  test('RSNet-Lite stays within its budgets', async () => {
    const lite = await loadModel('fixtures/rsnet-lite/model.onnx')
    expect(lite).toHaveParamsBelow(20_000)
    expect(lite).toHaveMacsBelow(2.5e6)
    expect(lite).toHaveModelSizeBelow(64 * 1024)
    expect(lite).toHavePeakMemoryBelow(512 * 1024)
    expect(lite).toHaveFullCoverage()
  })

  test('the heavy counterpart needs ten times the parameters', async () => {
    const heavy = await loadModel('fixtures/resnet-heavy/model.onnx')
    expect(heavy).not.toHaveParamsBelow(137_990)
    expect(heavy).toHaveFlopsBelow(1e8)
  })
})

test('a model with an unknown op is reported as not fully covered', () => {
  expect('fixtures/unknown-op/model.onnx').not.toHaveFullCoverage()
})
