import { describe, expect, it } from 'vitest'
import { compareFigure, conditionDifferences, intervalVerdict, logSpread, sessionsCenter, smallestDetectableChange, type BaselineConditions, type BaselineMetric, type BaselineStatistics, type PairedEvidence } from '../../src/baseline/index.js'
import { ratioOfMedians } from '../../src/bench/stats.js'

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

  it('is incomparable under other conditions, naming them', () => {
    const other = { ...CONDITIONS, intraOpThreads: 4, engine: { ...CONDITIONS.engine, version: '1.31.0' } }
    expect(compareFigure('latency.p50', measured(1), measured(3, 0.01, 200, other), options)).toMatchObject({
      verdict: 'incomparable',
      pairing: 'unpaired',
      note: 'unpaired, and measured under different conditions: onnxruntime 1.30.0 vs 1.31.0, intra-op threads 1 vs 4',
    })
  })

  it('compares across machines through calibration only when asked to', () => {
    const faster = { ...CONDITIONS, machine: { ...CONDITIONS.machine, cpu: 'Apple M3' } }
    // Three sessions within ±1 %: a 50 % slowdown relative to the machine is far outside their spread.
    const base = withSessions(measured(2, 0.01, 200, CONDITIONS, 10), [2, 2.02, 1.98])
    const cur = measured(1, 0.01, 200, faster, 5)
    expect(compareFigure('latency.p50', base, cur, options).verdict).toBe('incomparable')
    expect(compareFigure('latency.p50', base, cur, { ...options, calibrated: true })).toMatchObject({ verdict: 'pass', statistics: { ratio: 1 } })
    const slowerThanItsMachine = measured(1.5, 0.01, 200, faster, 5)
    expect(compareFigure('latency.p50', base, slowerThanItsMachine, { ...options, calibrated: true }).verdict).toBe('regression')
  })
})

function withSessions(metric: BaselineMetric, sessions: [number, number, ...number[]]): BaselineMetric {
  return { ...metric, statistics: { ...metric.statistics!, sessions } }
}

describe('the same bytes under the same conditions (recorded: the issue\'s 20-conv chain, baseline run 16 % slow)', () => {
  const options = { kind: 'measured', tolerance: { relative: 0.1 }, evidence: { sameModel: true } } as const
  // The baseline run measured 6.0 ms; the same model measured 5.054 ms in a later CI run (ratio 0.8423), and
  // within-run MADs of 1 % made the old rule print "confidently better".
  it('gives no verdict, however far the figures moved: "unchanged (same model)"', () => {
    for (const current of [5.054, 6.0, 7.8]) {
      const result = compareFigure('latency.p50', measured(6.0), measured(current), options)
      expect(result.verdict).toBe('pass')
      expect(result.pairing).toBe('same-model')
    }
    expect(compareFigure('latency.p50', measured(6.0), measured(5.054), options).note).toBe(
      'unchanged (same model): the SHA-256 and the measurement conditions equal the baseline\'s, so the −15.8 % difference between the runs is noise; no latency verdict',
    )
  })

  it('is incomparable when the conditions or the input shapes differ, naming the fields', () => {
    const other = { ...CONDITIONS, batch: 8, engine: { ...CONDITIONS.engine, executionProvider: 'xnnpack' } }
    expect(compareFigure('latency.p50', measured(6.0), measured(7.0, 0.01, 200, other), options)).toMatchObject({
      verdict: 'incomparable',
      pairing: 'same-model',
      note: 'same model (SHA-256 equal), but measured under different conditions: execution provider cpu vs xnnpack, batch 1 vs 8',
    })
    const shapes = { ...options, evidence: { sameModel: true, otherDifferences: ['shapes {"x":[1,3,8,8]} vs {"x":[1,3,16,16]}'] } }
    expect(compareFigure('latency.p50', measured(6.0), measured(7.0), shapes).note).toBe('same model (SHA-256 equal), but measured under different conditions: shapes {"x":[1,3,8,8]} vs {"x":[1,3,16,16]}')
  })
})

