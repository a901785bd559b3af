/**
 * Collects what the workers sent (each test's `meta.modelgate`) from the finished test modules: report rows and
 * baseline checks grouped by baseline file, plus the tests whose entries must be kept.
 */
import { isAbsolute, resolve } from 'node:path'
import type { TestModule } from 'vitest/node'
import { baselineFileFor, projectPath, type BaselineEntry } from '../baseline/index.js'
import type { GateContext } from '../matchers/gate-context.js'
import type { GateRecords } from '../matchers/record.js'
import type { MetricResult } from '../report/types.js'

/** The baseline file of one test module, and what the run did with it. */
export interface FileChecks {
  /** Absolute path of the baseline file. */
  readonly path: string
  /** Relative to the root. */
  readonly display: string
  /** Entry keys checked in this run. */
  readonly checked: Set<string>
  /** Entry key → its next value (from checks that change the file). */
  readonly updates: Map<string, BaselineEntry>
  /** Full names of tests whose entries must be kept (skipped, failed, not run). */
  readonly protectedTests: string[]
  /** False when the module failed to load: nothing in its file can be called obsolete. */
  readonly complete: boolean
}

/** Everything the reporter needs from a run. */
export interface CollectedRun {
  readonly results: MetricResult[]
  /** Baseline file (absolute) → its checks. */
  readonly files: Map<string, FileChecks>
}

/**
 * Reads the records of every test.
 * @param modules the run's test modules
 * @param context the gate's resolved options
 */
export function collectRun(modules: readonly TestModule[], context: GateContext): CollectedRun {
  const results: MetricResult[] = []
  const files = new Map<string, FileChecks>()
  for (const module of modules) {
    const path = baselineFileFor(context.root, context.baselineDir, module.moduleId)
    const checks: FileChecks = {
      path,
      display: projectPath(context.root, path),
      checked: new Set(),
      updates: new Map(),
      protectedTests: [],
      complete: module.errors().length === 0 && module.state() !== 'skipped',
    }
    files.set(path, checks)
    const file = projectPath(context.root, module.moduleId)
    for (const test of module.children.allTests()) {
      const state = test.result().state
      if (state !== 'passed') checks.protectedTests.push(test.fullName)
      const records = (test.meta() as { modelgate?: GateRecords }).modelgate
      if (records === undefined) continue
      const line = test.location?.line
      const where = { file, name: test.fullName, ...(line !== undefined ? { line } : {}) }
      for (const r of records.results) {
        // a failing check in a test that passed was expected by the test itself (`expect(() => …).toThrow()`,
        // `.rejects`): it is the test's subject, not a verdict on the model
        if (state === 'passed' && (r.verdict === 'over-budget' || r.verdict === 'regression')) continue
        results.push({ ...r, model: isAbsolute(r.model) ? projectPath(context.root, r.model) : r.model, test: where })
      }
      for (const check of records.baselines) {
        const target = check.file === checks.display ? checks : fileChecksFor(files, context, check.file)
        target.checked.add(check.key)
        if (check.next !== null) target.updates.set(check.key, check.next)
      }
    }
  }
  return { results, files }
}

function fileChecksFor(files: Map<string, FileChecks>, context: GateContext, display: string): FileChecks {
  const path = resolve(context.root, display)
  const found = [...files.values()].find((f) => f.display === display)
  if (found !== undefined) return found
  const created: FileChecks = { path, display, checked: new Set(), updates: new Map(), protectedTests: [], complete: false }
  files.set(path, created)
  return created
}
