import { describe, expect, it } from 'vitest'
import { applyEntries, baselineFileFor, emptyBaseline, entryKey, nextEntry, obsoleteKeys, type BaselineEntry } from '../../src/baseline/index.js'

function entry(params: number, macs = 1000, sha = 'a'): BaselineEntry {
  return {
    model: 'models/net.onnx',
    sha256: sha.repeat(64),
    costModelVersion: '1.0.0',
    shapes: {},
    dims: {},
    metrics: {
      params: { value: params, unit: 'params', direction: 'lower', tolerance: { relative: 0 } },
      macs: { value: macs, unit: 'MACs', direction: 'lower', tolerance: { relative: 0 } },
    },
  }
}

describe('a baseline entry after a run', () => {
  it('is written when missing, unless on CI', () => {
    expect(nextEntry(undefined, entry(1), {}, 'new')).toEqual(entry(1))
    expect(nextEntry(undefined, entry(1), {}, 'all')).toEqual(entry(1))
    expect(nextEntry(undefined, entry(1), {}, 'none')).toBeNull()
  })

  it('only gains missing metrics on a local run', () => {
    const old = { ...entry(1), metrics: { params: entry(1).metrics.params! } }
    expect(nextEntry(old, entry(2, 5), { params: 'regression', macs: 'new' }, 'new')).toEqual({ ...old, metrics: { params: old.metrics.params, macs: entry(2, 5).metrics.macs } })
    expect(nextEntry(entry(1), entry(2), { params: 'regression', macs: 'pass' }, 'new')).toBeNull()
  })

  it('takes the changed figures and the new hash in an update, keeping unchanged ones', () => {
    const next = nextEntry(entry(1, 1000, 'a'), entry(2, 1000, 'b'), { params: 'regression', macs: 'pass' }, 'all')
    expect(next).toEqual(entry(2, 1000, 'b'))
    expect(nextEntry(entry(1), entry(1), { params: 'pass', macs: 'pass' }, 'all')).toBeNull()
  })

  it('keeps a measured figure that is only inconclusively different in an update', () => {
    const old = entry(1, 1000)
    const next = nextEntry(old, entry(1, 1200), { params: 'pass', macs: 'inconclusive' }, 'all')
    expect(next).toBeNull()
  })

  it('drops metrics the test no longer checks in an update', () => {
    const current = { ...entry(1), metrics: { params: entry(1).metrics.params! } }
    expect(nextEntry(entry(1), current, { params: 'pass' }, 'all')).toEqual(current)
  })
})

describe('a baseline file after a run', () => {
  it('gets the updated entries and loses the pruned ones', () => {
    const file = applyEntries(emptyBaseline(), new Map([['a › m', entry(1)], ['b › m', entry(2)]]))
    const next = applyEntries(file, new Map([['c › m', entry(3)]]), new Set(['a › m']))
    expect(Object.keys(next.entries)).toEqual(['b › m', 'c › m'])
  })

  it('has obsolete entries: unchecked, and not of a test that did not finish', () => {
    const file = applyEntries(emptyBaseline(), new Map([[entryKey('a', 'm'), entry(1)], [entryKey('b', 'm'), entry(1)], [entryKey('skipped', 'm'), entry(1)]]))
    expect(obsoleteKeys(file, new Set([entryKey('a', 'm')]), ['skipped'])).toEqual(['b › m'])
  })
})

describe('the baseline file of a test file', () => {
  it('mirrors the test file under the baseline folder', () => {
    expect(baselineFileFor('/p', 'baselines', '/p/test/models.test.ts')).toBe('/p/baselines/test/models.test.ts.json')
    expect(baselineFileFor('/p', '/p/.baselines', 'test/a.test.ts')).toBe('/p/.baselines/test/a.test.ts.json')
  })

  it('stays inside the baseline folder for a test file outside the root', () => {
    expect(baselineFileFor('/p', 'baselines', '/q/a.test.ts')).toBe('/p/baselines/__parent__/q/a.test.ts.json')
  })
})
