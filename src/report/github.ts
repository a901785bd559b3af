/**
 * The only network code of modelgate: a sticky PR comment through GitHub's REST API with plain `fetch`
 * (research/gating.md §3.1, ecosystem.md §4.5). Find our comment by its hidden marker (following the `Link`
 * header's pages), then PATCH it or POST a new one. Rate-limit answers are retried with bounded back-off.
 * The token is only ever put into the Authorization header, and redacted from anything that is reported.
 */
import { ModelgateError } from '../errors.js'

/** The subset of `fetch` the client uses (tests inject their own). */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<{
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
  /** The hidden marker that identifies our comment; a comment whose body starts with it is ours. */
  readonly marker: string
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
}

/** What {@link upsertStickyComment} did. */
export interface StickyCommentResult {
  readonly action: 'created' | 'updated'
  readonly id: number
  /** The comment's web address (`html_url`), when GitHub returned one. */
  readonly url: string | undefined
}

interface Response { readonly status: number; readonly headers: { get(name: string): string | null }; readonly text: string }

/**
 * Creates our comment on the pull request, or updates it in place when one with the marker exists.
 * @returns whether it was created or updated, its id and address
 * @throws ModelgateError E_GITHUB_AUTH (401/403/404: the token cannot write here, e.g. a fork PR),
 *   E_GITHUB_API (other refusals, rate limits that outlast `maxWaitMs`, network failures)
 */
export async function upsertStickyComment(options: StickyCommentOptions): Promise<StickyCommentResult> {
  if (!/^[\w.-]+\/[\w.-]+$/.test(options.repo)) throw new ModelgateError('E_GITHUB_CONTEXT', `${JSON.stringify(options.repo)} is not owner/name.`, { value: options.repo })
  if (!Number.isSafeInteger(options.issue) || options.issue <= 0) throw new ModelgateError('E_GITHUB_CONTEXT', `${JSON.stringify(options.issue)} is not a pull request number.`, { value: options.issue })
  const api = new URL((options.apiUrl ?? 'https://api.github.com').replace(/\/+$/, '') + '/')
  const request = requester(options, api)
  const base = `repos/${options.repo}/issues`

  let next: string | undefined = new URL(`${base}/${options.issue}/comments?per_page=100`, api).href
  let found: number | undefined
  for (let page = 0; next !== undefined && found === undefined && page < 100; page++) {
    const res = await request('GET', next)
    const comments = parseJson(res.text, 'the comment list')
    if (!Array.isArray(comments)) throw apiError(res, 'listing the comments', options.token)
    for (const c of comments as unknown[]) {
      if (isRecord(c) && typeof c.id === 'number' && typeof c.body === 'string' && c.body.startsWith(options.marker)) {
        found = c.id
        break
      }
    }
    next = nextLink(res.headers.get('link'), api)
  }

  const payload = JSON.stringify({ body: options.body })
  const res = found === undefined
    ? await request('POST', new URL(`${base}/${options.issue}/comments`, api).href, payload)
    : await request('PATCH', new URL(`${base}/comments/${found}`, api).href, payload)
  const comment = parseJson(res.text, 'the comment')
  const id = isRecord(comment) && typeof comment.id === 'number' ? comment.id : found
  if (id === undefined) throw apiError(res, 'creating the comment', options.token)
  const url = isRecord(comment) && typeof comment.html_url === 'string' ? comment.html_url : undefined
  return { action: found === undefined ? 'created' : 'updated', id, url }
}

function requester(options: StickyCommentOptions, api: URL): (method: string, url: string, body?: string) => Promise<Response> {
  const doFetch = options.fetch ?? (globalThis.fetch as unknown as FetchLike)
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)))
  const now = options.now ?? Date.now
  const maxRetries = options.maxRetries ?? 3
  const maxWaitMs = options.maxWaitMs ?? 60_000
  const headers: Record<string, string> = {
    accept: 'application/vnd.github+json',
    authorization: `Bearer ${options.token}`,
    'user-agent': 'modelgate',
    'x-github-api-version': '2022-11-28',
  }
  return async (method, url, body) => {
    // Never send the token to another host (a `Link` header could point anywhere).
    if (new URL(url).origin !== api.origin) throw new ModelgateError('E_GITHUB_API', `GitHub pointed to ${new URL(url).origin}, not ${api.origin}.`, { value: new URL(url).origin })
    const what = `${method} ${new URL(url).pathname}`
    for (let attempt = 0; ; attempt++) {
      let res: Response
      try {
        const raw = await doFetch(url, { method, headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body }) })
        res = { status: raw.status, headers: raw.headers, text: await raw.text() }
      } catch (error) {
        if (attempt < maxRetries) {
          await sleep(backoff(attempt))
          continue
        }
        throw new ModelgateError('E_GITHUB_API', `${what} failed: ${redact(error instanceof Error ? error.message : String(error), options.token)}.`, { value: what })
      }
      if (res.status >= 200 && res.status < 300) return res
      const wait = retryWait(res, attempt, now)
      if (wait !== undefined && attempt < maxRetries) {
        if (wait > maxWaitMs) throw new ModelgateError('E_GITHUB_API', `${what}: GitHub's rate limit resets in ${Math.ceil(wait / 1000)} s, longer than the ${Math.ceil(maxWaitMs / 1000)} s modelgate waits.`, { value: res.status })
        await sleep(wait)
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
