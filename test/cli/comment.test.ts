import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { EXIT_GITHUB_TIMEOUT, EXIT_NO_PERMISSION, commentCommand } from '../../src/cli/comment.js'
import type { CliIo } from '../../src/cli/io.js'
import { runCli } from '../../src/cli/run.js'
import { COMMENT_MARKER } from '../../src/report/index.js'
import { report, result } from '../report/sample-reports.js'
import { startMockGitHub, type MockGitHub } from './mock-github.js'

const TOKEN = 'ghs_SECRETtoken1234567890abcdef'

let github: MockGitHub
let dir: string
let reportPath: string
let out: { stdout: string; stderr: string }
let waits: number[]

beforeEach(async () => {
  github = await startMockGitHub()
  dir = await mkdtemp(join(tmpdir(), 'modelgate-comment-'))
  reportPath = join(dir, 'modelgate-report.json')
  await writeFile(reportPath, JSON.stringify(report([result({ model: 'models/a.onnx', baseline: 100, current: 120, verdict: 'regression' })])))
  out = { stdout: '', stderr: '' }
  waits = []
})

afterEach(async () => {
  // The token must never leak into any output or file, whatever the test did.
  expect(out.stdout + out.stderr).not.toContain(TOKEN)
  for (const name of await readdir(dir)) expect(await readFile(join(dir, name), 'utf8')).not.toContain(TOKEN)
  await github.close()
  await rm(dir, { recursive: true, force: true })
})

function io(env: Record<string, string | undefined> = {}): CliIo {
  return {
    stdout: { write: (s: string) => (out.stdout += s) },
    stderr: { write: (s: string) => (out.stderr += s) },
    cwd: dir,
    env: { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: github.url, GITHUB_REPOSITORY: 'octo/models', ...env },
  }
}

const deps = { sleep: async (ms: number) => void waits.push(ms), now: () => 1_700_000_000_000 }

/** Normalises the mock server's port. */
const portless = (s: string): string => s.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')

