/**
 * The only network code of modelgate: a sticky PR comment through GitHub's REST API with plain `fetch`
 * (research/gating.md §3.1, ecosystem.md §4.5). Find our comment by its hidden marker (following the `Link`
 * header's pages), then PATCH it or POST a new one. Rate-limit answers are retried with bounded back-off.
 * The token is only ever put into the Authorization header, and redacted from anything that is reported.
 *
 * Ours is a comment that starts with the marker AND was written by the identity behind the token: anyone who
 * may comment on a public PR can post the marker, and PATCHing their comment would fail (403) or, with a broad
 * token, overwrite a human's words. Who the token is: `GET /user`; the Actions token (an app installation
 * token) may not call it (403), and its comments are by `github-actions[bot]`, so that is the fallback. Other
 * app tokens name their bot with `author`.
 *
 * Every request has a time-out, and all requests with their retries and waits share one budget: a proxy that
 * accepts the connection and never answers ends the job in `timeoutMs`, not in the runner's six hours.
 */
import { checkOptionKeys, optionKeys } from '../_options.js'
import { ModelgateError } from '../errors.js'

/** The subset of `fetch` the client uses (tests inject their own). */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal }) => Promise<{
  readonly status: number
  readonly headers: { get(name: string): string | null }
  text(): Promise<string>
}>

/** Options of {@link upsertStickyComment}. */
export interface StickyCommentOptions {
  /** `GITHUB_TOKEN` (needs `pull-requests: write`). Never printed. */
  readonly token: string
  /** `GITHUB_API_URL`. @default 'https://api.github.com' */
  readonly apiUrl?: string
  /** `owner/name`. */
  readonly repo: string
  /** The pull request (= issue) number. */
  readonly issue: number
  /** The comment body; must contain `marker`. */
  readonly body: string
  /** The hidden marker that identifies our comment: one whose body starts with it and that `author` wrote is ours. */
  readonly marker: string
  /**
   * The login the token comments as, e.g. `my-app[bot]` for a GitHub App's token.
   * @default asked with `GET /user`; `github-actions[bot]` when the token may not ask (the Actions token)
   */
  readonly author?: string
  /** @default globalThis.fetch */
  readonly fetch?: FetchLike
  /** @default a setTimeout promise */
  readonly sleep?: (ms: number) => Promise<void>
  /** Clock for `x-ratelimit-reset`. @default Date.now */
  readonly now?: () => number
  /** Retries of one request after rate-limit answers, 5xx or network errors. @default 3 */
  readonly maxRetries?: number
  /** Longest single wait; a rate limit that resets later is reported instead of waited for. @default 60000 */
  readonly maxWaitMs?: number
  /** Time-out of one request (until its whole answer is read), ms. @default 30000 */
  readonly timeoutMs?: number
  /** Budget of every request, retry and wait together, ms. @default 120000 */
  readonly totalTimeoutMs?: number
}

/** The keys of {@link StickyCommentOptions}; any other key is refused. */
const STICKY_COMMENT_OPTION_KEYS = optionKeys<StickyCommentOptions>({
  token: true, apiUrl: true, repo: true, issue: true, body: true, marker: true, author: true, fetch: true, sleep: true, now: true,
  maxRetries: true, maxWaitMs: true, timeoutMs: true, totalTimeoutMs: true,
})

/** Default {@link StickyCommentOptions.timeoutMs}. */
const DEFAULT_GITHUB_TIMEOUT_MS = 30_000
/** Default {@link StickyCommentOptions.totalTimeoutMs}. */
const DEFAULT_GITHUB_TOTAL_TIMEOUT_MS = 120_000
/** The login of comments written with the Actions token (`user.type` is `Bot`). */
const ACTIONS_BOT_LOGIN = 'github-actions[bot]'

/** What {@link upsertStickyComment} did. */
export interface StickyCommentResult {
  readonly action: 'created' | 'updated'
  readonly id: number
  /** The comment's web address (`html_url`), when GitHub returned one. */
  readonly url: string | undefined
  /** The login the token comments as (see {@link StickyCommentOptions.author}); undefined when it was not needed. */
  readonly author: string | undefined
  /** Comments that start with the marker but were written by someone else: left alone. */
  readonly ignored: readonly { readonly id: number; readonly author: string }[]
}

