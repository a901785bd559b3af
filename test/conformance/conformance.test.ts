import { describe, expect, it } from 'vitest'
import { ERROR_FIXES } from '../../src/errors.js'
import { conformanceTests, loadConformance, runConformanceTest, type TestOutcome } from './conformance.js'

// the in-repository archive (data/README.md): nothing outside the repository is read
const data = loadConformance()
const outcomes: TestOutcome[] = conformanceTests(data).map((test) => runConformanceTest(data, test))

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

  it('gives every tensor onnxruntime observed, and every expected output, exactly its dims', () => {
    const failures = outcomes.flatMap((o) => [
      ...o.mismatches.map((m) => `${o.test} ${m.tensor} (${m.producer}): expected ${JSON.stringify(m.expected)}, got ${JSON.stringify(m.actual)}`),
      ...(o.errorCode ? [`${o.test}: ${o.errorCode}`] : []),
    ])
    expect(failures).toEqual([])
  })

  it('knows every op of the data: no unknown op is left', () => {
    expect(outcomes.flatMap((o) => o.unknownOps.map((u) => `${o.test}: ${u}`))).toEqual([])
  })

  it('compares all 14,692 observed tensors and 452 expected outputs', () => {
    const count = (kind: TestOutcome['kind'], f: (o: TestOutcome) => number): number => outcomes.filter((o) => o.kind === kind).reduce((a, o) => a + f(o), 0)
    expect(count('observed', (o) => o.compared)).toBe(14_692)
    expect(count('observed', (o) => o.matched)).toBe(14_692)
    expect(count('expected-outputs', (o) => o.compared)).toBe(452)
    expect(count('expected-outputs', (o) => o.matched)).toBe(452)
  })
})
