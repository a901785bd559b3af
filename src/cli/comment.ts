/**
 * `modelgate comment --report <file> [--pr N] [--repo owner/name]`: the sticky PR comment.
 *
 * Exit codes: 0 comment created or updated · 1 GitHub refused or failed (E_GITHUB_API, after retries) or the
 * report is unreadable (E_REPORT_READ) · 2 usage, or no token / repository / PR number (E_CLI_USAGE,
 * E_GITHUB_CONTEXT) · 3 the token may not write to the PR: 401/403/404 (E_GITHUB_AUTH), typically a PR from a
 * fork; post from a `workflow_run` job instead (examples/github/) · 4 GitHub did not answer in time
 * (E_GITHUB_TIMEOUT: one request past --timeout, or all of them with their retries past --total-timeout).
 */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { ModelgateError, isModelgateError } from '../errors.js'
import { COMMENT_MARKER, readReport, renderMarkdown, upsertStickyComment, type FetchLike } from '../report/index.js'
import type { CliIo } from './io.js'

export const COMMENT_USAGE = `modelgate comment --report <modelgate-report.json> [--pr N] [--repo owner/name]
                  [--author LOGIN] [--timeout MS] [--total-timeout MS]

Creates, or updates in place, one pull-request comment with the report (found by a hidden marker).
Needs GITHUB_TOKEN with pull-requests: write. GITHUB_API_URL, GITHUB_REPOSITORY and the PR number
(GITHUB_EVENT_PATH, GITHUB_REF refs/pull/N/merge) are read from the Actions environment when not given.

Only a comment that starts with the marker and was written by the token's own login is updated; one by
anyone else is left alone and a new comment is posted. The login is asked from GitHub (GET /user); the
Actions token may not ask, and comments as github-actions[bot]. Another app's token: --author NAME[bot].

  --timeout MS          time-out of one request (default 30000; env MODELGATE_GITHUB_TIMEOUT_MS)
  --total-timeout MS    budget of all requests, retries and waits together (default 120000)

Exit codes: 0 posted · 1 GitHub API error or unreadable report · 2 usage or missing token/repo/PR
            3 no permission (401/403/404: a fork PR? post from a workflow_run job)
            4 GitHub did not answer within the time-out or the budget
`

/** Exit code when the token may not write to the pull request (documented; never changes). */
export const EXIT_NO_PERMISSION = 3

/** Exit code when GitHub did not answer in time (documented; never changes). */
export const EXIT_GITHUB_TIMEOUT = 4

/** What tests inject instead of the network and the clock. */
export interface CommentDeps {
  readonly fetch?: FetchLike
  readonly sleep?: (ms: number) => Promise<void>
  readonly now?: () => number
}

