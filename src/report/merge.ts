/**
 * Merging the partial reports of a sharded suite (`vitest --shard=i/n` on several machines) into the report an
 * unsharded run would have written (pure).
 */
import { ModelgateError } from '../errors.js'
import type { GateReport, MetricResult } from './types.js'
import { compareResults } from './values.js'

/**
 * Merges shard reports into one.
 *
 * A shard only runs some test files, so a baseline entry another shard produced can look `obsolete` to it:
 * such an entry is dropped when some shard produced it, and kept once when no shard did. Identical entries
 * (the same shard passed twice) are kept once; two different results for the same test and metric are an error.
 * @param reports one report per shard (at least one), all of the same modelgate and cost-model version
 * @returns one report whose results are sorted by model, metric and test, with the shard labels of all inputs
 * @throws ModelgateError E_REPORT_MERGE for no reports, other versions, or conflicting results
 */
export function mergeReports(reports: readonly GateReport[]): GateReport {
  const first = reports[0]
  if (first === undefined) throw new ModelgateError('E_REPORT_MERGE', 'No reports were given to merge.', { value: [] })
  for (const r of reports) {
    if (r.schema !== first.schema || r.modelgateVersion !== first.modelgateVersion || r.costModelVersion !== first.costModelVersion) {
      throw new ModelgateError(
        'E_REPORT_MERGE',
        `Cannot merge a report of modelgate ${r.modelgateVersion} (cost model ${r.costModelVersion}) with one of modelgate ${first.modelgateVersion} (cost model ${first.costModelVersion}).`,
        { value: [first.modelgateVersion, r.modelgateVersion] },
      )
    }
  }

  const produced = new Set<string>()
  for (const r of reports) for (const m of r.results) if (m.verdict !== 'obsolete') produced.add(entryKey(m))

  const byKey = new Map<string, MetricResult>()
  for (const r of reports) {
    for (const m of r.results) {
      if (m.verdict === 'obsolete' && produced.has(entryKey(m))) continue
      const key = m.verdict === 'obsolete' ? `obsolete\u0000${entryKey(m)}` : resultKey(m)
      const seen = byKey.get(key)
      if (seen === undefined) byKey.set(key, m)
      else if (m.verdict !== 'obsolete' && stableJson(seen) !== stableJson(m)) {
        throw new ModelgateError(
          'E_REPORT_MERGE',
          `Two reports hold different results for ${JSON.stringify(m.metric)} of ${JSON.stringify(m.model)} in test ${JSON.stringify(m.test?.name ?? '(none)')}: are two of them from the same shard of different runs?`,
          { value: m.model },
        )
      }
    }
  }

  const shards = [...new Set(reports.flatMap((r) => r.shards))].sort(compareShards)
  return {
    schema: first.schema,
    modelgateVersion: first.modelgateVersion,
    costModelVersion: first.costModelVersion,
    shards,
    results: [...byKey.values()].sort(compareResults),
    updateCommand: first.updateCommand,
  }
}

/** A baseline entry: model and metric (what `obsolete` refers to). */
function entryKey(m: MetricResult): string {
  return `${m.model}\u0000${m.metric}`
}

/** One result of one test. */
function resultKey(m: MetricResult): string {
  return `${entryKey(m)}\u0000${m.test?.file ?? ''}\u0000${m.test?.name ?? ''}`
}

function compareShards(a: string, b: string): number {
  const [ai, an] = a.split('/').map(Number)
  const [bi, bn] = b.split('/').map(Number)
  if (ai !== undefined && bi !== undefined && an !== undefined && bn !== undefined && [ai, an, bi, bn].every(Number.isFinite)) return an - bn || ai - bi
  return a < b ? -1 : a > b ? 1 : 0
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) : v,
  )
}
