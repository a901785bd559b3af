/**
 * End to end: obsolete entries (a renamed test, a deleted test file) are reported, kept by plain and filtered
 * runs, and pruned only by a full, unfiltered update run; a skipped test's entry is never obsolete.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { parseBaseline } from '../../src/baseline/index.js'
import { convModel, createProject, type FixtureProject } from './harness.js'

function suite(names: readonly string[], skip: readonly string[] = []): string {
  return `import { expect, test } from 'vitest'
import { loadModel } from 'modelgate'
${names.map((name) => `
test${skip.includes(name) ? '.skip' : ''}(${JSON.stringify(name)}, async () => {
  await expect(await loadModel('models/net.onnx')).toMatchBaseline({ metrics: ['params'] })
})
`).join('')}`
}

function keys(project: FixtureProject, file: string): string[] {
  return Object.keys(parseBaseline(project.read(file), file).entries)
}

describe('obsolete baseline entries', () => {
  let project: FixtureProject
  beforeAll(async () => {
    project = createProject({ 'models/net.onnx': convModel(8), 'test/a.test.ts': suite(['x', 'y']), 'test/b.test.ts': suite(['b']) }, { test: 'maxWorkers: 2,' })
    const first = await project.vitest(['run'])
    expect(first.code, first.output).toBe(0)
  })
  afterAll(() => project.remove())

  test('a renamed test leaves an obsolete entry that plain and filtered runs report and keep', async () => {
    project.write('test/a.test.ts', suite(['x', 'z']))
    const plain = await project.vitest(['run'])
    expect(plain.code, plain.output).toBe(0)
    expect(plain.output).toContain('modelgate: 1 obsolete baseline entry (no test checked it); a full `vitest run -u` removes it.')
    expect(plain.output).toMatch(/models\/net\.onnx\s+params\s+224 params\s+—\s+—\s+exact\s+obsolete/)
    expect(keys(project, 'baselines/test/a.test.ts.json')).toEqual(['x › models/net.onnx', 'y › models/net.onnx', 'z › models/net.onnx'])

    const filtered = await project.vitest(['run', 'test/a.test.ts', '-u'])
    expect(filtered.code, filtered.output).toBe(0)
    expect(keys(project, 'baselines/test/a.test.ts.json')).toContain('y › models/net.onnx')
  })

  test('a full update run prunes obsolete entries and files, but keeps a skipped test\'s entry', async () => {
    project.write('test/a.test.ts', suite(['x', 'z'], ['x']))
    project.write('test/b.test.ts', '')
    const update = await project.vitest(['run', '-u', '--passWithNoTests'])
    expect(update.code, update.output).toBe(0)
    expect(keys(project, 'baselines/test/a.test.ts.json')).toEqual(['x › models/net.onnx', 'z › models/net.onnx'])
    expect(project.exists('baselines/test/b.test.ts.json')).toBe(false)
  })
})
