import { describe, expect, test } from 'vitest'
import { mergeReports, renderMarkdown, sortResults } from '../../src/report/index.js'
import type { MetricResult } from '../../src/report/types.js'
import { latency, report, result, staticFigures } from './sample-reports.js'

/** What an unsharded run over two test files reports. */
const fileA: MetricResult[] = [
  ...staticFigures('models/resnet18.onnx').map((r) => ({ ...r, test: { file: 'test/resnet.test.ts', name: 'resnet18 stays within budget', line: 8 } })),
  { ...latency('models/resnet18.onnx', 12, 14, { verdict: 'regression' }), test: { file: 'test/resnet.test.ts', name: 'resnet18 latency', line: 20 } },
]
const fileB: MetricResult[] = [
  ...staticFigures('models/mobilenet.onnx', 0.3).map((r) => ({ ...r, test: { file: 'test/mobile.test.ts', name: 'mobilenet figures', line: 5 } })),
  { ...result({ model: 'models/mobilenet.onnx', metric: 'accuracy', unit: 'ratio', direction: 'higher', baseline: 0.718, current: 0.72, verdict: 'pass' }), test: { file: 'test/mobile.test.ts', name: 'mobilenet accuracy', line: 30 } },
]
const retired = result({ model: 'models/retired.onnx', metric: 'params', baseline: 42, current: null, verdict: 'obsolete' })
const unsharded = report([...fileA, ...fileB, retired])

/** A shard sees the other shard's baseline entries as obsolete: that is what the merge must undo. */
function obsoleteFrom(results: readonly MetricResult[]): MetricResult[] {
  return results.map((r) => ({ model: r.model, metric: r.metric, unit: r.unit, direction: r.direction, baseline: r.baseline, current: null, deltaPct: null, tolerance: r.tolerance, verdict: 'obsolete' as const }))
}

describe('mergeReports', () => {
  test('two shard reports merge into the figures of an unsharded run', () => {
    const shard1 = report([...fileB.slice(2), ...fileA, ...obsoleteFrom(fileB), retired].reverse(), { shards: ['1/2'] })
    const shard2 = report([...fileB, ...obsoleteFrom(fileA), retired], { shards: ['2/2'] })
    const merged = mergeReports([shard2, shard1])
    expect(merged).toEqual({ ...unsharded, shards: ['1/2', '2/2'], results: sortResults(unsharded.results) })
    expect(renderMarkdown(merged).split('\n')[1]).toBe(renderMarkdown(unsharded).split('\n')[1])
    expect(renderMarkdown(merged).split('\n')[1]).toMatchInlineSnapshot(`"## modelgate · 1 regression · 1 obsolete · 9 unchanged"`)
  })

  test('the markdown of a merged report names its shards and the missing ones', () => {
    const merged = mergeReports([report(fileA, { shards: ['1/3'] }), report(fileB, { shards: ['3/3'] })])
    expect(renderMarkdown(merged)).toContain('merged from shards 1/3, 3/3 (missing 2/3)')
  })

  test('the same shard given twice is kept once', () => {
    const shard = report(fileA, { shards: ['1/2'] })
    expect(mergeReports([shard, shard]).results).toHaveLength(fileA.length)
  })

  test('two different results for the same test and metric are an error', () => {
    const other = report(fileA.map((r) => ({ ...r, current: Number(r.current ?? 0) + 1 })), { shards: ['2/2'] })
    expect(() => mergeReports([report(fileA, { shards: ['1/2'] }), other])).toThrow(expect.objectContaining({ code: 'E_REPORT_MERGE' }))
  })

  test('reports of other modelgate or cost-model versions do not merge', () => {
    expect(() => mergeReports([report(fileA), report(fileB, { costModelVersion: '2.0.0' })])).toThrow(expect.objectContaining({ code: 'E_REPORT_MERGE' }))
    expect(() => mergeReports([])).toThrow(expect.objectContaining({ code: 'E_REPORT_MERGE' }))
  })
})