describe('modelgate comment', () => {
  test('the first run POSTs a comment, the second PATCHes the same one, following the pages of the list', async () => {
    // 150 other comments: ours is on the second page of 100.
    github.comments.set(7, Array.from({ length: 150 }, (_, i) => ({ id: i + 1, body: `comment ${i}`, user: { login: 'someone', type: 'User' } })))
    expect(await commentCommand(['--report', 'modelgate-report.json', '--pr', '7'], io(), deps)).toBe(0)
    expect(await commentCommand(['--report', 'modelgate-report.json', '--pr', '7'], io(), deps)).toBe(0)

    expect(github.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v3/repos/octo/models/issues/7/comments?per_page=100',
      'GET /api/v3/repos/octo/models/issues/7/comments?per_page=100&page=2',
      'POST /api/v3/repos/octo/models/issues/7/comments',
      'GET /api/v3/repos/octo/models/issues/7/comments?per_page=100',
      'GET /api/v3/repos/octo/models/issues/7/comments?per_page=100&page=2',
      // a comment with the marker: whose is it? The Actions token may not ask (403), so it is github-actions[bot]
      'GET /api/v3/user',
      'PATCH /api/v3/repos/octo/models/issues/comments/1000',
    ])
    expect(github.comments.get(7)).toHaveLength(151)
    expect(github.comments.get(7)?.at(-1)?.body.startsWith(`${COMMENT_MARKER}\n## modelgate · 1 regression`)).toBe(true)
    expect(github.requests.every((r) => r.authorization === `Bearer ${TOKEN}` && r.apiVersion === '2022-11-28')).toBe(true)
    expect(out.stdout).toMatchInlineSnapshot(`
      "modelgate: created the report comment on octo/models#7: https://github.example/octo/models/pull/7#issuecomment-1000
      modelgate: updated the report comment on octo/models#7: https://github.example/octo/models/pull/7#issuecomment-1000
      "
    `)
    expect(waits).toEqual([])
  })

  test('a 403 (a fork PR\'s read-only token) exits with the documented code 3 and says what to do', async () => {
    github.script.push({ status: 403, body: { message: 'Resource not accessible by integration' } })
    expect(await commentCommand(['--report', reportPath, '--pr', '7'], io(), deps)).toBe(EXIT_NO_PERMISSION)
    expect(EXIT_NO_PERMISSION).toBe(3)
    expect(out.stderr).toMatchInlineSnapshot(`
      "modelgate: E_GITHUB_AUTH: GET /api/v3/repos/octo/models/issues/7/comments answered 403 (Resource not accessible by integration); a job needs \`permissions: pull-requests: write\`, and a fork PR never gets it. The token cannot write to this pull request (a fork PR?): post the comment from a workflow_run job (see the README).
      "
    `)
  })

  test('a 404 is a permission problem too (GitHub hides what a token may not see)', async () => {
    github.script.push({ status: 200, body: [] }, { status: 404, body: { message: 'Not Found' } })
    expect(await commentCommand(['--report', reportPath, '--pr', '7'], io(), deps)).toBe(3)
    expect(out.stderr).toContain('E_GITHUB_AUTH')
  })

  test('a 429 is retried after its retry-after, then the comment is posted', async () => {
    github.script.push({ status: 429, headers: { 'retry-after': '2' }, body: { message: 'Too Many Requests' } })
    expect(await commentCommand(['--report', reportPath, '--pr', '7'], io(), deps)).toBe(0)
    expect(waits).toEqual([2000])
    expect(github.requests.map((r) => r.method)).toEqual(['GET', 'GET', 'POST'])
  })

  test('a secondary rate limit (403 with retry-after) and an exhausted primary limit (403, remaining 0) are retried', async () => {
    github.script.push(
      { status: 403, headers: { 'retry-after': '1' }, body: { message: 'You have exceeded a secondary rate limit' } },
      { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(1_700_000_000 + 5) }, body: { message: 'API rate limit exceeded' } },
    )
    expect(await commentCommand(['--report', reportPath, '--pr', '7'], io(), deps)).toBe(0)
    expect(waits).toEqual([1000, 6000])
    expect(github.comments.get(7)).toHaveLength(1)
  })

  test('rate limits that do not end are given up after three retries with a clear message', async () => {
    for (let i = 0; i < 4; i++) github.script.push({ status: 429, headers: { 'retry-after': '1' }, body: { message: 'Too Many Requests' } })
    expect(await commentCommand(['--report', reportPath, '--pr', '7'], io(), deps)).toBe(1)
    expect(waits).toEqual([1000, 1000, 1000])
    expect(portless(out.stderr)).toMatchInlineSnapshot(`
      "modelgate: E_GITHUB_API: GET /api/v3/repos/octo/models/issues/7/comments still answered 429 (Too Many Requests) after 3 retries. GitHub's API refused the request; check GITHUB_API_URL and try again later.
      "
    `)
  })

  test('a rate limit that resets too late is reported instead of waited for', async () => {
    github.script.push({ status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(1_700_000_000 + 3600) }, body: { message: 'API rate limit exceeded' } })
    expect(await commentCommand(['--report', reportPath, '--pr', '7'], io(), deps)).toBe(1)
    expect(waits).toEqual([])
    expect(out.stderr).toContain('resets in 3601 s')
  })

  test('an error message that echoes the token is redacted', async () => {
    github.script.push({ status: 422, body: { message: `Validation Failed for Bearer ${TOKEN}` } })
    expect(await commentCommand(['--report', reportPath, '--pr', '7'], io(), deps)).toBe(1)
    expect(out.stderr).toContain('Validation Failed for Bearer ***')
  })

  test('the PR number comes from the event file, or from GITHUB_REF', async () => {
    const event = join(dir, 'event.json')
    await writeFile(event, JSON.stringify({ pull_request: { number: 42 } }))
    expect(await commentCommand(['--report', reportPath], io({ GITHUB_EVENT_PATH: event }), deps)).toBe(0)
    expect(await commentCommand(['--report', reportPath], io({ GITHUB_REF: 'refs/pull/43/merge' }), deps)).toBe(0)
    expect([...github.comments.keys()]).toEqual([42, 43])
  })

  test('without a token, a repository or a PR number it exits 2 before any request', async () => {
    expect(await commentCommand(['--report', reportPath, '--pr', '7'], io({ GITHUB_TOKEN: undefined }), deps)).toBe(2)
    expect(await commentCommand(['--report', reportPath], io(), deps)).toBe(2)
    expect(await commentCommand(['--report', reportPath, '--pr', '7'], io({ GITHUB_REPOSITORY: undefined }), deps)).toBe(2)
    expect(github.requests).toEqual([])
    expect(out.stderr).toMatchInlineSnapshot(`
      "modelgate: E_GITHUB_CONTEXT: GITHUB_TOKEN is not set. Run inside GitHub Actions or pass --repo owner/name and --pr N, with GITHUB_TOKEN set.
      modelgate: E_GITHUB_CONTEXT: No pull request number: pass --pr N (this event is not a pull request, and GITHUB_REF is not refs/pull/N/merge). Run inside GitHub Actions or pass --repo owner/name and --pr N, with GITHUB_TOKEN set.
      modelgate: E_GITHUB_CONTEXT: No repository: pass --repo owner/name (GITHUB_REPOSITORY is not set). Run inside GitHub Actions or pass --repo owner/name and --pr N, with GITHUB_TOKEN set.
      "
    `)
  })

  test('the dispatcher runs it: `modelgate comment` with a 403 exits 3', async () => {
    github.script.push({ status: 403, body: { message: 'Resource not accessible by integration' } })
    expect(await runCli(['comment', '--report', reportPath, '--pr', '7'], io())).toBe(3)
  })

  test('a marker comment by someone else is left alone: a fresh comment is posted, nothing is PATCHed', async () => {
    const spoof = `${COMMENT_MARKER}\nall models pass, merge away`
    github.comments.set(7, [
      { id: 1, body: 'LGTM', user: { login: 'reviewer', type: 'User' } },
      { id: 2, body: spoof, user: { login: 'mallory', type: 'User' } },
      // a human cannot be github-actions[bot] (brackets are not allowed in logins), but a look-alike type is refused too
      { id: 3, body: spoof, user: { login: 'github-actions[bot]', type: 'User' } },
    ])
    expect(await commentCommand(['--report', reportPath, '--pr', '7'], io(), deps)).toBe(0)
    expect(github.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v3/repos/octo/models/issues/7/comments?per_page=100',
      'GET /api/v3/user',
      'POST /api/v3/repos/octo/models/issues/7/comments',
    ])
    const comments = github.comments.get(7)!
    expect(comments.map((c) => [c.id, c.user.login])).toEqual([[1, 'reviewer'], [2, 'mallory'], [3, 'github-actions[bot]'], [1000, 'github-actions[bot]']])
    expect(comments[1]!.body).toBe(spoof)
    expect(comments[2]!.body).toBe(spoof)
    expect(out.stderr).toMatchInlineSnapshot(`
      "modelgate: left comment 2 by mallory alone: it starts with the report marker, but only comments by github-actions[bot] are updated.
      modelgate: left comment 3 by github-actions[bot] alone: it starts with the report marker, but only comments by github-actions[bot] are updated.
      "
    `)

    // the next run finds its own comment after the spoofed ones and updates it in place
    github.requests.length = 0
    expect(await commentCommand(['--report', reportPath, '--pr', '7'], io(), deps)).toBe(0)
    expect(github.requests.map((r) => r.method)).toEqual(['GET', 'GET', 'PATCH'])
    expect(github.requests[2]!.path).toBe('/api/v3/repos/octo/models/issues/comments/1000')
    expect(github.comments.get(7)).toHaveLength(4)
  })

  test('a personal token is asked who it is (GET /user) and updates only its own comment', async () => {
    github.identity = { login: 'Octo-CI', type: 'User' }
    github.comments.set(7, [
      { id: 5, body: `${COMMENT_MARKER}\nold`, user: { login: 'github-actions[bot]', type: 'Bot' } },
      // logins compare case-insensitively, as GitHub's do
      { id: 6, body: `${COMMENT_MARKER}\nold`, user: { login: 'octo-ci', type: 'User' } },
    ])
    expect(await commentCommand(['--report', reportPath, '--pr', '7'], io(), deps)).toBe(0)
    expect(github.requests.map((r) => `${r.method} ${r.path}`).slice(1)).toEqual(['GET /api/v3/user', 'PATCH /api/v3/repos/octo/models/issues/comments/6'])
    expect(github.comments.get(7)![0]!.body).toBe(`${COMMENT_MARKER}\nold`)
    expect(github.comments.get(7)![1]!.body.startsWith(`${COMMENT_MARKER}\n## modelgate`)).toBe(true)
  })

  test('--author names the login of another app\'s token, and GET /user is not asked', async () => {
    github.identity = { login: 'gate-app[bot]', type: 'Bot' }
    github.comments.set(7, [{ id: 8, body: `${COMMENT_MARKER}\nold`, user: { login: 'gate-app[bot]', type: 'Bot' } }])
    expect(await commentCommand(['--report', reportPath, '--pr', '7', '--author', 'gate-app[bot]'], io(), deps)).toBe(0)
    expect(github.requests.map((r) => r.method)).toEqual(['GET', 'PATCH'])
  })

  test('a GitHub that accepts the connection and never answers: exit 4 within the time-out, naming the host and the step', async () => {
    github.silent = true
    const started = performance.now()
    // three retries after the first attempt, each given 250 ms (the injected sleep skips the back-off)
    expect(await commentCommand(['--report', reportPath, '--pr', '7', '--timeout', '250'], io(), deps)).toBe(EXIT_GITHUB_TIMEOUT)
    const elapsed = performance.now() - started
    expect(elapsed).toBeGreaterThanOrEqual(4 * 250 - 50)
    expect(elapsed).toBeLessThan(4 * 250 + 8000)
    expect(EXIT_GITHUB_TIMEOUT).toBe(4)
    expect(waits).toEqual([1000, 2000, 4000])
    expect(portless(out.stderr)).toMatchInlineSnapshot(`
      "modelgate: E_GITHUB_TIMEOUT: 127.0.0.1:PORT did not answer GET /api/v3/repos/octo/models/issues/7/comments (listing the comments) within 0.25 s, 4 times. GitHub's API (or a proxy on the way) did not answer in time: check GITHUB_API_URL and the network, or raise --timeout / --total-timeout (MODELGATE_GITHUB_TIMEOUT_MS).
      "
    `)
  })

  test('the retries share one budget: --total-timeout ends the command even when one request may take longer', async () => {
    github.silent = true
    const started = performance.now()
    const code = await commentCommand(['--report', reportPath, '--pr', '7', '--timeout', '60000', '--total-timeout', '400'], io({ MODELGATE_GITHUB_TIMEOUT_MS: '90000' }))
    const elapsed = performance.now() - started
    expect(code).toBe(4)
    // the first attempt is cut at the budget's 400 ms; the real back-off (1 s) would outlast the budget, so no retry
    expect(elapsed).toBeGreaterThanOrEqual(350)
    expect(elapsed).toBeLessThan(8000)
    expect(portless(out.stderr)).toContain('127.0.0.1:PORT did not answer GET /api/v3/repos/octo/models/issues/7/comments (listing the comments) within the 0.4 s budget of all requests and retries (1 attempt)')
  })

  test('MODELGATE_GITHUB_TIMEOUT_MS sets the time-out when --timeout is not given', async () => {
    github.silent = true
    const started = performance.now()
    expect(await commentCommand(['--report', reportPath, '--pr', '7'], io({ MODELGATE_GITHUB_TIMEOUT_MS: '150' }), deps)).toBe(4)
    expect(performance.now() - started).toBeLessThan(4 * 150 + 8000)
    expect(out.stderr).toContain('within 0.15 s, 4 times')
  })
})
