/**
 * Calling a matcher directly, as Vitest does, but with a test task of our own: its records (metric rows,
 * baseline checks) land in that task, not in the real test's meta, so expected failures never reach the
 * project's own gate report.
 */
import { expect, type MatcherState } from 'vitest'
import type { GateRecords } from '../../src/matchers/record.js'

/** A stand-in for Vitest's test task. */
export interface FakeTask {
  readonly name: string
  readonly fullTestName: string
  readonly file: { readonly filepath: string }
  readonly meta: { modelgate?: GateRecords }
  onFinished?: (() => unknown)[]
}

/** A task named `name` in the test file `filepath`. */
export function fakeTask(name = 'a test', filepath = '/project/test/a.test.ts'): FakeTask {
  return { name, fullTestName: name, file: { filepath }, meta: {} }
}

let captured: MatcherState | undefined

function realState(): MatcherState {
  if (captured === undefined) {
    expect.extend({
      __modelgateCaptureState(this: MatcherState) {
        captured = this
        return { pass: true, message: () => '' }
      },
    })
    ;(expect(0) as unknown as { __modelgateCaptureState(): void }).__modelgateCaptureState()
  }
  return captured!
}

/** A matcher's `this`: Vitest's utils, `.not` when asked, and the given task. */
export function matcherState(options: { readonly isNot?: boolean; readonly task?: FakeTask } = {}): MatcherState {
  const state = { ...realState(), isNot: options.isNot === true, task: options.task ?? fakeTask() }
  return state as unknown as MatcherState
}

/** What a matcher returned. */
export interface Outcome {
  readonly pass: boolean
  readonly message: () => string
}

/** A message without ANSI colours (Vitest colours the matcher hint when the terminal does). */
export function plain(text: string): string {
  // eslint-disable-next-line no-control-regex -- ANSI escapes
  return text.replace(/\u001b\[[0-9;]*m/g, '')
}
