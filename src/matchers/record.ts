/**
 * The channel from matchers (in workers) to the reporter (in the main process): each test's `task.meta.modelgate`
 * holds the metric results it produced and the baseline entries it checked. Vitest sends a test's meta with its
 * result, so nothing is shared between workers and the reporter is the single writer of baselines.
 */
import { TestRunner } from 'vitest'
import type { BaselineEntry } from '../baseline/index.js'
import type { MetricResult } from '../report/types.js'

/** A baseline entry checked by `toMatchBaseline()`. */
export interface BaselineCheck {
  /** The baseline file, relative to the project root. */
  readonly file: string
  readonly key: string
  /** What the entry becomes after the run; null when the file must not change for it. */
  readonly next: BaselineEntry | null
}

/** What one test sends to the reporter. */
export interface GateRecords {
  /** The attempt these records belong to (retries and repeats start over). */
  attempt: string
  results: Omit<MetricResult, 'test'>[]
  baselines: BaselineCheck[]
}

declare module 'vitest' {
  interface TaskMeta {
    modelgate?: GateRecords
  }
}

/** The part of a Vitest test task the channel uses. */
export interface RecordingTask {
  readonly meta: { modelgate?: GateRecords }
  readonly result?: { readonly retryCount?: number; readonly repeatCount?: number } | undefined
}

/** This test's records, started over on each retry or repeat. */
export function recordsOf(task: RecordingTask): GateRecords {
  const attempt = `${task.result?.retryCount ?? 0}:${task.result?.repeatCount ?? 0}`
  const current = task.meta.modelgate
  if (current !== undefined && current.attempt === attempt) return current
  const fresh: GateRecords = { attempt, results: [], baselines: [] }
  task.meta.modelgate = fresh
  return fresh
}

function isRecordingTask(value: unknown): value is RecordingTask {
  return typeof value === 'object' && value !== null && typeof (value as { meta?: unknown }).meta === 'object'
}

/**
 * Records a metric into the gate's report (and the PR comment), e.g. an accuracy measured by a matcher.
 * Call it from a matcher (pass the matcher's `this`, whose `task` is the running test) or from a test body.
 * Outside a test it does nothing.
 * @param result the metric; `test` (file, name, line) is filled in by the reporter
 * @param context the matcher's `this` (recommended: right also for concurrent tests)
 */
export function recordMetric(result: Omit<MetricResult, 'test'>, context?: { readonly task?: unknown }): void {
  const task = context?.task ?? TestRunner.getCurrentTest()
  if (!isRecordingTask(task)) return
  recordsOf(task).results.push(result)
}

/** The value of a metric recorded earlier in this test for a model, if any (latest wins). */
export function recordedMetric(task: RecordingTask, model: string, metric: string): Omit<MetricResult, 'test'> | undefined {
  const results = task.meta.modelgate?.results ?? []
  for (let i = results.length - 1; i >= 0; i--) {
    const r = results[i]!
    if (r.model === model && r.metric === metric && r.current !== null) return r
  }
  return undefined
}
