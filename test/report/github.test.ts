import { describe, expect, test } from 'vitest'
import { upsertStickyComment, type FetchLike } from '../../src/report/index.js'

const TOKEN = 'ghs_unit_test_token_123456'

function fakeFetch(answers: ((url: string) => { status: number; headers?: Record<string, string>; body: unknown } | Error)[]): { fetch: FetchLike; urls: string[] } {
  const urls: string[] = []
  const fetch: FetchLike = async (url) => {
    urls.push(url)
    const answer = answers.shift()?.(url)
    if (answer === undefined) throw new Error('no more answers')
    if (answer instanceof Error) throw answer
    const headers = new Map(Object.entries(answer.headers ?? {}))
    return { status: answer.status, headers: { get: (n: string) => headers.get(n) ?? null }, text: async () => JSON.stringify(answer.body) }
  }
  return { fetch, urls }
}

const base = { token: TOKEN, apiUrl: 'https://api.github.com', repo: 'octo/models', issue: 3, body: '<!-- m -->\nhi', marker: '<!-- m -->', sleep: async () => {} }

describe('upsertStickyComment', () => {
  test('a comment that merely quotes the marker later in its body is not ours', async () => {
    const { fetch, urls } = fakeFetch([() => ({ status: 200, body: [{ id: 1, body: 'see <!-- m -->' }] }), () => ({ status: 201, body: { id: 2 } })])
    expect(await upsertStickyComment({ ...base, fetch })).toEqual({ action: 'created', id: 2, url: undefined, author: undefined, ignored: [] })
    expect(urls.at(-1)).toBe('https://api.github.com/repos/octo/models/issues/3/comments')
  })

  test('a Link header pointing to another host is refused, so the token never leaves GitHub', async () => {
    const { fetch, urls } = fakeFetch([() => ({ status: 200, headers: { link: '<https://evil.example/steal?page=2>; rel="next"' }, body: [] })])
    await expect(upsertStickyComment({ ...base, fetch })).rejects.toMatchObject({ code: 'E_GITHUB_API' })
    expect(urls).toEqual(['https://api.github.com/repos/octo/models/issues/3/comments?per_page=100'])
  })

  test('network errors and 502s are retried with growing waits', async () => {
    const waits: number[] = []
    const { fetch } = fakeFetch([
      () => new Error('ECONNRESET'),
      () => ({ status: 502, body: { message: 'Bad Gateway' } }),
      () => ({ status: 200, body: [] }),
      () => ({ status: 201, body: { id: 9, html_url: 'https://github.com/octo/models/pull/3#issuecomment-9' } }),
    ])
    const result = await upsertStickyComment({ ...base, fetch, sleep: async (ms) => void waits.push(ms) })
    expect(result.action).toBe('created')
    expect(waits).toEqual([1000, 2000])
  })

  test('a bad repository or PR number is a context error before any request', async () => {
    const { fetch, urls } = fakeFetch([])
    await expect(upsertStickyComment({ ...base, fetch, repo: 'no-slash' })).rejects.toMatchObject({ code: 'E_GITHUB_CONTEXT' })
    await expect(upsertStickyComment({ ...base, fetch, issue: 0 })).rejects.toMatchObject({ code: 'E_GITHUB_CONTEXT' })
    expect(urls).toEqual([])
  })

  test('a fetch that never settles is cut at timeoutMs, its signal aborted, and the retries stop within the total budget', async () => {
    const signals: AbortSignal[] = []
    // ignores its signal on purpose: the client must not rely on fetch honouring it
    const fetch: FetchLike = (_url, init) => {
      if (init.signal !== undefined) signals.push(init.signal)
      return new Promise(() => {})
    }
    const waits: number[] = []
    const started = performance.now()
    const error = await upsertStickyComment({ ...base, fetch, sleep: async (ms) => void waits.push(ms), timeoutMs: 50, totalTimeoutMs: 3500, maxRetries: 10 }).catch((e: unknown) => e)
    const elapsed = performance.now() - started
    expect(error).toMatchObject({ code: 'E_GITHUB_TIMEOUT', value: 'api.github.com' })
    // (the injected sleep is instant) attempts cut at 50, 100, 150 ms; the back-offs of 1 s and 2 s fit the ~3.4 s
    // left, the third (4 s) does not: no fourth attempt, although maxRetries allows ten
    expect(signals).toHaveLength(3)
    expect(signals.every((s) => s.aborted)).toBe(true)
    expect(waits).toEqual([1000, 2000])
    expect(elapsed).toBeGreaterThanOrEqual(140)
    expect(elapsed).toBeLessThan(3000)
    expect((error as Error).message).toContain('api.github.com: GET /repos/octo/models/issues/3/comments (listing the comments) got no answer within 0.05 s (3 attempts), and the next retry, in 4 s, would outlast the 3.5 s budget of all requests and retries.')
    expect((error as Error).message).not.toContain(TOKEN)
  })

  test('a time-out or a budget that is not a positive number is refused before any request', async () => {
    const { fetch, urls } = fakeFetch([])
    await expect(upsertStickyComment({ ...base, fetch, timeoutMs: 0 })).rejects.toMatchObject({ code: 'E_GITHUB_CONTEXT' })
    await expect(upsertStickyComment({ ...base, fetch, totalTimeoutMs: Number.NaN })).rejects.toMatchObject({ code: 'E_GITHUB_CONTEXT' })
    expect(urls).toEqual([])
  })

  test('a misspelt option is refused, naming the one meant, before any request', async () => {
    const { fetch, urls } = fakeFetch([])
    await expect(upsertStickyComment({ ...base, fetch, timeoutMS: 5000 } as never)).rejects.toMatchObject({
      code: 'E_UNKNOWN_OPTION',
      message: expect.stringContaining('upsertStickyComment(): unknown option "timeoutMS"; did you mean "timeoutMs"?'),
    })
    expect(urls).toEqual([])
  })

  test('a rate limit whose wait would outlast the budget ends the command at once, saying what GitHub answered', async () => {
    const waits: number[] = []
    const { fetch, urls } = fakeFetch([() => ({ status: 429, headers: { 'retry-after': '50' }, body: { message: 'Too Many Requests' } })])
    const error = await upsertStickyComment({ ...base, fetch, sleep: async (ms) => void waits.push(ms), totalTimeoutMs: 30_000 }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'E_GITHUB_TIMEOUT' })
    expect((error as Error).message).toContain('api.github.com: GET /repos/octo/models/issues/3/comments (listing the comments) answered 429 (Too Many Requests) (1 attempt), and the next retry, in 50 s, would outlast the 30 s budget')
    expect(waits).toEqual([])
    expect(urls).toHaveLength(1)
  })
})
