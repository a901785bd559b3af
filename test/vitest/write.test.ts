import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseBaseline, serializeBaseline, type BaselineEntry } from '../../src/baseline/index.js'
import type { GateContext } from '../../src/matchers/context.js'
import type { CollectedRun, FileChecks } from '../../src/vitest/collect.js'
import { writeBaselines } from '../../src/vitest/write.js'

let root: string
const entry = (params: number): BaselineEntry => ({
  model: 'm.onnx', sha256: 'a'.repeat(64), costModelVersion: '1.0.0', shapes: {}, dims: {},
  metrics: { params: { value: params, unit: 'params', direction: 'lower', tolerance: { relative: 0 } } },
})

function context(update: GateContext['update']): GateContext {
  return { root, baselineDir: join(root, 'baselines'), update, tolerance: {}, calibrated: false, metrics: [], bench: {} }
}

function checks(name: string, updates: Record<string, BaselineEntry>, checked: readonly string[] = Object.keys(updates), protectedTests: string[] = []): FileChecks {
  const path = join(root, 'baselines', `${name}.json`)
  return { path, display: `baselines/${name}.json`, checked: new Set(checked), updates: new Map(Object.entries(updates)), protectedTests, complete: true }
}

function runOf(...files: FileChecks[]): CollectedRun {
  return { results: [], files: new Map(files.map((f) => [f.path, f])) }
}

function commit(name: string, entries: Record<string, BaselineEntry>): string {
  const text = serializeBaseline({ schema: 'modelgate-baseline/1', entries })
  mkdirSync(join(root, 'baselines'), { recursive: true })
  writeFileSync(join(root, 'baselines', `${name}.json`), text)
  return text
}

const keysOf = (name: string): string[] => Object.keys(parseBaseline(readFileSync(join(root, 'baselines', `${name}.json`), 'utf8'), name).entries)

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'modelgate-write-'))
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

describe('the baseline writer', () => {
  it('writes new entries into a new file, and reports what it wrote', async () => {
    const outcome = await writeBaselines(runOf(checks('a', { 'x › m': entry(1) })), context('new'), true)
    expect(outcome.written).toEqual([{ file: 'baselines/a.json', changed: 1, pruned: 0 }])
    expect(keysOf('a')).toEqual(['x › m'])
  })

  it('leaves a file alone when nothing changed', async () => {
    const text = commit('a', { 'x › m': entry(1) })
    const outcome = await writeBaselines(runOf(checks('a', {}, ['x › m'])), context('all'), true)
    expect(outcome.written).toEqual([])
    expect(readFileSync(join(root, 'baselines/a.json'), 'utf8')).toBe(text)
  })

  it('never overwrites a file it cannot read, unless updating', async () => {
    mkdirSync(join(root, 'baselines'))
    writeFileSync(join(root, 'baselines/a.json'), '<<<<<<< HEAD\n')
    const outcome = await writeBaselines(runOf(checks('a', { 'x › m': entry(1) })), context('new'), true)
    expect(outcome.unreadable).toEqual([{ file: 'baselines/a.json', reason: expect.stringContaining('merge-conflict markers') }])
    expect(readFileSync(join(root, 'baselines/a.json'), 'utf8')).toBe('<<<<<<< HEAD\n')
    await writeBaselines(runOf(checks('a', { 'x › m': entry(1) })), context('all'), true)
    expect(keysOf('a')).toEqual(['x › m'])
  })

  it('reports obsolete entries and keeps them, except in a full update run', async () => {
    commit('a', { 'x › m': entry(1), 'gone › m': entry(1), 'skipped › m': entry(1) })
    const run = (): CollectedRun => runOf(checks('a', {}, ['x › m'], ['skipped']))
    expect((await writeBaselines(run(), context('new'), true)).obsolete.map((o) => o.key)).toEqual(['gone › m'])
    await writeBaselines(run(), context('all'), false)
    expect(keysOf('a')).toEqual(['gone › m', 'skipped › m', 'x › m'])
    const full = await writeBaselines(run(), context('all'), true)
    expect(full.written).toEqual([{ file: 'baselines/a.json', changed: 0, pruned: 1 }])
    expect(keysOf('a')).toEqual(['skipped › m', 'x › m'])
  })

  it('deletes the file of a deleted test file only in a full update run', async () => {
    commit('orphan', { 'x › m': entry(1) })
    const report = await writeBaselines(runOf(), context('new'), true)
    expect(report.obsolete.map((o) => `${o.file}: ${o.key}`)).toEqual(['baselines/orphan.json: x › m'])
    expect(existsSync(join(root, 'baselines/orphan.json'))).toBe(true)
    expect((await writeBaselines(runOf(), context('all'), true)).deleted).toEqual(['baselines/orphan.json'])
    expect(existsSync(join(root, 'baselines/orphan.json'))).toBe(false)
  })

  it('keeps every entry of a test file that failed to load', async () => {
    commit('a', { 'x › m': entry(1) })
    const broken = { ...checks('a', {}, []), complete: false }
    expect((await writeBaselines(runOf(broken), context('all'), true)).obsolete).toEqual([])
    expect(keysOf('a')).toEqual(['x › m'])
  })
})