describe('a paired run against the baseline\'s bytes', () => {
  const paired = (ratio: number, ci: [number, number]): PairedEvidence => ({ ratio, ci, rounds: 400, elapsedMs: 6200, stoppedBy: 'decided', baselineMs: 6, currentMs: 6 * ratio, source: 'git object 0123456789ab' })
  const judge = (p: PairedEvidence, relative = 0.1) => compareFigure('latency.p50', measured(6.0), measured(6 * p.ratio), { kind: 'measured', tolerance: { relative }, evidence: { sameModel: false, paired: p } })

  it('regresses when the interval\'s low end is above 1 + t, improves when its high end is below 1/(1 + t)', () => {
    expect(judge(paired(1.18, [1.12, 1.25]))).toMatchObject({ verdict: 'regression', pairing: 'paired', statistics: { ratio: 1.18, ciLow: 1.12, ciHigh: 1.25, rounds: 400 } })
    // 1/(1.1) = 0.90909…: 0.88 is below it.
    expect(judge(paired(0.84, [0.8, 0.88])).verdict).toBe('improvement')
    // +10 % with a 5 % threshold: 1.06 > 1.05.
    expect(judge(paired(1.1, [1.06, 1.14]), 0.05).verdict).toBe('regression')
  })

  it('passes when the whole interval lies within the bounds, whatever the committed figure says', () => {
    // The committed figure was 6.0 ms, the current run's 30 % higher: the paired ratio decides.
    const result = compareFigure('latency.p50', measured(6.0), measured(7.8), { kind: 'measured', tolerance: { relative: 0.1 }, evidence: { sameModel: false, paired: paired(1.01, [0.97, 1.04]) } })
    expect(result).toMatchObject({ verdict: 'pass', pairing: 'paired' })
    expect(result.note).toBe('paired with the baseline\'s bytes (git object 0123456789ab) in 400 interleaved rounds (6.2 s): ratio 1.01 (95 % CI 0.97–1.04, current/baseline), threshold 10 %: within the threshold')
  })

  it('judges an absolute tolerance in the metric\'s own unit: samples/s for throughput, not ms', () => {
    // Committed 160 samples/s; the paired run is 20 % slower (6 → 7.2 ms), so throughput drops by 160 × (1 − 6/7.2) = 26.7 samples/s.
    const throughput = (value: number): BaselineMetric => ({ value, unit: 'samples/s', direction: 'higher', tolerance: { relative: 0.1 }, statistics: { samples: 200, p50: 6 }, conditions: CONDITIONS })
    const slower = paired(1.2, [1.15, 1.25])
    const judgeThroughput = (absolute: number) => compareFigure('throughput', throughput(160), throughput(160 / 1.2), { kind: 'measured', tolerance: { relative: 0.1, absolute }, evidence: { sameModel: false, paired: slower } })
    // the 1.2 ms difference of the medians must not pass for 5 samples/s
    expect(judgeThroughput(5).verdict).toBe('regression')
    expect(judgeThroughput(30)).toMatchObject({ verdict: 'pass', pairing: 'paired' })
    // latency keeps its ms: 7.2 − 6 = 1.2 ms
    expect(compareFigure('latency.p50', measured(6.0), measured(7.2), { kind: 'measured', tolerance: { relative: 0.1, absolute: 1.5 }, evidence: { sameModel: false, paired: slower } }).verdict).toBe('pass')
    expect(compareFigure('latency.p50', measured(6.0), measured(7.2), { kind: 'measured', tolerance: { relative: 0.1, absolute: 1 }, evidence: { sameModel: false, paired: slower } }).verdict).toBe('regression')
  })

  it('is inconclusive when undecided at the time cap, with the smallest slowdown it could have detected', () => {
    // (1 + t)·r/lo − 1 = 1.1 × 1.10 / 1.05 − 1 = 0.152380…
    const result = judge({ ...paired(1.1, [1.05, 1.16]), stoppedBy: 'time-cap' })
    expect(result).toMatchObject({ verdict: 'inconclusive', pairing: 'paired', statistics: { smallestDetectable: 0.1524 } })
    expect(result.note).toMatch(/undecided at the time cap; the smallest slowdown this run could have detected is 15\.2 %$/)
    expect(smallestDetectableChange(1.1, [1.05, 1.16], 0.1)).toBeCloseTo(1.1 * 1.1 / 1.05 - 1, 12)
  })

  it('takes its interval from ratioOfMedians over interleaved rounds', () => {
    // Every B sample is exactly 1.2 × its A partner: every bootstrap replicate gives 1.2, so the CI is [1.2, 1.2].
    const a = [[6.0, 6.1], [5.9, 6.3], [6.2, 6.0], [6.05, 5.95]]
    const b = a.map((round) => round.map((v) => v * 1.2))
    const estimate = ratioOfMedians(a, b, { replicates: 200, seed: 3 })
    expect(estimate.ratio).toBeCloseTo(1.2, 12)
    expect(judge(paired(estimate.ratio, [estimate.ci[0], estimate.ci[1]])).verdict).toBe('regression')
  })

  it('reads interval outcomes against both bounds', () => {
    expect(intervalVerdict([1.11, 1.3], 0.1)).toBe('regression')
    expect(intervalVerdict([0.7, 0.9], 0.1)).toBe('improvement')
    expect(intervalVerdict([0.95, 1.05], 0.1)).toBe('pass')
    expect(intervalVerdict([1.05, 1.15], 0.1)).toBe('undecided')
    expect(intervalVerdict([0.85, 0.95], 0.1)).toBe('undecided')
  })
})

