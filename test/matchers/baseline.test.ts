import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { gitBlobId, serializeBaseline, type BaselineEntry, type BaselineFile } from '../../src/baseline/index.js'
import type { GateContext } from '../../src/matchers/context.js'
import { fakeTask, matcherState, plain, type Outcome } from './state.js'

const ROOT = resolve('.')
const DIR = mkdtempSync(join(tmpdir(), 'modelgate-baseline-matcher-'))
const context = vi.hoisted(() => ({ value: undefined as unknown }))

vi.mock('../../src/matchers/context.js', async (original) => ({
  ...(await original<object>()),
  gateContext: () => context.value,
}))

// The plugin's setup file loaded the matchers with the real context before this file's mock: load them again.
vi.resetModules()
const { BASELINE_MATCHERS, recordMetric } = await import('../../src/matchers/index.js')

const CONV = 'fixtures/conv/model.onnx'
const BASELINE_FILE = join(DIR, 'test/a.test.ts.json')

/** A message without colours, the temp folder written as `<dir>`. */
function messageOf(outcome: Outcome): string {
  return plain(outcome.message()).split(relative(ROOT, DIR)).join('<dir>')
}

function setContext(update: GateContext['update'], extra: Partial<GateContext> = {}): void {
  context.value = { root: ROOT, baselineDir: DIR, update, tolerance: {}, calibrated: false, metrics: [], bench: {}, ...extra } satisfies GateContext
}

function commit(entries: Record<string, BaselineEntry>): void {
  mkdirSync(join(DIR, 'test'), { recursive: true })
  writeFileSync(BASELINE_FILE, serializeBaseline({ schema: 'modelgate-baseline/1', entries }))
}

async function check(options: object = {}, received: unknown = CONV, isNot = false) {
  const task = fakeTask('conv is gated', join(ROOT, 'test/a.test.ts'))
  const fn = BASELINE_MATCHERS.toMatchBaseline as (this: unknown, received: unknown, options?: object) => Promise<Outcome>
  const outcome = await fn.call(matcherState({ isNot, task }), received, options)
  return { outcome, records: task.meta.modelgate!, task }
}

async function committedEntry(options: object = {}): Promise<BaselineEntry> {
  setContext('new')
  const { records } = await check(options)
  return records.baselines[0]!.next!
}

beforeEach(() => {
  rmSync(join(DIR, 'test'), { recursive: true, force: true })
  setContext('new')
})
afterAll(() => rmSync(DIR, { recursive: true, force: true }))

describe('toMatchBaseline without a committed entry', () => {
  it('passes locally and sends the new entry to the reporter', async () => {
    const { outcome, records } = await check()
    expect(outcome.pass).toBe(true)
    expect(records.baselines).toHaveLength(1)
    const check0 = records.baselines[0]!
    expect(check0.file).toBe(relative(ROOT, BASELINE_FILE))
    expect(check0.key).toBe('conv is gated › fixtures/conv/model.onnx')
    expect(check0.next).toMatchObject({ model: CONV, costModelVersion: '1.0.0', shapes: {}, dims: {} })
    expect(Object.keys(check0.next!.metrics)).toEqual(['params', 'macs', 'flops', 'sizeBytes', 'memoryAccessBytes', 'peakActivationBytes'])
    expect(records.results.map((r) => r.verdict)).toEqual(['new', 'new', 'new', 'new', 'new', 'new'])
  })

  it('fails on CI, naming the missing entry and writing nothing', async () => {
    setContext('none')
    const { outcome, records } = await check({ metrics: ['params'] })
    expect(outcome.pass).toBe(false)
    expect(records.baselines[0]!.next).toBeNull()
    expect(messageOf(outcome).split('\n').slice(0, 3).join('\n')).toMatchInlineSnapshot(`
      "expect(model).toMatchBaseline(options)

      fixtures/conv/model.onnx has no baseline for params in <dir>/test/a.test.ts.json, entry "conv is gated › fixtures/conv/model.onnx". Run the tests locally (or with \`vitest run -u\`) and commit the new baseline file: CI never writes baselines."
    `)
  })
})

