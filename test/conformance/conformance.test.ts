import { describe, expect, it } from 'vitest'
import { ERROR_FIXES } from '../../src/errors.js'
import { loadConformance, runConformanceTest, type TestOutcome } from './conformance.js'
import { KNOWN_GAPS } from './known-gaps.js'

const { summary, observed } = loadConformance()
const outcomes: TestOutcome[] = Object.keys(summary).sort().map((test) => runConformanceTest(test, summary[test]!, observed[test]))

describe('shape inference agrees with onnxruntime on the ONNX backend test models', () => {
  it('runs every one of the 1,942 test dirs', () => {
    expect(outcomes).toHaveLength(1942)
  })

  it('throws nothing but documented ModelgateError codes, and no internal error', () => {
    expect(outcomes.filter((o) => o.crash).map((o) => `${o.test}: ${o.crash ?? ''}`)).toEqual([])
    const codes = new Set(outcomes.flatMap((o) => (o.errorCode ? [o.errorCode] : [])))
    for (const code of codes) expect(Object.keys(ERROR_FIXES)).toContain(code)
    expect(outcomes.filter((o) => o.errorCode === 'E_INTERNAL').map((o) => `${o.test}: ${o.errorMessage ?? ''}`)).toEqual([])
  })

  it('gives every tensor onnxruntime observed exactly its dims, except the documented gaps', () => {
    const failures = outcomes.flatMap((o) => [
      ...o.mismatches.map((m) => `${o.test} ${m.tensor}`),
      ...(o.errorCode ? [`${o.test} (${o.errorCode})`] : []),
    ])
    const unexplained = failures.filter((f) => !KNOWN_GAPS.some((gap) => gap.pattern.test(f)))
    expect(unexplained).toEqual([])
  })

  it('lists no gap that no longer occurs', () => {
    const failures = outcomes.flatMap((o) => [...o.mismatches.map((m) => `${o.test} ${m.tensor}`), ...(o.errorCode ? [`${o.test} (${o.errorCode})`] : [])])
    const stale = KNOWN_GAPS.filter((gap) => !failures.some((f) => gap.pattern.test(f))).map((gap) => String(gap.pattern))
    expect(stale).toEqual([])
  })

  it('matches at least 99 % of the observed tensors', () => {
    const observedOutcomes = outcomes.filter((o) => o.kind === 'observed')
    const compared = observedOutcomes.reduce((a, o) => a + o.compared, 0)
    const matched = observedOutcomes.reduce((a, o) => a + o.matched, 0)
    expect(compared).toBe(14_692)
    expect(matched / compared).toBeGreaterThanOrEqual(0.99)
  })
})
