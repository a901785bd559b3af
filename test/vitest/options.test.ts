import { describe, expect, it } from 'vitest'
import { resolveGateContext, resolveUpdateMode } from '../../src/vitest/options.js'

describe('the update mode of a run', () => {
  it.each([
    ['a local run', {}, 'new'],
    ['a run on CI', { snapshot: 'none' }, 'none'],
    ['vitest run -u', { snapshot: 'all' }, 'all'],
    ['vitest run -- --update-baselines', { argv: ['run', '--', '--update-baselines'] }, 'all'],
    ['MODELGATE_UPDATE=1 on CI', { snapshot: 'none', env: { MODELGATE_UPDATE: '1' } }, 'all'],
    ['MODELGATE_UPDATE=0', { env: { MODELGATE_UPDATE: '0' } }, 'new'],
    ['the plugin option over -u', { option: 'none', snapshot: 'all' }, 'none'],
  ] as const)('is right for %s', (_, input, mode) => {
    expect(resolveUpdateMode({ argv: [], env: {}, ...input })).toBe(mode)
  })
})

describe('the plugin options', () => {
  it('resolve with their defaults', () => {
    expect(resolveGateContext({}, '/p', 'new')).toEqual({ root: '/p', baselineDir: '/p/baselines', update: 'new', tolerance: {}, calibrated: false, metrics: [], bench: {} })
  })

  it('carry the latency options to the workers', () => {
    expect(resolveGateContext({ latency: { maxTime: 8000, sessions: 2, baselineRef: 'origin/main' } }, '/p', 'none').latency).toEqual({ maxTime: 8000, sessions: 2, baselineRef: 'origin/main' })
  })

  it.each([
    ['update', { update: 'sometimes' }],
    ['baselineDir', { baselineDir: '' }],
    ['tolerance', { tolerance: { params: { relative: -1 } } }],
    ['latency.maxTime', { latency: { maxTime: 0 } }],
    ['latency.sessions', { latency: { sessions: 1.5 } }],
    ['latency.baselineRef', { latency: { baselineRef: '' } }],
  ])('refuse a wrong %s with E_GATE_OPTION', (_, options) => {
    expect(() => resolveGateContext(options as never, '/p', 'new')).toThrow(expect.objectContaining({ code: 'E_GATE_OPTION' }))
  })
})
