/**
 * Makes an un-awaited async matcher fail its test. Vitest 4 lets `expect(m).toRunUnderMs(5)` without `await`
 * pass silently (research/gating.md §2.1): the test ends before the measurement does.
 *
 * How: the matcher returns a {@link GuardedPromise}. Vitest's `expect.extend` wrapper calls `.then` on it once
 * and hands the user the derived promise, which, being created through the subclass's species, is guarded too;
 * `await` (or `return`, or `Promise.all`) calls `.then` on that derived promise, which marks the check as
 * awaited. A handler pushed onto the test's `onFinished` list waits for the measurement to finish, so it never
 * overlaps the next test, and fails the test when nothing awaited it.
 */

interface GuardState {
  /** `.then` calls on the promise the matcher returned (the first is Vitest's own wrapper). */
  rootThens: number
  awaited: boolean
}

/** A promise that notices being awaited. */
export class GuardedPromise<T> extends Promise<T> {
  /** @internal */
  guardState: GuardState | undefined = undefined
  /** @internal */
  isRoot = false

  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    const state = this.guardState
    if (state !== undefined) {
      if (this.isRoot && state.rootThens === 0) state.rootThens++
      else state.awaited = true
    }
    const next = super.then(onfulfilled, onrejected) as GuardedPromise<R1 | R2>
    if (state !== undefined) {
      next.guardState = state
      // An un-awaited failure is reported by the onFinished check; keep it from also surfacing as an
      // unhandled rejection after the test.
      Promise.prototype.then.call(next, undefined, noop)
    }
    return next
  }
}

function noop(): void {}

/** The parts of a Vitest test task the guard uses. */
interface GuardableTask {
  onFinished?: (() => unknown)[]
}

/**
 * Guards the promise an async matcher returns.
 * @param task the running test (`this.task` in a matcher); without one the work is returned as is
 * @param assertion how to name the call in the message, e.g. `expect(model).toRunUnderMs(5)`
 * @param work the matcher's work, resolving to its result
 */
export function guardAsync<T extends { pass: boolean; message: () => string }>(task: unknown, assertion: string, isNot: boolean, work: Promise<T>): Promise<T> {
  if (typeof task !== 'object' || task === null) return work
  // Vitest leaves `this.isNot` undefined (not false) without `.not`.
  const negated = isNot === true
  const state: GuardState = { rootThens: 0, awaited: false }
  const root = new GuardedPromise<T>((resolve, reject) => {
    work.then(resolve, reject)
  })
  root.guardState = state
  root.isRoot = true
  const t = task as GuardableTask
  t.onFinished ??= []
  t.onFinished.push(async () => {
    const outcome = await work.then(
      (r) => (r.pass === negated ? `it would have failed: ${r.message()}` : 'it would have passed'),
      (error: unknown) => `it would have failed: ${error instanceof Error ? error.message : String(error)}`,
    )
    if (!state.awaited) {
      throw new Error(`${assertion} was not awaited, so it could not fail this test. Write \`await ${assertion}\` or return it from the test.\n\n(${outcome})`)
    }
  })
  return root
}