/** Runs the command; returns the exit code. */
export async function commentCommand(args: readonly string[], io: CliIo, deps: CommentDeps = {}): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      report: { type: 'string' }, pr: { type: 'string' }, repo: { type: 'string' }, author: { type: 'string' },
      timeout: { type: 'string' }, 'total-timeout': { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    io.stdout.write(COMMENT_USAGE)
    return 0
  }
  if (values.report === undefined || positionals.length > 0) throw new ModelgateError('E_CLI_USAGE', 'comment takes --report <modelgate-report.json> and no other file.', { value: positionals })
  const token = io.env.GITHUB_TOKEN ?? ''
  const timeoutMs = values.timeout !== undefined ? parseMs('--timeout', values.timeout) : parseMs('MODELGATE_GITHUB_TIMEOUT_MS', io.env.MODELGATE_GITHUB_TIMEOUT_MS || undefined)
  const totalTimeoutMs = parseMs('--total-timeout', values['total-timeout'])
  if (values.author !== undefined && values.author.trim() === '') throw new ModelgateError('E_CLI_USAGE', '--author needs a login, e.g. my-app[bot].', { value: values.author })
  try {
    if (token === '') throw new ModelgateError('E_GITHUB_CONTEXT', 'GITHUB_TOKEN is not set.', { value: 'GITHUB_TOKEN' })
    const repo = values.repo ?? io.env.GITHUB_REPOSITORY ?? ''
    if (repo === '') throw new ModelgateError('E_GITHUB_CONTEXT', 'No repository: pass --repo owner/name (GITHUB_REPOSITORY is not set).', { value: repo })
    const pr = values.pr === undefined ? await prFromEnvironment(io.env) : parsePr(values.pr)
    if (pr === undefined) throw new ModelgateError('E_GITHUB_CONTEXT', 'No pull request number: pass --pr N (this event is not a pull request, and GITHUB_REF is not refs/pull/N/merge).', { value: io.env.GITHUB_REF })
    const report = await readReport(resolve(io.cwd, values.report))
    const result = await upsertStickyComment({
      token,
      apiUrl: io.env.GITHUB_API_URL || 'https://api.github.com',
      repo,
      issue: pr,
      body: renderMarkdown(report),
      marker: COMMENT_MARKER,
      ...(values.author === undefined ? {} : { author: values.author.trim() }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(totalTimeoutMs === undefined ? {} : { totalTimeoutMs }),
      ...deps,
    })
    for (const other of result.ignored) {
      io.stderr.write(`modelgate: left comment ${other.id} by ${other.author} alone: it starts with the report marker, but only comments by ${result.author ?? 'the token\'s login'} are updated.\n`)
    }
    io.stdout.write(`modelgate: ${result.action} the report comment on ${repo}#${pr}${result.url === undefined ? '' : `: ${result.url}`}\n`)
    return 0
  } catch (error) {
    if (!isModelgateError(error)) throw error
    const message = token.length >= 4 ? error.message.split(token).join('***') : error.message
    io.stderr.write(`modelgate: ${error.code}: ${message.replace(/\s*\n\s*/g, ' ')}\n`)
    if (error.code === 'E_GITHUB_AUTH') return EXIT_NO_PERMISSION
    if (error.code === 'E_GITHUB_TIMEOUT') return EXIT_GITHUB_TIMEOUT
    return error.code === 'E_GITHUB_CONTEXT' || error.code === 'E_CLI_USAGE' ? 2 : 1
  }
}

function parseMs(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value.trim()) || Number(value) <= 0) throw new ModelgateError('E_CLI_USAGE', `${flag} ${JSON.stringify(value)} is not a positive number of milliseconds.`, { value })
  return Number(value)
}

function parsePr(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) <= 0) throw new ModelgateError('E_CLI_USAGE', `--pr ${JSON.stringify(value)} is not a pull request number.`, { value })
  return Number(value)
}

/** The PR number of the Actions event: pull_request(_target), issue_comment on a PR, workflow_run of a PR, or GITHUB_REF. */
async function prFromEnvironment(env: Readonly<Record<string, string | undefined>>): Promise<number | undefined> {
  const path = env.GITHUB_EVENT_PATH
  if (path !== undefined && path !== '') {
    try {
      const event: unknown = JSON.parse(await readFile(path, 'utf8'))
      const number = pick(event, ['pull_request', 'number']) ?? (pick(event, ['issue', 'pull_request']) !== undefined ? pick(event, ['issue', 'number']) : undefined) ?? pick(event, ['workflow_run', 'pull_requests', 0, 'number'])
      if (typeof number === 'number' && Number.isSafeInteger(number) && number > 0) return number
    } catch {
      // An unreadable event file: fall back to GITHUB_REF.
    }
  }
  const ref = /^refs\/pull\/(\d+)\/(merge|head)$/.exec(env.GITHUB_REF ?? '')
  return ref === null ? undefined : Number(ref[1])
}

function pick(value: unknown, path: readonly (string | number)[]): unknown {
  let v = value
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined
    v = (v as Record<string | number, unknown>)[key]
  }
  return v
}
