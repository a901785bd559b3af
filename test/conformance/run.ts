/**
 * CLI over the conformance comparison:
 *   node --import tsx test/conformance/run.ts [--grep REGEX] [--verbose] [--json]
 * Prints tensors matched / compared, per producing op type, and each mismatch with --verbose.
 */
import { parseArgs } from 'node:util'
import { conformanceTests, loadConformance, runConformanceTest, type TestOutcome } from './conformance.js'

const { values } = parseArgs({ options: { grep: { type: 'string' }, verbose: { type: 'boolean' }, json: { type: 'boolean' } } })
const data = loadConformance()
const re = values.grep ? new RegExp(values.grep) : undefined
const outcomes: TestOutcome[] = []
for (const test of conformanceTests(data)) {
  if (re && !re.test(test)) continue
  outcomes.push(runConformanceTest(data, test))
}
const sum = (f: (o: TestOutcome) => number): number => outcomes.reduce((a, o) => a + f(o), 0)
const observedOutcomes = outcomes.filter((o) => o.kind === 'observed')
const byOp = new Map<string, { bad: number }>()
for (const o of outcomes) for (const m of o.mismatches) byOp.set(m.producer, { bad: (byOp.get(m.producer)?.bad ?? 0) + 1 })
const errors = new Map<string, string[]>()
for (const o of outcomes) if (o.errorCode) errors.set(o.errorCode, [...(errors.get(o.errorCode) ?? []), o.test])
const crashes = outcomes.filter((o) => o.crash)
const unknown = new Map<string, number>()
for (const o of outcomes) for (const u of o.unknownOps) unknown.set(u, (unknown.get(u) ?? 0) + 1)
const report = {
  tests: outcomes.length,
  observedTests: observedOutcomes.length,
  observedTensors: observedOutcomes.reduce((a, o) => a + o.compared, 0),
  observedMatched: observedOutcomes.reduce((a, o) => a + o.matched, 0),
  expectedOutputTests: outcomes.length - observedOutcomes.length,
  expectedOutputsCompared: sum((o) => (o.kind === 'expected-outputs' ? o.compared : 0)),
  expectedOutputsMatched: sum((o) => (o.kind === 'expected-outputs' ? o.matched : 0)),
  testsWithError: Object.fromEntries([...errors].map(([k, v]) => [k, v.length])),
  crashes: crashes.length,
  mismatchesByProducer: Object.fromEntries([...byOp].sort((a, b) => b[1].bad - a[1].bad).map(([k, v]) => [k, v.bad])),
  unknownOps: Object.fromEntries(unknown),
}
if (values.json) {
  console.log(JSON.stringify({ ...report, outcomes }, null, 2))
} else {
  console.log(JSON.stringify(report, null, 2))
  if (values.verbose) {
    for (const o of outcomes) {
      if (o.crash) console.log(`CRASH ${o.test}: ${o.crash.split('\n').slice(0, 4).join(' | ')}`)
      if (o.errorCode) console.log(`ERROR ${o.test}: ${o.errorCode} ${o.errorMessage ?? ''}`)
      for (const m of o.mismatches) console.log(`MISMATCH ${o.test} ${m.tensor} (${m.producer}): expected ${JSON.stringify(m.expected)} got ${JSON.stringify(m.actual)}`)
    }
  }
}