describe('toMatchBaseline against a committed entry', () => {
  it('passes unchanged figures and changes nothing', async () => {
    commit({ 'conv is gated › fixtures/conv/model.onnx': await committedEntry() })
    const { outcome, records } = await check()
    expect(outcome.pass).toBe(true)
    expect(records.baselines[0]!.next).toBeNull()
    expect(records.results.every((r) => r.verdict === 'pass')).toBe(true)
  })

  it('fails a heavier model with baseline → current, Δ % and the tolerance per metric', async () => {
    commit({ 'conv is gated › fixtures/conv/model.onnx': await committedEntry({ metrics: ['params', 'macs'] }) })
    const { outcome, records } = await check({ metrics: ['params', 'macs'] }, await heavier())
    expect(outcome.pass).toBe(false)
    expect(messageOf(outcome)).toMatchInlineSnapshot(`
      "expect(model).toMatchBaseline(options)

      fixtures/conv/model.onnx regressed against its baseline (<dir>/test/a.test.ts.json, entry "conv is gated › fixtures/conv/model.onnx"): params 224 params → 448 params (+100 %, tolerance exact); macs 13.82 k MACs (13,824) → 27.65 k MACs (27,648) (+100 %, tolerance exact).

      metric  baseline               current                Δ       tolerance  verdict
      ──────  ─────────────────────  ─────────────────────  ──────  ─────────  ──────────
      params  224 params             448 params             +100 %  exact      REGRESSION
      macs    13.82 k MACs (13,824)  27.65 k MACs (27,648)  +100 %  exact      REGRESSION

      The model file changed since the baseline was written (its SHA-256 differs).

      If the change is intended, accept it with \`vitest run -u\` (or \`modelgate test --update-baselines\`) and commit <dir>/test/a.test.ts.json."
    `)
    expect(records.results.map((r) => [r.metric, r.verdict, r.deltaPct])).toEqual([['params', 'regression', 100], ['macs', 'regression', 100]])
  })

  it('reports a lighter model as an improvement and passes', async () => {
    commit({ 'conv is gated › fixtures/conv/model.onnx': await committedEntry({ metrics: ['params'] }) })
    const { loadModel } = await import('../../src/model/index.js')
    const { outcome, records } = await check({ metrics: ['params'] }, await loadModel('fixtures/depthwise/model.onnx', { name: CONV }))
    expect(outcome.pass).toBe(true)
    expect(records.results[0]).toMatchObject({ verdict: 'improvement', baseline: 224, current: 72 })
  })

  it('accepts a change within the matcher\'s tolerance, which wins over the plugin\'s', async () => {
    commit({ 'conv is gated › fixtures/conv/model.onnx': await committedEntry({ metrics: ['params'] }) })
    setContext('new', { tolerance: { params: { relative: 0 } } })
    const heavy = await heavier()
    expect((await check({ metrics: ['params'] }, heavy)).outcome.pass).toBe(false)
    expect((await check({ metrics: ['params'], tolerance: { relative: 1 } }, heavy)).outcome.pass).toBe(true)
    expect((await check({ metrics: ['params'], tolerance: { params: { absolute: 300 } } }, heavy)).outcome.pass).toBe(true)
  })

  it('rewrites a regressed entry in update mode, and passes', async () => {
    commit({ 'conv is gated › fixtures/conv/model.onnx': await committedEntry({ metrics: ['params'] }) })
    setContext('all')
    const { outcome, records } = await check({ metrics: ['params'] }, await heavier())
    expect(outcome.pass).toBe(true)
    expect(records.baselines[0]!.next!.metrics.params!.value).toBe(448)
    expect(records.results[0]!.verdict).toBe('updated')
  })

  it('fails .not when every metric matches', async () => {
    commit({ 'conv is gated › fixtures/conv/model.onnx': await committedEntry({ metrics: ['params'] }) })
    const { outcome } = await check({ metrics: ['params'] }, CONV, true)
    expect(outcome.pass).toBe(true)
    expect(messageOf(outcome).split('\n')[2]).toMatch(/^fixtures\/conv\/model\.onnx matches its baseline \(.*\); expected a regression\.$/)
  })
})

describe('toMatchBaseline of a broken baseline file', () => {
  it('fails with the file, unless the run updates', async () => {
    mkdirSync(join(DIR, 'test'), { recursive: true })
    writeFileSync(BASELINE_FILE, '{ "schema": "modelgate-baseline/1", "entries": { "x": 1 } }')
    await expect(check({ metrics: ['params'] })).rejects.toMatchObject({ code: 'E_BASELINE_SCHEMA', message: expect.stringContaining('a.test.ts.json is invalid at $.entries.x: must be object, got 1') })
    setContext('all')
    const { outcome, records } = await check({ metrics: ['params'] })
    expect(outcome.pass).toBe(true)
    expect(records.baselines[0]!.next).not.toBeNull()
    expect(records.results[0]!.note).toContain('rewritten from this run')
  })
})

