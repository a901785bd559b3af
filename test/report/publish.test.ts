import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { COMMENT_MARKER, publishReport, renderAnnotations, wantsColor } from '../../src/report/index.js'
import { latency, report, result } from './sample-reports.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modelgate-publish-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

function capture(isTTY = false): { write(s: string): void; readonly isTTY: boolean; text: string } {
  return {
    isTTY,
    text: '',
    write(s: string) {
      this.text += s
    },
  }
}

const failing = report([
  { ...result({ model: 'models/a.onnx', baseline: 100, current: 120, verdict: 'regression' }), test: { file: 'test/a.test.ts', name: 'a, within budget', line: 7 } },
  latency('models/b.onnx', 5, 5.1),
])

describe('publishReport', () => {
  test('writes the JSON and markdown files and prints the terminal table', async () => {
    const stdout = capture()
    const paths = await publishReport(failing, { dir: join(dir, 'out'), env: {}, stdout })
    expect(JSON.parse(await readFile(paths.jsonPath, 'utf8'))).toEqual(failing)
    expect(await readFile(paths.markdownPath, 'utf8')).toMatch(new RegExp(`^${COMMENT_MARKER}\\n## modelgate · 1 regression · 1 unchanged`))
    expect(stdout.text).toContain('modelgate · 1 regression · 1 unchanged')
    expect(stdout.text).not.toContain('::error')
    expect(stdout.text).not.toMatch(/\u001b\[/)
  })

  test('under GitHub Actions it appends to the job summary and annotates the failing test', async () => {
    const summary = join(dir, 'summary.md')
    await writeFile(summary, '# earlier step\n')
    const stdout = capture()
    await publishReport(failing, { dir, env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary }, stdout })
    const text = await readFile(summary, 'utf8')
    expect(text.startsWith(`# earlier step\n${COMMENT_MARKER}\n`)).toBe(true)
    expect(stdout.text.split('\n')[0]).toMatchInlineSnapshot(`"::error file=test/a.test.ts,line=7,title=modelgate%3A params regression::models/a.onnx params: 100 params → 120 params (+20.0 %25, limit exact)"`)
  })

  test('at most 10 annotations, then one line counting the rest', () => {
    const many = report(Array.from({ length: 13 }, (_, i) => result({ model: `m${String(i).padStart(2, '0')}.onnx`, baseline: 1, current: 2, verdict: 'regression' })))
    const lines = renderAnnotations(many)
    expect(lines.filter((l) => l.startsWith('::error '))).toHaveLength(10)
    expect(lines.at(-1)).toBe('modelgate: 3 more failing metrics are in the job summary and modelgate-report.md')
  })

  test('colour on a TTY unless NO_COLOR; FORCE_COLOR turns it on when piped', async () => {
    expect(wantsColor({}, true)).toBe(true)
    expect(wantsColor({ NO_COLOR: '1' }, true)).toBe(false)
    expect(wantsColor({}, false)).toBe(false)
    expect(wantsColor({ FORCE_COLOR: '1' }, false)).toBe(true)
    const tty = capture(true)
    await publishReport(failing, { dir, env: {}, stdout: tty })
    expect(tty.text).toMatch(/\u001b\[31m/)
  })
})