interface Response { readonly status: number; readonly headers: { get(name: string): string | null }; readonly text: string }

/** One request: method, address, what it is for (named in time-out messages), body, statuses that are answers, not errors. */
type Request = (method: string, url: string, step: string, body?: string, accept?: readonly number[]) => Promise<Response>

/**
 * Creates our comment on the pull request, or updates it in place when one with the marker exists.
 * @returns whether it was created or updated, its id and address
 * @throws ModelgateError E_GITHUB_AUTH (401/403/404: the token cannot write here, e.g. a fork PR),
 *   E_GITHUB_API (other refusals, rate limits that outlast `maxWaitMs`, network failures),
 *   E_GITHUB_TIMEOUT (no answer within `timeoutMs`, or the `totalTimeoutMs` budget spent)
 */
export async function upsertStickyComment(options: StickyCommentOptions): Promise<StickyCommentResult> {
  checkOptionKeys(options, STICKY_COMMENT_OPTION_KEYS, 'upsertStickyComment()')
  if (!/^[\w.-]+\/[\w.-]+$/.test(options.repo)) throw new ModelgateError('E_GITHUB_CONTEXT', `${JSON.stringify(options.repo)} is not owner/name.`, { value: options.repo })
  if (!Number.isSafeInteger(options.issue) || options.issue <= 0) throw new ModelgateError('E_GITHUB_CONTEXT', `${JSON.stringify(options.issue)} is not a pull request number.`, { value: options.issue })
  const api = new URL((options.apiUrl ?? 'https://api.github.com').replace(/\/+$/, '') + '/')
  const request = requester(options, api)
  const base = `repos/${options.repo}/issues`

  let next: string | undefined = new URL(`${base}/${options.issue}/comments?per_page=100`, api).href
  let found: number | undefined
  // asked only when a comment carries the marker: the first run costs no extra request
  let author = options.author
  const ignored: { id: number; author: string }[] = []
  for (let page = 0; next !== undefined && found === undefined && page < 100; page++) {
    const res = await request('GET', next, 'listing the comments')
    const comments = parseJson(res.text, 'the comment list')
    if (!Array.isArray(comments)) throw apiError(res, 'listing the comments', options.token)
    for (const c of comments as unknown[]) {
      if (isRecord(c) && typeof c.id === 'number' && typeof c.body === 'string' && c.body.startsWith(options.marker)) {
        author ??= await whoAmI(request, api, options.token)
        const writer = commentAuthor(c)
        if (writer !== undefined && isAuthor(writer, author)) {
          found = c.id
          break
        }
        ignored.push({ id: c.id, author: writer?.login ?? 'unknown' })
      }
    }
    next = nextLink(res.headers.get('link'), api)
  }

  const payload = JSON.stringify({ body: options.body })
  const res = found === undefined
    ? await request('POST', new URL(`${base}/${options.issue}/comments`, api).href, 'creating the comment', payload)
    : await request('PATCH', new URL(`${base}/comments/${found}`, api).href, 'updating the comment', payload)
  const comment = parseJson(res.text, 'the comment')
  const id = isRecord(comment) && typeof comment.id === 'number' ? comment.id : found
  if (id === undefined) throw apiError(res, 'creating the comment', options.token)
  const url = isRecord(comment) && typeof comment.html_url === 'string' ? comment.html_url : undefined
  return { action: found === undefined ? 'created' : 'updated', id, url, author, ignored }
}

/** The login the token writes as: `GET /user`, or the Actions bot when the token may not ask (403/404). */
async function whoAmI(request: Request, api: URL, token: string): Promise<string> {
  const res = await request('GET', new URL('user', api).href, 'asking who the token belongs to', undefined, [403, 404])
  if (res.status === 403 || res.status === 404) return ACTIONS_BOT_LOGIN
  const user = parseJson(res.text, 'the authenticated user')
  if (isRecord(user) && typeof user.login === 'string' && user.login !== '') return user.login
  throw apiError(res, 'GET /user', token)
}

function commentAuthor(c: Record<string, unknown>): { login: string; type: string } | undefined {
  const user = c.user
  if (!isRecord(user) || typeof user.login !== 'string') return undefined
  return { login: user.login, type: typeof user.type === 'string' ? user.type : '' }
}