describe('an unpaired comparison (the old bytes cannot be had)', () => {
  const options = (reason?: string) => ({ kind: 'measured', tolerance: { relative: 0.1 }, evidence: { sameModel: false, ...(reason === undefined ? {} : { unpairedReason: reason }) } }) as const

  it('never claims a regression or an improvement from one process\'s samples, and says so', () => {
    // Within-run MADs of 1 % over 200 samples: the old rule called both of these "confident".
    const slower = compareFigure('latency.p50', measured(6.0), measured(7.8), options('a shallow clone'))
    expect(slower).toMatchObject({ verdict: 'inconclusive', pairing: 'unpaired' })
    expect(slower.note).toBe('unpaired (a shallow clone): ratio 1.3 (current/baseline), threshold 10 %; the baseline records no between-run spread, and one process\'s samples cannot show it, so no regression or improvement is claimed')
    expect(compareFigure('latency.p50', measured(6.0), measured(4.2), options()).verdict).toBe('inconclusive')
    expect(compareFigure('latency.p50', measured(6.0), measured(6.3), options()).verdict).toBe('pass')
    expect(slower.note).not.toContain('confident')
  })

  it('uses a prediction interval from the spread of the sessions recorded with the baseline', () => {
    const sessions: [number, number, ...number[]] = [6.0, 6.3, 5.7, 6.6, 5.4]
    // Hand-worked: logs 1.79176, 1.84055, 1.74047, 1.88707, 1.68640; mean 1.78925; SD (k − 1) s = 0.079317;
    // half-width t(0.975, 4)·s·√(1 + 1/5) = 2.776 × 0.079317 × 1.095445 = 0.24120 → factor e^0.24120 = 1.27278.
    // The baseline value is the sessions' geometric mean, e^1.78925 = 5.98495 ms.
    const base = withSessions({ ...measured(5.98495), value: 5.98495 }, sessions)
    expect(sessionsCenter(sessions)).toBeCloseTo(5.98495, 4)
    expect(logSpread(sessions)).toBeCloseTo(0.079317, 5)
    const at = (ms: number) => compareFigure('latency.p50', base, measured(ms), options('the baseline\'s model bytes were not found'))
    // 9.0 ms: r = 1.50377, low end 1.50377 / 1.27278 = 1.18149 > 1.1.
    expect(at(9.0)).toMatchObject({ verdict: 'regression', pairing: 'unpaired', statistics: { ratio: 1.504, ciLow: 1.181, sessions: 5 } })
    // 7.2 ms: r = 1.20302, low end 0.94519: beyond the threshold, but within what separate runs show.
    expect(at(7.2).verdict).toBe('inconclusive')
    expect(at(6.3).verdict).toBe('pass')
    // 3.9 ms: r = 0.65163, high end 0.82938 < 1/1.1.
    expect(at(3.9).verdict).toBe('improvement')
  })

  it('treats throughput as higher-is-better', () => {
    const tp = (v: number): BaselineMetric => ({ value: v, unit: 'samples/s', direction: 'higher', tolerance: { relative: 0.1 }, statistics: { samples: 200, p50: 1000 / v, mad: 0.01 }, conditions: CONDITIONS })
    const base = withSessions(tp(1000), [1000, 1010, 990])
    expect(compareFigure('throughput', base, tp(700), options()).verdict).toBe('regression')
    expect(compareFigure('throughput', base, tp(1500), options()).verdict).toBe('improvement')
    expect(compareFigure('throughput', tp(1000), tp(700), options()).verdict).toBe('inconclusive')
  })
})

describe('condition differences', () => {
  it('ignore the Node version, which does not run the model', () => {
    expect(conditionDifferences(CONDITIONS, { ...CONDITIONS, machine: { ...CONDITIONS.machine, node: 'v22.0.0' } })).toEqual([])
  })
})
