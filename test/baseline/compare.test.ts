import { describe, expect, it } from 'vitest'
import { compareFigure, conditionDifferences, type BaselineConditions, type BaselineMetric, type BaselineStatistics } from '../../src/baseline/index.js'

const exact = (value: number, direction: 'lower' | 'higher' = 'lower'): BaselineMetric => ({ value, unit: 'MACs', direction, tolerance: {} })

const CONDITIONS: BaselineConditions = {
  machine: { cpu: 'AMD EPYC', cores: 2, os: 'Linux x64', node: 'v20.20.2' },
  engine: { name: 'onnxruntime-node', version: '1.30.0', executionProvider: 'cpu' },
  intraOpThreads: 1,
  interOpThreads: 1,
  graphOptimizationLevel: 'all',
  batch: 1,
}

/** A latency measurement: p50 with a MAD of `spread` × p50 over `samples` runs. */
function measured(p50: number, spread = 0.01, samples = 200, conditions: BaselineConditions = CONDITIONS, referenceMs?: number): BaselineMetric {
  const statistics: BaselineStatistics = { samples, p50, mad: p50 * spread, ...(referenceMs !== undefined ? { referenceMs } : {}) }
  return { value: p50, unit: 'ms', direction: 'lower', tolerance: { relative: 0.1 }, statistics, conditions }
}

describe('an exact figure against its baseline', () => {
  it('passes unchanged and regresses on any growth when the tolerance is 0', () => {
    expect(compareFigure('macs', exact(100), exact(100), { kind: 'exact', tolerance: {} })).toEqual({ verdict: 'pass', deltaPct: 0 })
    expect(compareFigure('macs', exact(100), exact(101), { kind: 'exact', tolerance: {} })).toEqual({ verdict: 'regression', deltaPct: 1 })
    expect(compareFigure('macs', exact(100), exact(99), { kind: 'exact', tolerance: {} })).toEqual({ verdict: 'improvement', deltaPct: -1 })
  })

  it('allows the larger of the absolute and the relative tolerance', () => {
    const tolerance = { relative: 0.05, absolute: 8 }
    expect(compareFigure('macs', exact(100), exact(108), { kind: 'exact', tolerance }).verdict).toBe('pass')
    expect(compareFigure('macs', exact(100), exact(109), { kind: 'exact', tolerance }).verdict).toBe('regression')
    expect(compareFigure('macs', exact(1000), exact(1050), { kind: 'exact', tolerance }).verdict).toBe('pass')
  })

  it('reads a drop as the regression when higher is better', () => {
    expect(compareFigure('accuracy', exact(0.9, 'higher'), exact(0.89, 'higher'), { kind: 'exact', tolerance: { absolute: 0.005 } }).verdict).toBe('regression')
    expect(compareFigure('accuracy', exact(0.9, 'higher'), exact(0.91, 'higher'), { kind: 'exact', tolerance: { absolute: 0.005 } }).verdict).toBe('improvement')
  })

  it('has no Δ % against a zero baseline', () => {
    expect(compareFigure('macs', exact(0), exact(4), { kind: 'exact', tolerance: {} })).toEqual({ verdict: 'regression', deltaPct: null })
  })
})

describe('a measured latency against its baseline', () => {
  const options = { kind: 'measured', tolerance: { relative: 0.1 } } as const

  it('regresses only when confidently slower by more than the threshold', () => {
    const result = compareFigure('latency.p50', measured(1), measured(1.3), options)
    expect(result).toMatchObject({ verdict: 'regression', statistics: { ratio: 1.3, threshold: 0.1 } })
    expect(result.note).toMatch(/^ratio 1\.3 \(95 % CI 1\.2\d+–1\.3\d+, current\/baseline\), threshold 10 %: confidently worse$/)
  })

  it('is inconclusive when slower beyond the threshold but too noisy to be sure', () => {
    expect(compareFigure('latency.p50', measured(1, 0.3, 20), measured(1.3, 0.3, 20), options).verdict).toBe('inconclusive')
  })

  it('passes within the threshold, and calls a confident speed-up an improvement', () => {
    expect(compareFigure('latency.p50', measured(1), measured(1.05), options).verdict).toBe('pass')
    expect(compareFigure('latency.p50', measured(1), measured(0.7), options).verdict).toBe('improvement')
  })

  it('uses the wider standard error of a tail percentile', () => {
    const base: BaselineMetric = { ...measured(1, 0.05, 50), statistics: { samples: 50, p50: 1, p99: 1, mad: 0.05 } }
    const cur: BaselineMetric = { ...measured(1.2, 0.05, 50), statistics: { samples: 50, p50: 1.2, p99: 1.2, mad: 0.06 } }
    expect(compareFigure('latency.p50', base, cur, options).verdict).toBe('regression')
    expect(compareFigure('latency.p99', base, cur, options).verdict).toBe('inconclusive')
  })

  it('is incomparable under other conditions, naming them', () => {
    const other = { ...CONDITIONS, intraOpThreads: 4, engine: { ...CONDITIONS.engine, version: '1.31.0' } }
    expect(compareFigure('latency.p50', measured(1), measured(3, 0.01, 200, other), options)).toMatchObject({
      verdict: 'incomparable',
      note: 'measured under different conditions: onnxruntime 1.30.0 vs 1.31.0, intra-op threads 1 vs 4',
    })
  })

  it('compares across machines through calibration only when asked to', () => {
    const faster = { ...CONDITIONS, machine: { ...CONDITIONS.machine, cpu: 'Apple M3' } }
    const base = measured(2, 0.01, 200, CONDITIONS, 10)
    const cur = measured(1, 0.01, 200, faster, 5)
    expect(compareFigure('latency.p50', base, cur, options).verdict).toBe('incomparable')
    expect(compareFigure('latency.p50', base, cur, { ...options, calibrated: true })).toMatchObject({ verdict: 'pass', statistics: { ratio: 1 } })
    const slowerThanItsMachine = measured(1.5, 0.01, 200, faster, 5)
    expect(compareFigure('latency.p50', base, slowerThanItsMachine, { ...options, calibrated: true }).verdict).toBe('regression')
  })

  it('treats throughput as higher-is-better', () => {
    const tp = (v: number, p50: number): BaselineMetric => ({ value: v, unit: 'samples/s', direction: 'higher', tolerance: { relative: 0.1 }, statistics: { samples: 200, p50, mad: p50 * 0.01 }, conditions: CONDITIONS })
    expect(compareFigure('throughput', tp(1000, 1), tp(700, 1.43), options).verdict).toBe('regression')
    expect(compareFigure('throughput', tp(1000, 1), tp(1500, 0.67), options).verdict).toBe('improvement')
  })
})

describe('condition differences', () => {
  it('ignore the Node version, which does not run the model', () => {
    expect(conditionDifferences(CONDITIONS, { ...CONDITIONS, machine: { ...CONDITIONS.machine, node: 'v22.0.0' } })).toEqual([])
  })
})
