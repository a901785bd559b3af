import { describe, expect, expectTypeOf, test } from 'vitest'
import type { AccuracyOptions, MapOptions, TradeoffOptions } from '../../src/matchers/accuracy.js'
import '../../src/matchers/accuracy.js'

describe('the accuracy matchers type-check on expect()', () => {
  test('take their options and return a promise to await', () => {
    expectTypeOf(expect('m.onnx').toHaveAccuracyAbove).parameter(1).toEqualTypeOf<AccuracyOptions>()
    expectTypeOf(expect('m.onnx').toHaveMapAbove).parameter(1).toEqualTypeOf<MapOptions>()
    expectTypeOf(expect('m.onnx').toBeBetterTradeoffThan).parameter(1).toEqualTypeOf<TradeoffOptions>()
    expectTypeOf(expect('m.onnx').toHaveMiouAbove).returns.toMatchTypeOf<Promise<unknown>>()
  })

  test('refuse a call without a data set or without both trade-off bounds', () => {
    // @ts-expect-error the data set is required
    void expect('m.onnx').toHaveAccuracyAbove(0.9, {})
    // @ts-expect-error a trade-off needs both bounds
    void expect('m.onnx').toBeBetterTradeoffThan('base.onnx', { dataset: 'd', maxAccuracyDrop: 0.01 })
  })
})
