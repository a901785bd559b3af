/**
 * Type tests (vitest typecheck and `tsc`, both in `npm test`): the matchers' argument types. Each
 * `@ts-expect-error` line must fail to compile, or the build fails.
 */
import { describe, expect, expectTypeOf, test } from 'vitest'
import { loadModel } from '../../src/index.js'
import type { ModelgateOptions } from '../../src/vitest/index.js'

describe('modelgate matchers', () => {
  test('take numbers, options and models of the right types', async () => {
    const model = await loadModel('fixtures/conv/model.onnx')
    expect(model).toHaveParamsBelow(5e6)
    expect('fixtures/conv/model.onnx').not.toHaveMacsBelow(1)
    expect(model).toHaveFlopsBelow(1e9)
    expect(model).toHaveModelSizeBelow(1024)
    expect(model).toHavePeakMemoryBelow(1024)
    expect(model).toHaveMemoryAccessBelow(1024)
    expect(model).toHaveFullCoverage()
    await expect(model).toRunUnderMs(5, { percentile: 'p99', batch: 8, threads: 1 })
    await expect(model).toHaveThroughputAbove(100, { batch: 8 })
    await expect(model).toRunUnderMs(50, { engine: 'onnxruntime-web', executionProviders: ['wasm'] })
    await expect(model).toEstimateUnderMs(30, { device: 'raspberry-pi-5', threads: 4 })
    await expect(model).toBeFasterThan('fixtures/resnet-heavy/model.onnx', { by: 5 })
    await expect(model).toMatchBaseline({ metrics: ['params', 'latency.p50'], tolerance: { relative: 0.01 } })
    await expect(model).toMatchBaseline({ tolerance: { macs: { absolute: 10 } } })
    const pending: Promise<unknown> = expect(model).toRunUnderMs(5)
    await pending
  })

  test('refuse wrong argument types', async () => {
    const model = await loadModel('fixtures/conv/model.onnx')
    // @ts-expect-error the limit is a number
    expect(model).toHaveParamsBelow('5e6')
    // @ts-expect-error the limit is required
    expect(model).toHaveMacsBelow()
    // @ts-expect-error toHaveFullCoverage takes no limit
    expect(model).toHaveFullCoverage(3)
    // @ts-expect-error no such percentile
    await expect(model).toRunUnderMs(5, { percentile: 'p42' })
    // @ts-expect-error ms is a number
    await expect(model).toRunUnderMs('5ms')
    // @ts-expect-error `by` is a number
    await expect(model).toBeFasterThan('b.onnx', { by: '5x' })
    // @ts-expect-error the other model is a path or a handle
    await expect(model).toBeFasterThan(42)
    // @ts-expect-error metrics is a list
    await expect(model).toMatchBaseline({ metrics: 'params' })
    // @ts-expect-error a tolerance is { relative?, absolute? }
    await expect(model).toMatchBaseline({ tolerance: { relative: '1%' } })
    // @ts-expect-error no such engine
    await expect(model).toRunUnderMs(5, { engine: 'tensorflow' })
    // @ts-expect-error an estimate needs the device
    await expect(model).toEstimateUnderMs(30)
    // @ts-expect-error no such matcher
    expect(model).toHaveParamsUnder(5)
  })

  test('the plugin options are typed', () => {
    expectTypeOf<ModelgateOptions['update']>().toEqualTypeOf<'all' | 'new' | 'none' | undefined>()
    // @ts-expect-error no such update mode
    const options: ModelgateOptions = { update: 'sometimes' }
    void options
  })
})