describe('toMatchBaseline of a recorded metric', () => {
  it('takes the figure an earlier matcher of the test recorded, higher being better', async () => {
    const first = fakeTask('conv is gated', join(ROOT, 'test/a.test.ts'))
    recordMetric({ model: CONV, metric: 'accuracy', unit: 'ratio', direction: 'higher', baseline: null, current: 0.91, deltaPct: null, tolerance: {}, verdict: 'within-budget' }, { task: first })
    const fn = BASELINE_MATCHERS.toMatchBaseline as (this: unknown, received: unknown, options?: object) => Promise<Outcome>
    await fn.call(matcherState({ task: first }), CONV, { metrics: ['accuracy'] })
    expect(first.meta.modelgate!.baselines[0]!.next!.metrics.accuracy).toEqual({ value: 0.91, unit: 'ratio', direction: 'higher', tolerance: { absolute: 0 } })
  })

  it('refuses a metric nobody recorded', async () => {
    await expect(check({ metrics: ['accuracy'] })).rejects.toMatchObject({ code: 'E_GATE_OPTION' })
  })
})

describe('toMatchBaseline keys', () => {
  it('number a second check of the same model in one test', async () => {
    const task = fakeTask('twice', join(ROOT, 'test/a.test.ts'))
    const fn = BASELINE_MATCHERS.toMatchBaseline as (this: unknown, received: unknown, options?: object) => Promise<Outcome>
    await fn.call(matcherState({ task }), CONV, { metrics: ['params'] })
    await fn.call(matcherState({ task }), CONV, { metrics: ['macs'] })
    expect(task.meta.modelgate!.baselines.map((b) => b.key)).toEqual(['twice › fixtures/conv/model.onnx', 'twice › fixtures/conv/model.onnx (2)'])
  })
})

