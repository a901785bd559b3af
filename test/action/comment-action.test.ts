/**
 * The composite action (action.yml): its run step, action/comment.mjs, executed as the runner would, against
 * the local mock of GitHub's API. The download-artifact step needs GitHub itself and is not run here.
 */
import { spawn } from 'node:child_process'
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { COMMENT_MARKER } from '../../src/report/index.js'
import { startMockGitHub, type MockGitHub } from '../cli/mock-github.js'
import { modelgateNodeModules } from '../e2e/package.js'
import { REPO } from '../e2e/paths.js'
import { report, result } from '../report/sample-reports.js'

const TOKEN = 'ghs_ACTIONtoken1234567890abcdef'
const SCRIPT = join(REPO, 'action', 'comment.mjs')
const ACTION = readFileSync(join(REPO, 'action.yml'), 'utf8')

let github: MockGitHub
let workspace: string

beforeEach(async () => {
  github = await startMockGitHub()
  workspace = mkdtempSync(join(tmpdir(), 'modelgate-action-'))
  mkdirSync(join(workspace, 'artifact'))
  writeFileSync(join(workspace, 'artifact', 'modelgate-report.json'), JSON.stringify(report([result({ model: 'models/a.onnx', baseline: 100, current: 120, verdict: 'regression' })])))
})

afterEach(async () => {
  await github.close()
  rmSync(workspace, { recursive: true, force: true })
})

/** Runs the step as action.yml does: MODELGATE_* from the inputs, GITHUB_* from the runner. */
function runStep(inputs: Record<string, string>, extraEnv: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NO_COLOR: '1',
    GITHUB_TOKEN: TOKEN,
    GITHUB_API_URL: github.url,
    GITHUB_REPOSITORY: 'octo/models',
    MODELGATE_REPORT: join(workspace, 'artifact', 'modelgate-report.json'),
    MODELGATE_PR: '',
    MODELGATE_REPO: 'octo/models',
    MODELGATE_VERSION: '',
    ...inputs,
    ...extraEnv,
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, output: output.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT') }))
  })
}

/** The workspace after `npm ci`: modelgate built from this repository's sources in node_modules. */
function installModelgate(): void {
  symlinkSync(modelgateNodeModules(), join(workspace, 'node_modules'), 'dir')
}

describe('action.yml', () => {
  test('hands every input to the run step under the names comment.mjs reads', () => {
    expect(ACTION).toContain('run: node "$GITHUB_ACTION_PATH/action/comment.mjs"')
    const script = readFileSync(SCRIPT, 'utf8')
    for (const name of ['MODELGATE_REPORT', 'MODELGATE_PR', 'MODELGATE_REPO', 'MODELGATE_VERSION', 'GITHUB_TOKEN']) {
      expect(ACTION).toMatch(new RegExp(`^ {8}${name}: \\$\\{\\{ .+ \\}\\}$`, 'm'))
      // GITHUB_TOKEN goes on to modelgate comment through the environment
      if (name !== 'GITHUB_TOKEN') expect(script).toContain(`env.${name}`)
    }
    // the default report is where the download step puts the artifact
    expect(ACTION).toContain("path: ${{ runner.temp }}/modelgate-report\n")
    expect(ACTION).toContain("format('{0}/modelgate-report/modelgate-report.json', runner.temp)")
  })
})

describe('the action\'s run step (action/comment.mjs)', () => {
  test('posts the comment with the project\'s modelgate, then updates the same comment', async () => {
    installModelgate()
    const first = await runStep({ MODELGATE_PR: '7' })
    expect(first.code, first.output).toBe(0)
    const second = await runStep({ MODELGATE_PR: '7' })
    expect(second.code, second.output).toBe(0)
    expect(github.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v3/repos/octo/models/issues/7/comments?per_page=100',
      'POST /api/v3/repos/octo/models/issues/7/comments',
      'GET /api/v3/repos/octo/models/issues/7/comments?per_page=100',
      // a marker comment exists: ask who the token is (the Actions token gets 403 → github-actions[bot]) before editing it
      'GET /api/v3/user',
      'PATCH /api/v3/repos/octo/models/issues/comments/1000',
    ])
    expect(github.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true)
    expect(github.comments.get(7)).toHaveLength(1)
    expect(github.comments.get(7)?.[0]?.body.startsWith(`${COMMENT_MARKER}\n## modelgate · 1 regression`)).toBe(true)
    expect(second.output).toBe('modelgate: updated the report comment on octo/models#7: https://github.example/octo/models/pull/7#issuecomment-1000\n')
    expect(first.output + second.output).not.toContain(TOKEN)
  })

  test('takes the PR number from the pr-number file beside the report when the input is empty', async () => {
    installModelgate()
    writeFileSync(join(workspace, 'artifact', 'pr-number'), '42\n')
    const run = await runStep({})
    expect(run.code, run.output).toBe(0)
    expect([...github.comments.keys()]).toEqual([42])
  })

  test('refuses a pr-number that is not a number (it comes from the PR\'s run) before any request', async () => {
    installModelgate()
    writeFileSync(join(workspace, 'artifact', 'pr-number'), '7; curl evil.example\n')
    const run = await runStep({})
    expect(run.code).toBe(2)
    expect(run.output).toContain('::error title=modelgate comment::')
    expect(run.output).toContain('"7; curl evil.example", not a pull request number.')
    expect(github.requests).toEqual([])
  })

  test('passes on modelgate comment\'s exit code: 3 when the token may not write to the PR', async () => {
    installModelgate()
    github.script.push({ status: 403, body: { message: 'Resource not accessible by integration' } })
    const run = await runStep({ MODELGATE_PR: '7' })
    expect(run.code).toBe(3)
    expect(run.output).toContain('E_GITHUB_AUTH')
  })

  test('without a PR number anywhere, it exits 2 as modelgate comment does', async () => {
    installModelgate()
    const run = await runStep({})
    expect(run.code).toBe(2)
    expect(run.output).toContain('E_GITHUB_CONTEXT: No pull request number')
    expect(github.requests).toEqual([])
  })

  test.skipIf(process.platform === 'win32')('without modelgate installed, runs npx modelgate@<this action\'s version>', async () => {
    // a stand-in npx on PATH records its arguments instead of reaching the registry
    const bin = join(workspace, 'bin')
    mkdirSync(bin)
    writeFileSync(join(bin, 'npx'), `#!/bin/sh\nprintf '%s\\n' "$@" > "${join(workspace, 'npx-args')}"\nexit 0\n`)
    chmodSync(join(bin, 'npx'), 0o755)
    const env = { PATH: `${bin}:${process.env.PATH ?? ''}` }
    const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version
    const reportPath = join(workspace, 'artifact', 'modelgate-report.json')

    expect((await runStep({ MODELGATE_PR: '7' }, env)).code).toBe(0)
    expect(readFileSync(join(workspace, 'npx-args'), 'utf8').trim().split('\n')).toEqual(['--yes', `modelgate@${version}`, 'comment', '--report', reportPath, '--pr', '7', '--repo', 'octo/models'])
    expect((await runStep({ MODELGATE_PR: '7', MODELGATE_VERSION: '0.2.1' }, env)).code).toBe(0)
    expect(readFileSync(join(workspace, 'npx-args'), 'utf8')).toContain('modelgate@0.2.1\n')
  })
})