/** Logins compare case-insensitively (GitHub's are); a `[bot]` login must also be a Bot account. */
function isAuthor(writer: { login: string; type: string }, author: string): boolean {
  if (writer.login.toLowerCase() !== author.toLowerCase()) return false
  return !author.toLowerCase().endsWith('[bot]') || writer.type === 'Bot'
}

function requester(options: StickyCommentOptions, api: URL): Request {
  const doFetch = options.fetch ?? (globalThis.fetch as unknown as FetchLike)
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)))
  const now = options.now ?? Date.now
  const maxRetries = options.maxRetries ?? 3
  const maxWaitMs = options.maxWaitMs ?? 60_000
  const timeoutMs = positiveMs(options.timeoutMs, DEFAULT_GITHUB_TIMEOUT_MS, 'timeoutMs')
  const totalMs = positiveMs(options.totalTimeoutMs, DEFAULT_GITHUB_TOTAL_TIMEOUT_MS, 'totalTimeoutMs')
  // the budget runs on the monotonic clock: `now` is GitHub's wall clock for x-ratelimit-reset (and fixed in tests)
  const started = performance.now()
  const left = (): number => totalMs - (performance.now() - started)
  const headers: Record<string, string> = {
    accept: 'application/vnd.github+json',
    authorization: `Bearer ${options.token}`,
    'user-agent': 'modelgate',
    'x-github-api-version': '2022-11-28',
  }
  const host = api.host
  return async (method, url, step, body, accept = []) => {
    // Never send the token to another host (a `Link` header could point anywhere).
    if (new URL(url).origin !== api.origin) throw new ModelgateError('E_GITHUB_API', `GitHub pointed to ${new URL(url).origin}, not ${api.origin}.`, { value: new URL(url).origin })
    const what = `${method} ${new URL(url).pathname}`
    const budget = `the ${seconds(totalMs)} s budget of all requests and retries`
    const outOfBudget = (attempts: number): ModelgateError =>
      new ModelgateError('E_GITHUB_TIMEOUT', `${host} did not answer ${what} (${step}) within ${budget} (${attempts} attempt${attempts === 1 ? '' : 's'}).`, { value: host })
    // a wait that would end past the budget is not started; `last` says how the last attempt ended
    const pause = async (ms: number, attempts: number, last: string): Promise<void> => {
      if (ms < left()) return sleep(ms)
      if (left() <= 0) throw outOfBudget(attempts)
      throw new ModelgateError('E_GITHUB_TIMEOUT', `${host}: ${what} (${step}) ${last} (${attempts} attempt${attempts === 1 ? '' : 's'}), and the next retry, in ${seconds(ms)} s, would outlast ${budget}.`, { value: host })
    }
    for (let attempt = 0; ; attempt++) {
      if (left() <= 0) throw outOfBudget(attempt)
      let res: Response
      const limit = Math.min(timeoutMs, left())
      try {
        res = await withTimeout(limit, (signal) => doFetch(url, { method, headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body }), signal }))
      } catch (error) {
        const timedOut = error instanceof TimedOut
        // cut short by the budget, not by its own time-out: nothing is left for a retry
        if (timedOut && limit < timeoutMs) throw outOfBudget(attempt + 1)
        if (attempt < maxRetries) {
          await pause(backoff(attempt), attempt + 1, timedOut ? `got no answer within ${seconds(limit)} s` : `failed: ${redact(error instanceof Error ? error.message : String(error), options.token)}`)
          continue
        }
        if (timedOut) {
          throw new ModelgateError('E_GITHUB_TIMEOUT', `${host} did not answer ${what} (${step}) within ${seconds(limit)} s${attempt > 0 ? `, ${attempt + 1} times` : ''}.`, { value: host })
        }
        throw new ModelgateError('E_GITHUB_API', `${what} failed: ${redact(error instanceof Error ? error.message : String(error), options.token)}.`, { value: what })
      }
      if (res.status >= 200 && res.status < 300) return res
      const wait = retryWait(res, attempt, now)
      if (wait === undefined && accept.includes(res.status)) return res
      if (wait !== undefined && attempt < maxRetries) {
        if (wait > maxWaitMs) throw new ModelgateError('E_GITHUB_API', `${what}: GitHub's rate limit resets in ${Math.ceil(wait / 1000)} s, longer than the ${Math.ceil(maxWaitMs / 1000)} s modelgate waits.`, { value: res.status })
        await pause(wait, attempt + 1, `answered ${res.status} (${redact(githubMessage(res.text), options.token)})`)
        continue
      }
      if (wait === undefined && (res.status === 401 || res.status === 403 || res.status === 404)) {
        throw new ModelgateError(
          'E_GITHUB_AUTH',
          `${what} answered ${res.status} (${redact(githubMessage(res.text), options.token)})${res.status === 401 ? ': the token is invalid or expired' : '; a job needs `permissions: pull-requests: write`, and a fork PR never gets it'}.`,
          { value: res.status },
        )
      }
      if (wait !== undefined) throw new ModelgateError('E_GITHUB_API', `${what} still answered ${res.status} (${redact(githubMessage(res.text), options.token)}) after ${maxRetries} retries.`, { value: res.status })
      throw apiError(res, what, options.token)
    }
  }
}

