import { describe, expect, it } from 'vitest'
import { comparabilityIssue, latencyVerdict, type EngineIdentity } from '../../src/bench/verdict.js'

describe('the verdict of a paired comparison (threshold 10 %: guard band at 5 %)', () => {
  it('is slower only when the whole interval lies above +5 %', () => {
    expect(latencyVerdict([1.06, 1.2], 0.1)).toBe('slower')
    expect(latencyVerdict([1.04, 1.2], 0.1)).toBe('no-detectable-difference')
    expect(latencyVerdict([1.05, 1.2], 0.1)).toBe('no-detectable-difference')
  })

  it('is faster only when the whole interval lies below 1/1.05', () => {
    expect(latencyVerdict([0.8, 0.95], 0.1)).toBe('faster')
    expect(latencyVerdict([0.8, 0.96], 0.1)).toBe('no-detectable-difference')
  })

  it('never calls a 5 % slowdown faster, however narrow its interval', () => {
    expect(latencyVerdict([1.049, 1.051], 0.1)).toBe('no-detectable-difference')
    expect(latencyVerdict([1.051, 1.052], 0.1)).toBe('slower')
  })

  it('an A/A interval around 1 is no difference', () => {
    expect(latencyVerdict([0.98, 1.02], 0.1)).toBe('no-detectable-difference')
  })

  it('scales with the threshold', () => {
    expect(latencyVerdict([1.03, 1.04], 0.05)).toBe('slower')
    expect(latencyVerdict([1.03, 1.04], 0.2)).toBe('no-detectable-difference')
  })
})

describe('comparability of two measurements', () => {
  const base: EngineIdentity = { engine: { version: '1.30.0', executionProvider: 'cpu' }, intraOpThreads: 1, interOpThreads: 1 }

  it('same engine, provider and threads are comparable', () => {
    expect(comparabilityIssue(base, { ...base })).toBeNull()
  })

  it('names every difference', () => {
    expect(comparabilityIssue(base, { engine: { version: '1.29.0', executionProvider: 'cuda' }, intraOpThreads: 2, interOpThreads: 1 })).toMatchInlineSnapshot(
      `"measured under different conditions: onnxruntime 1.30.0 vs 1.29.0, execution provider cpu vs cuda, intra-op threads 1 vs 2"`,
    )
  })
})
