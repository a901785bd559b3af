import { describe, expect, it } from 'vitest'
import { guardAsync } from '../../src/matchers/guard.js'

interface Task {
  onFinished?: (() => unknown)[]
}

const passing = { pass: true, message: () => 'ok' }
const failing = { pass: false, message: () => 'p50 7 ms over 5 ms' }

/** What Vitest's expect.extend wrapper does with an async matcher's result: one `.then`, handed to the user. */
function wrap<T extends { pass: boolean; message: () => string }>(result: Promise<T>): Promise<void> {
  return result.then((r) => {
    if (!r.pass) throw new Error(r.message())
  })
}

async function finish(task: Task): Promise<unknown> {
  for (const hook of task.onFinished ?? []) {
    try {
      await hook()
    } catch (error) {
      return error
    }
  }
  return undefined
}

describe('an async matcher guarded against a missing await', () => {
  it('fails the test at its end when nobody awaited it, saying how it would have ended', async () => {
    const task: Task = {}
    wrap(guardAsync(task, 'expect(model).toRunUnderMs(5)', false, Promise.resolve(failing)))
    const error = await finish(task)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toMatchInlineSnapshot(`
      "expect(model).toRunUnderMs(5) was not awaited, so it could not fail this test. Write \`await expect(model).toRunUnderMs(5)\` or return it from the test.

      (it would have failed: p50 7 ms over 5 ms)"
    `)
  })

  it('passes when awaited, and surfaces the failure to the await', async () => {
    const task: Task = {}
    await wrap(guardAsync(task, 'a', false, Promise.resolve(passing)))
    expect(await finish(task)).toBeUndefined()
    const other: Task = {}
    await expect(wrap(guardAsync(other, 'b', false, Promise.resolve(failing)))).rejects.toThrow('p50 7 ms over 5 ms')
    expect(await finish(other)).toBeUndefined()
  })

  it('counts Promise.all and a returned promise as awaited', async () => {
    const task: Task = {}
    await Promise.all([wrap(guardAsync(task, 'a', false, Promise.resolve(passing)))])
    const returned = (): Promise<void> => wrap(guardAsync(task, 'b', false, Promise.resolve(passing)))
    await returned()
    expect(await finish(task)).toBeUndefined()
  })

  it('reads a negated failure right', async () => {
    const task: Task = {}
    wrap(guardAsync(task, 'expect(model).not.toRunUnderMs(5)', true, Promise.resolve(passing)))
    expect(String(await finish(task))).toContain('(it would have failed: ok)')
  })

  it('is a plain promise outside a test', async () => {
    const work = Promise.resolve(passing)
    expect(guardAsync(undefined, 'a', false, work)).toBe(work)
  })
})
