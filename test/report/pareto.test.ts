import { describe, expect, test } from 'vitest'
import { paretoFrontier, renderParetoSvg } from '../../src/report/index.js'

/** The seed's example: accuracy %, latency ms, params M. */
const SEED = [
  { name: 'Model A', x: 50, y: 78.5, params: 50e6 },
  { name: 'Model B', x: 15, y: 76.2, params: 5e6 },
  { name: 'Model C', x: 5, y: 72.1, params: 2e6 },
  { name: 'Our model', x: 12, y: 77.0, params: 4e6 },
]

describe('paretoFrontier', () => {
  test('on accuracy vs latency the frontier is C, Our model, A; B is dominated by Our model', () => {
    const result = paretoFrontier(SEED)
    expect(result.frontier.map((p) => p.name)).toEqual(['Model C', 'Our model', 'Model A'])
    expect(result.dominated.map((d) => [d.point.name, d.by.name])).toEqual([['Model B', 'Our model']])
  })

  test('on accuracy vs params the same three are on the frontier', () => {
    const result = paretoFrontier(SEED.map((p) => ({ name: p.name, x: p.params, y: p.y })))
    expect(result.frontier.map((p) => p.name)).toEqual(['Model C', 'Our model', 'Model A'])
  })

  test('equal points are both on the frontier; a tie on one axis is decided by the other', () => {
    const result = paretoFrontier([
      { name: 'a', x: 1, y: 1 },
      { name: 'b', x: 1, y: 1 },
      { name: 'c', x: 1, y: 0.5 },
      { name: 'd', x: 2, y: 1 },
    ])
    expect(result.frontier.map((p) => p.name)).toEqual(['a', 'b'])
    expect(result.dominated.map((d) => d.point.name)).toEqual(['c', 'd'])
  })

  test('directions can be flipped: higher x (throughput) and lower y (error rate) are better', () => {
    const result = paretoFrontier(
      [
        { name: 'fast', x: 900, y: 0.3 },
        { name: 'good', x: 100, y: 0.1 },
        { name: 'bad', x: 90, y: 0.35 },
      ],
      { x: 'higher', y: 'lower' },
    )
    expect(result.frontier.map((p) => p.name)).toEqual(['fast', 'good'])
    expect(result.dominated[0]?.point.name).toBe('bad')
  })

  test('a single point is its own frontier, and no points give an empty one', () => {
    expect(paretoFrontier([{ name: 'only', x: 1, y: 1 }]).frontier).toHaveLength(1)
    expect(paretoFrontier([])).toEqual({ frontier: [], dominated: [] })
  })
})

describe('renderParetoSvg', () => {
  const axes = { x: { label: 'latency p50', unit: 'ms', direction: 'lower' as const }, y: { label: 'accuracy', unit: '%', direction: 'higher' as const } }

  test('the seed example draws the frontier through C, Our model and A (file snapshot)', async () => {
    const svg = renderParetoSvg(paretoFrontier(SEED), axes)
    await expect(svg).toMatchFileSnapshot('__snapshots__/pareto-seed.svg')
    expect(svg).toContain('<polyline points="')
    // Plotted points (the legend's markers have other radii): three filled frontier members, one hollow.
    expect(svg.match(/<circle [^>]*r="6.5" fill="#2563eb"/g)).toHaveLength(3)
    expect(svg.match(/<circle [^>]*r="5.5" fill="#ffffff"/g)).toHaveLength(1)
  })

  test('a log x axis has 1-2-5 ticks', async () => {
    const svg = renderParetoSvg(paretoFrontier(SEED), { ...axes, x: { ...axes.x, log: true } })
    await expect(svg).toMatchFileSnapshot('__snapshots__/pareto-seed-log.svg')
    const ticks = [...svg.matchAll(/text-anchor="middle" fill="#6b7280">([^<]+)</g)].map((m) => m[1])
    expect(ticks).toEqual(['2', '5', '10', '20', '50', '100'])
  })

  test('the same input gives the same bytes', () => {
    expect(renderParetoSvg(paretoFrontier(SEED), axes)).toBe(renderParetoSvg(paretoFrontier([...SEED]), axes))
  })

  test('names are XML-escaped', () => {
    const svg = renderParetoSvg(paretoFrontier([{ name: '<script>&"x"', x: 1, y: 1 }]), axes)
    expect(svg).not.toContain('<script>')
    expect(svg).toContain('&lt;script&gt;&amp;&quot;x&quot;')
  })
})

describe('renderParetoSvg edge cases', () => {
  test('no points and a single point still give a valid chart', () => {
    const axes = { x: { label: 'MACs', unit: 'MACs', direction: 'lower' as const }, y: { label: 'accuracy', unit: '%', direction: 'higher' as const } }
    expect(renderParetoSvg(paretoFrontier([]), axes)).not.toContain('NaN')
    expect(renderParetoSvg(paretoFrontier([{ name: 'one', x: 4e9, y: 70 }]), axes)).not.toContain('NaN')
  })
})