/** A request that outlived its time-out. */
class TimedOut extends Error {}

/** Runs a request (its answer read whole) under a time-out; aborts it when the time is up. */
async function withTimeout(ms: number, run: (signal: AbortSignal) => ReturnType<FetchLike>): Promise<Response> {
  const controller = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  // an injected fetch may ignore the signal: the race ends the wait either way
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort()
      reject(new TimedOut())
    }, ms)
  })
  try {
    return await Promise.race([
      (async () => {
        const raw = await run(controller.signal)
        return { status: raw.status, headers: raw.headers, text: await raw.text() }
      })(),
      expired,
    ])
  } finally {
    clearTimeout(timer)
  }
}

function positiveMs(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ModelgateError('E_GITHUB_CONTEXT', `${name} must be a positive number of milliseconds, got ${JSON.stringify(value)}.`, { value })
  }
  return value
}

function seconds(ms: number): string {
  return String(Number((ms / 1000).toPrecision(3)))
}

/** How long to wait before retrying, or undefined when the answer is final. */
function retryWait(res: Response, attempt: number, now: () => number): number | undefined {
  const retryAfter = res.headers.get('retry-after')
  const remaining = res.headers.get('x-ratelimit-remaining')
  const rateLimited = res.status === 429 || (res.status === 403 && (retryAfter !== null || remaining === '0'))
  if (!rateLimited) return res.status >= 500 && res.status !== 501 ? backoff(attempt) : undefined
  if (retryAfter !== null && /^\d+$/.test(retryAfter.trim())) return Number(retryAfter) * 1000
  const reset = res.headers.get('x-ratelimit-reset')
  if (remaining === '0' && reset !== null && /^\d+$/.test(reset.trim())) return Math.max(0, Number(reset) * 1000 - now()) + 1000
  // A secondary rate limit without headers: GitHub asks for at least a minute.
  return Math.max(60_000, backoff(attempt))
}

function backoff(attempt: number): number {
  return 1000 * 2 ** attempt
}

/** The `rel="next"` address of a `Link` header. */
export function nextLink(link: string | null, api: URL): string | undefined {
  if (link === null) return undefined
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part)
    if (m !== null) return new URL(m[1]!, api).href
  }
  return undefined
}

function apiError(res: Response, what: string, token: string): ModelgateError {
  return new ModelgateError('E_GITHUB_API', `${what} answered ${res.status}: ${redact(githubMessage(res.text), token)}.`, { value: res.status })
}

function githubMessage(text: string): string {
  try {
    const parsed: unknown = JSON.parse(text)
    if (isRecord(parsed) && typeof parsed.message === 'string') return parsed.message.slice(0, 300)
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.slice(0, 300) || 'no message'
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw new ModelgateError('E_GITHUB_API', `GitHub answered with something that is not JSON for ${what}.`, { value: text.slice(0, 100), cause: error })
  }
}

/** Removes the token from text that will be shown. */
export function redact(text: string, token: string): string {
  return token.length >= 4 ? text.split(token).join('***') : text
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