/** The conv fixture with twice the output channels, written next to the baselines. */
describe('latency rows: same model, paired, unpaired (real runner, verdicts not asserted where they depend on timing)', () => {
  const quick = { latency: { sessions: 1, maxTime: 1500 }, bench: { time: 40, warmupIterations: 2 } } satisfies Partial<GateContext>
  const options = { metrics: ['latency.p50'] }

  it('writes the git blob id and the sessions\' values, the figure being their geometric mean', async () => {
    setContext('new', quick)
    const { records } = await check(options)
    const entry = records.baselines[0]!.next!
    expect(entry.gitBlob).toBe(gitBlobId(readFileSync(CONV)))
    const metric = entry.metrics['latency.p50']!
    const sessions = metric.statistics!.sessions!
    // The test's own measurement plus `sessions: 1` child process.
    expect(sessions).toHaveLength(2)
    expect(metric.value).toBe(Number(Math.sqrt(sessions[0] * sessions[1]).toPrecision(4)))
  })

  it('the same bytes under the same conditions pass as "unchanged (same model)", never a latency verdict', async () => {
    setContext('new', quick)
    commit({ 'conv is gated › fixtures/conv/model.onnx': (await check(options)).records.baselines[0]!.next! })
    setContext('none', quick)
    const { outcome, records } = await check(options)
    expect(outcome.pass).toBe(true)
    expect(records.results[0]).toMatchObject({ metric: 'latency.p50', verdict: 'pass', pairing: 'same-model' })
    expect(records.results[0]!.note).toMatch(/^unchanged \(same model\): the SHA-256 and the measurement conditions equal the baseline's/)
  })

  it('a changed model is paired with the baseline\'s bytes (here named by baselineModel)', async () => {
    setContext('new', quick)
    commit({ 'conv is gated › fixtures/conv/model.onnx': (await check(options)).records.baselines[0]!.next! })
    setContext('none', quick)
    const { records } = await check({ ...options, baselineModel: CONV }, await heavier())
    const row = records.results[0]!
    expect(row).toMatchObject({ metric: 'latency.p50', pairing: 'paired' })
    expect(['pass', 'regression', 'improvement', 'inconclusive']).toContain(row.verdict)
    expect(row.note).toMatch(/^paired with the baseline's bytes \(baselineModel fixtures\/conv\/model\.onnx\) in \d+ interleaved rounds/)
    expect(['decided', 'time-cap']).toContain(row.statistics?.stoppedBy)
  })

  it('a changed model whose old bytes cannot be found is unpaired, and says why', async () => {
    setContext('new', quick)
    const entry = (await check(options)).records.baselines[0]!.next!
    commit({ 'conv is gated › fixtures/conv/model.onnx': { ...entry, sha256: 'f'.repeat(64), gitBlob: 'e'.repeat(40) } })
    setContext('none', quick)
    const { records } = await check(options)
    expect(records.results[0]).toMatchObject({ metric: 'latency.p50', pairing: 'unpaired' })
    // Whether this checkout has a .git or not, the old bytes are nowhere: the note says so and how to fix it.
    expect(records.results[0]!.note).toMatch(/^unpaired \(the baseline's model bytes were not found: .*; fetch enough history \(actions\/checkout with fetch-depth: 0; lfs: true for LFS models\), or name the old bytes with baselineModel or --baseline-ref\)/)
  })
})

describe('a count past 2^53 in the gate report', () => {
  // 2^80 = 1,208,925,819,614,629,174,706,176: hugeLoop's MACs (2^62 trips × a 64×64 MatMul of 64³ = 2^18 MACs)
  const TWO_80 = '1208925819614629174706176'
  const BELOW = '1208925819614629174706175'

  it('a change of 1 at 2^80 MACs is a regression row with both exact counts, through the JSON, markdown, terminal, read and merge', async () => {
    expect((2n ** 80n).toString()).toBe(TWO_80)
    expect((2n ** 80n - 1n).toString()).toBe(BELOW)
    const { hugeLoop } = await import('../analysis/huge-models.js')
    const path = join(DIR, 'loop.onnx')
    hugeLoop().writeTo(path)
    setContext('new')
    const first = await check({ metrics: ['macs'] }, path)
    expect(first.records.results[0]).toMatchObject({ metric: 'macs', baseline: null, current: TWO_80, verdict: 'new' })
    // the committed entry says 2^80 − 1: this run's 2^80 is one MAC more
    const { key, next } = first.records.baselines[0]!
    commit({ [key]: { ...next!, metrics: { macs: { ...next!.metrics.macs!, value: BELOW } } } })
    setContext('none')
    const { outcome, records } = await check({ metrics: ['macs'] }, path)
    expect(outcome.pass).toBe(false)
    const row = records.results[0]!
    expect(row).toMatchObject({ metric: 'macs', unit: 'MACs', baseline: BELOW, current: TWO_80, verdict: 'regression' })
    // Δ = 1 / (2^80 − 1) × 100 %, within a double's precision of 100 / 2^80 (2^80 is exact as a double)
    expect(Math.abs(row.deltaPct! / (100 / 2 ** 80) - 1)).toBeLessThan(1e-12)

    const { publishReport, readReport, mergeReports } = await import('../../src/report/index.js')
    const report = { schema: 'modelgate-report/1' as const, modelgateVersion: '0.1.0', costModelVersion: '1.0.0', shards: ['1/2'], results: [{ ...row, test: { file: 'test/a.test.ts', name: 'conv is gated' } }], updateCommand: 'npx vitest run -u' }
    let stdout = ''
    const paths = await publishReport(report, { dir: join(DIR, 'report'), env: {}, stdout: { write: (s: string) => (stdout += s) } })
    const json = readFileSync(paths.jsonPath, 'utf8')
    expect(json).toContain(`"baseline": "${BELOW}"`)
    expect(json).toContain(`"current": "${TWO_80}"`)
    // both round to 1.209 Y MACs: every digit is shown, and Δ keeps two significant digits instead of +0.00 %
    const cells = '| MACs | 1,208,925,819,614,629,174,706,175 MACs | 1,208,925,819,614,629,174,706,176 MACs | +8.3e-23 % | exact |'
    expect(readFileSync(paths.markdownPath, 'utf8')).toContain(`| ❌ regression | `)
    expect(readFileSync(paths.markdownPath, 'utf8')).toContain(cells)
    expect(stdout).toContain('1,208,925,819,614,629,174,706,175 MACs  1,208,925,819,614,629,174,706,176 MACs  +8.3e-23 %')
    // read back and merged with another shard, the digits are unchanged
    const read = await readReport(paths.jsonPath)
    expect(read).toEqual(report)
    const merged = mergeReports([read, { ...read, shards: ['2/2'], results: [] }])
    expect(merged.results).toEqual(report.results)
    expect(merged.results[0]!.current).toBe(TWO_80)
  })

  it('a budget row holds the exact count too', async () => {
    const { hugeLoop } = await import('../analysis/huge-models.js')
    const { STATIC_MATCHERS } = await import('../../src/matchers/index.js')
    const path = join(DIR, 'loop.onnx')
    hugeLoop().writeTo(path)
    const task = fakeTask()
    const fn = STATIC_MATCHERS.toHaveMacsBelow as (this: unknown, received: unknown, limit: number) => Outcome
    expect(fn.call(matcherState({ task }), path, 2 ** 81).pass).toBe(true)
    expect(task.meta.modelgate!.results[0]).toMatchObject({ metric: 'macs', current: TWO_80, verdict: 'within-budget', budget: 2 ** 81 })
  })
})

async function heavier(): Promise<string> {
  const { convModel } = await import('../e2e/harness.js')
  const path = join(DIR, 'wide.onnx')
  writeFileSync(path, convModel(16))
  const { loadModel } = await import('../../src/model/index.js')
  return (await loadModel(path, { name: CONV })) as unknown as string
}

export type { BaselineFile }
