/**
 * Where entries live and how a run changes them, mirroring Vitest snapshots. Pure, except the path helpers.
 *
 * Update modes: `all` (-u, --update-baselines, MODELGATE_UPDATE=1) rewrites entries whose figures moved beyond
 * tolerance (and adds missing ones); `new` (a local run) writes missing entries and metrics only; `none` (CI) never
 * writes, and a missing entry fails its test.
 */
import { relative, resolve, sep } from 'node:path'
import type { BaselineEntry, BaselineFile } from './baseline.generated.js'
import type { CompareVerdict } from './compare.js'

/** How a run treats committed baselines. */
export type UpdateMode = 'all' | 'new' | 'none'

/** Separates the test name from the model in an entry key. */
export const KEY_SEPARATOR = ' › '

/**
 * The baseline file of a test file: `<baselineDir>/<test file relative to the root>.json`, so each test file's
 * entries sit in their own file (small diffs, no merge conflicts between files).
 * @param root the project root
 * @param baselineDir the baseline folder (absolute, or relative to the root)
 * @param testFile the test file (absolute, or relative to the root)
 * @returns the absolute path of the baseline file
 */
export function baselineFileFor(root: string, baselineDir: string, testFile: string): string {
  const rel = relative(root, resolve(root, testFile))
  const safe = rel.split(sep).map((s) => (s === '..' ? '__parent__' : s)).join('/')
  return resolve(root, baselineDir, `${safe}.json`)
}

/** A path relative to the root with forward slashes (never absolute in a committed file). */
export function projectPath(root: string, path: string): string {
  return relative(root, resolve(root, path)).split(sep).join('/')
}

/** The key of an entry: `<test full name> › <model>`. */
export function entryKey(testName: string, model: string): string {
  return `${testName}${KEY_SEPARATOR}${model}`
}

/** True when an entry key belongs to the named test. */
export function keyBelongsTo(key: string, testName: string): boolean {
  return key.startsWith(`${testName}${KEY_SEPARATOR}`)
}

/** The verdict of one metric of an entry, as the matcher saw it (`new` = no baseline figure). */
export type EntryMetricVerdict = CompareVerdict | 'new'

/**
 * What an entry becomes after this run, or null when the file must not change.
 * @param previous the committed entry (undefined when missing)
 * @param current this run's entry (every metric the matcher checked)
 * @param verdicts each checked metric's verdict against `previous`
 * @param mode the update mode
 */
export function nextEntry(previous: BaselineEntry | undefined, current: BaselineEntry, verdicts: Readonly<Record<string, EntryMetricVerdict>>, mode: UpdateMode): BaselineEntry | null {
  if (mode === 'none') return null
  if (previous === undefined) return current
  const metrics: Record<string, BaselineEntry['metrics'][string]> = {}
  if (mode === 'new') {
    let added = false
    for (const [name, metric] of Object.entries(previous.metrics)) metrics[name] = metric
    for (const [name, metric] of Object.entries(current.metrics)) {
      if (metrics[name] === undefined) {
        metrics[name] = metric
        added = true
      }
    }
    return added ? { ...previous, metrics } : null
  }
  // `all`: figures within tolerance (or not confidently different) keep their committed value, so an update
  // does not churn measured baselines; metrics this test no longer checks are dropped.
  for (const [name, metric] of Object.entries(current.metrics)) {
    const kept = previous.metrics[name]
    const verdict = verdicts[name]
    metrics[name] = kept !== undefined && (verdict === 'pass' || verdict === 'inconclusive') ? { ...kept, tolerance: metric.tolerance } : metric
  }
  const next: BaselineEntry = { ...current, metrics }
  return sameJson(next, previous) ? null : next
}

/**
 * Applies this run's entries to a file's contents.
 * @param file the committed file (or an empty one)
 * @param updates entry key → its next value (from {@link nextEntry})
 * @param prune keys to remove (obsolete entries, in a full update run only)
 * @returns the new contents
 */
export function applyEntries(file: BaselineFile, updates: ReadonlyMap<string, BaselineEntry>, prune: ReadonlySet<string> = new Set()): BaselineFile {
  const entries: Record<string, BaselineEntry> = {}
  for (const [key, entry] of Object.entries(file.entries)) if (!prune.has(key)) entries[key] = entry
  for (const [key, entry] of updates) entries[key] = entry
  return { ...file, entries }
}

/**
 * The entries of a file that no test of this run checked, leaving out those of tests that did not run to the
 * end (skipped, filtered out, failed before their check).
 * @param file the committed file
 * @param checked keys checked in this run
 * @param protectedTests full names of tests whose entries must be kept
 */
export function obsoleteKeys(file: BaselineFile, checked: ReadonlySet<string>, protectedTests: readonly string[]): string[] {
  return Object.keys(file.entries)
    .filter((key) => !checked.has(key) && !protectedTests.some((name) => keyBelongsTo(key, name)))
    .sort()
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined)
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined)
  if (ka.length !== kb.length) return false
  return ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}
