/**
 * A local stand-in for GitHub's REST API on 127.0.0.1 (ephemeral port): issue comments with pagination,
 * `GET /user`, and scripted failures (403, 429, secondary rate limits, no answer at all). Records every request.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedRequest {
  readonly method: string
  readonly path: string
  readonly authorization: string | undefined
  readonly apiVersion: string | undefined
  readonly body: string
}

/** A scripted answer given instead of the normal behaviour (consumed in order). */
export interface ScriptedAnswer {
  readonly status: number
  readonly headers?: Record<string, string>
  readonly body: unknown
}

export interface MockGitHub {
  /** e.g. http://127.0.0.1:41234/api/v3 (a GHES-like prefix, to check GITHUB_API_URL is honoured). */
  readonly url: string
  readonly requests: RecordedRequest[]
  /** Comments per issue number. */
  readonly comments: Map<number, { id: number; body: string; user: { login: string; type: string } }[]>
  /** Answers to give before behaving normally. */
  readonly script: ScriptedAnswer[]
  /**
   * Who the token is. `'actions'` (the default) is the Actions token: `GET /user` answers 403 "Resource not
   * accessible by integration", as GitHub does, and comments are posted as github-actions[bot] (type Bot).
   */
  identity: 'actions' | { login: string; type: string }
  /** Accept requests and never answer them (a stalled proxy). */
  silent: boolean
  close(): Promise<void>
}

const PREFIX = '/api/v3'

export async function startMockGitHub(): Promise<MockGitHub> {
  const requests: RecordedRequest[] = []
  const comments: MockGitHub['comments'] = new Map()
  const script: ScriptedAnswer[] = []
  let nextId = 1000
  let base = ''

  const handle = (req: IncomingMessage, body: string, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', base)
    if (mock.silent) return
    requests.push({ method: req.method ?? '', path: `${url.pathname}${url.search}`, authorization: req.headers.authorization, apiVersion: req.headers['x-github-api-version'] as string | undefined, body })
    const send = (status: number, data: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers })
      res.end(JSON.stringify(data))
    }
    const scripted = script.shift()
    if (scripted !== undefined) return send(scripted.status, scripted.body, scripted.headers)

    if (url.pathname === `${PREFIX}/user` && req.method === 'GET') {
      return mock.identity === 'actions'
        ? send(403, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest/users/users#get-the-authenticated-user', status: '403' })
        : send(200, { login: mock.identity.login, id: 1, type: mock.identity.type })
    }
    const list = /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname)
    const one = /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(url.pathname)
    if (list !== null && req.method === 'GET') {
      const all = comments.get(Number(list[3])) ?? []
      const perPage = Number(url.searchParams.get('per_page') ?? 30)
      const page = Number(url.searchParams.get('page') ?? 1)
      const last = Math.max(1, Math.ceil(all.length / perPage))
      const headers: Record<string, string> = {}
      if (page < last) {
        const link = (p: number): string => `${base}${url.pathname}?per_page=${perPage}&page=${p}`
        headers.link = `<${link(page + 1)}>; rel="next", <${link(last)}>; rel="last"`
      }
      return send(200, all.slice((page - 1) * perPage, page * perPage), headers)
    }
    if (list !== null && req.method === 'POST') {
      const user = mock.identity === 'actions' ? { login: 'github-actions[bot]', type: 'Bot' } : { ...mock.identity }
      const comment = { id: nextId++, body: (JSON.parse(body) as { body: string }).body, user }
      const issue = Number(list[3])
      comments.set(issue, [...(comments.get(issue) ?? []), comment])
      return send(201, { ...comment, html_url: `https://github.example/${list[1]}/${list[2]}/pull/${issue}#issuecomment-${comment.id}` })
    }
    if (one !== null && req.method === 'PATCH') {
      for (const [issue, cs] of comments) {
        const c = cs.find((x) => x.id === Number(one[3]))
        if (c !== undefined) {
          const me = mock.identity === 'actions' ? 'github-actions[bot]' : mock.identity.login
          // GitHub lets a token edit its own comments only (a repository admin's token aside)
          if (c.user.login.toLowerCase() !== me.toLowerCase()) return send(403, { message: 'You cannot edit this comment' })
          c.body = (JSON.parse(body) as { body: string }).body
          return send(200, { ...c, html_url: `https://github.example/${one[1]}/${one[2]}/pull/${issue}#issuecomment-${c.id}` })
        }
      }
    }
    send(404, { message: 'Not Found' })
  }

  const server: Server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (body += chunk))
    req.on('end', () => handle(req, body, res))
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const mock: MockGitHub = {
    url: `${base}${PREFIX}`,
    requests,
    comments,
    script,
    identity: 'actions',
    silent: false,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done())
        // a silent server still holds the connections it never answered
        server.closeAllConnections()
      }),
  }
  return mock
}
