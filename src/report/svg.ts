/**
 * A hand-written SVG scatter chart of the trade-off: every model a point, the Pareto frontier drawn as a line
 * through its members, which are filled; dominated models are hollow. Deterministic (pure, no clock, no
 * random, fixed number formatting), so it can be snapshot-tested; needs no chart library.
 */
import { formatSi } from './format.js'
import { escapeXml } from './escape.js'
import type { ParetoPoint, ParetoResult } from './pareto.js'
import type { Direction } from './types.js'
import { formatValue } from './values.js'

/** One axis of the chart. */
export interface ChartAxis {
  /** What is plotted, e.g. `latency p50`. */
  readonly label: string
  /** Unit of the values, shown in the axis title and the point labels (`ms`, `%`, `MACs`, `params`, `bytes`). */
  readonly unit: string
  readonly direction: Direction
  /** Logarithmic scale (ticks 1-2-5 per decade); needs positive values. @default false */
  readonly log?: boolean
}

/** Options of {@link renderParetoSvg}. */
export interface ParetoChartOptions {
  readonly x: ChartAxis
  readonly y: ChartAxis
  /** @default `${y.label} vs ${x.label}` */
  readonly title?: string
  /** @default 760 */
  readonly width?: number
  /** @default 480 */
  readonly height?: number
}

interface Box { readonly x0: number; readonly y0: number; readonly x1: number; readonly y1: number }
interface Scale { readonly map: (v: number) => number; readonly ticks: readonly number[] }

const FONT = 'system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif'
const FRONTIER = '#2563eb'
const DOMINATED = '#9ca3af'
const TEXT = '#1f2937'
const MUTED = '#6b7280'
const CORNER_ARROWS: Readonly<Record<string, string>> = { 'lower-higher': '↖', 'higher-higher': '↗', 'lower-lower': '↙', 'higher-lower': '↘' }
const MARGIN = { left: 76, right: 24, top: 60, bottom: 64 }

/**
 * Renders the chart.
 * @param result the frontier and dominated points from `paretoFrontier`
 * @param options axes (label, unit, better direction, log), title and size
 * @returns a standalone SVG document (with a white background, so it also reads when rasterized)
 */
export function renderParetoSvg(result: ParetoResult, options: ParetoChartOptions): string {
  const width = options.width ?? 760
  const height = options.height ?? 480
  const plot: Box = { x0: MARGIN.left, y0: MARGIN.top, x1: width - MARGIN.right, y1: height - MARGIN.bottom }
  const points = [...result.frontier, ...result.dominated.map((d) => d.point)]
  const onFrontier = new Set<ParetoPoint>(result.frontier)
  const xs = scale(points.map((p) => p.x), plot.x0, plot.x1, options.x.log === true)
  const ys = scale(points.map((p) => p.y), plot.y1, plot.y0, options.y.log === true)
  const title = options.title ?? `${options.y.label.charAt(0).toUpperCase()}${options.y.label.slice(1)} vs ${options.x.label}`
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" font-size="12" fill="${TEXT}">`,
    `<title>${escapeXml(title)}: Pareto frontier</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${plot.x0}" y="28" font-size="16" font-weight="600">${escapeXml(title)}</text>`,
    `<text x="${plot.x0}" y="46" fill="${MUTED}">Pareto frontier: ${result.frontier.length} of ${points.length} models</text>`,
  ]
  out.push(...renderLegend(plot.x1, 28))
  out.push(...renderGrid(xs, ys, plot, options))
  if (result.frontier.length > 1) {
    const path = result.frontier.map((p) => `${n(xs.map(p.x))},${n(ys.map(p.y))}`).join(' ')
    out.push(`<polyline points="${path}" fill="none" stroke="${FRONTIER}" stroke-width="2.5" stroke-linejoin="round" stroke-opacity="0.85"/>`)
  }
  for (const p of points) {
    const cx = n(xs.map(p.x))
    const cy = n(ys.map(p.y))
    out.push(
      onFrontier.has(p)
        ? `<circle cx="${cx}" cy="${cy}" r="6.5" fill="${FRONTIER}" stroke="#ffffff" stroke-width="2"/>`
        : `<circle cx="${cx}" cy="${cy}" r="5.5" fill="#ffffff" stroke="${DOMINATED}" stroke-width="2"/>`,
    )
  }
  out.push(...renderLabels(points, onFrontier, xs, ys, plot, options))
  out.push('</svg>')
  return `${out.join('\n')}\n`
}

function renderLegend(right: number, y: number): string[] {
  const second = right - textWidth('dominated', 12)
  const first = second - 26 - textWidth('on the frontier', 12)
  return [
    `<circle cx="${n(first - 12)}" cy="${y - 4}" r="6" fill="${FRONTIER}"/>`,
    `<text x="${n(first)}" y="${y}">on the frontier</text>`,
    `<circle cx="${n(second - 12)}" cy="${y - 4}" r="5" fill="#ffffff" stroke="${DOMINATED}" stroke-width="2"/>`,
    `<text x="${n(second)}" y="${y}">dominated</text>`,
  ]
}

function renderGrid(xs: Scale, ys: Scale, plot: Box, options: ParetoChartOptions): string[] {
  const out = [`<rect x="${plot.x0}" y="${plot.y0}" width="${plot.x1 - plot.x0}" height="${plot.y1 - plot.y0}" fill="#f9fafb" stroke="#d1d5db"/>`]
  for (const t of xs.ticks) {
    const x = n(xs.map(t))
    out.push(`<line x1="${x}" y1="${plot.y0}" x2="${x}" y2="${plot.y1}" stroke="#e5e7eb"/>`)
    out.push(`<text x="${x}" y="${plot.y1 + 18}" text-anchor="middle" fill="${MUTED}">${escapeXml(tickLabel(t, xs.ticks))}</text>`)
  }
  for (const t of ys.ticks) {
    const y = n(ys.map(t))
    out.push(`<line x1="${plot.x0}" y1="${y}" x2="${plot.x1}" y2="${y}" stroke="#e5e7eb"/>`)
    out.push(`<text x="${plot.x0 - 8}" y="${n(ys.map(t) + 4)}" text-anchor="end" fill="${MUTED}">${escapeXml(tickLabel(t, ys.ticks))}</text>`)
  }
  const better = (axis: ChartAxis): string => `${axis.direction} is better`
  const title = (axis: ChartAxis): string => {
    // "params (params)" says nothing: the unit is left out when it is the label.
    const notes = [...(axis.unit === axis.label ? [] : [axis.unit]), ...(axis.log === true ? ['log scale'] : [])]
    return `${axis.label}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}, ${better(axis)}`
  }
  const xTitle = title(options.x)
  const yTitle = title(options.y)
  const midY = n((plot.y0 + plot.y1) / 2)
  out.push(`<text x="${n((plot.x0 + plot.x1) / 2)}" y="${plot.y1 + 44}" text-anchor="middle" font-size="13">${escapeXml(xTitle)}</text>`)
  out.push(`<text x="20" y="${midY}" text-anchor="middle" font-size="13" transform="rotate(-90 20 ${midY})">${escapeXml(yTitle)}</text>`)
  const corner = `${CORNER_ARROWS[`${options.x.direction}-${options.y.direction}`] ?? ''} better`
  const box = cornerBox(plot, options)
  const left = options.x.direction === 'lower'
  out.push(`<text x="${left ? box.x0 + 8 : box.x1 - 8}" y="${box.y0 + 17}" text-anchor="${left ? 'start' : 'end'}" fill="#059669" font-weight="600">${corner}</text>`)
  return out
}

function renderLabels(points: readonly ParetoPoint[], onFrontier: ReadonlySet<ParetoPoint>, xs: Scale, ys: Scale, plot: Box, options: ParetoChartOptions): string[] {
  const taken: Box[] = points.map((p) => around(xs.map(p.x), ys.map(p.y), 7))
  // The frontier line is an obstacle too: small boxes every 6 px along each segment.
  const frontier = points.filter((p) => onFrontier.has(p))
  for (let i = 1; i < frontier.length; i++) {
    const [ax, ay, bx, by] = [xs.map(frontier[i - 1]!.x), ys.map(frontier[i - 1]!.y), xs.map(frontier[i]!.x), ys.map(frontier[i]!.y)]
    const steps = Math.ceil(Math.hypot(bx - ax, by - ay) / 6)
    for (let k = 0; k <= steps; k++) taken.push(around(ax + ((bx - ax) * k) / steps, ay + ((by - ay) * k) / steps, 2))
  }
  // The "better" hint in the best corner is a fixed label too.
  taken.push(cornerBox(plot, options))
  const out: string[] = []
  const ordered = [...points].sort((a, b) => Number(onFrontier.has(b)) - Number(onFrontier.has(a)))
  const fits = (b: Box): boolean => b.x0 >= plot.x0 + 2 && b.x1 <= plot.x1 - 2 && b.y0 >= plot.y0 + 2 && b.y1 <= plot.y1 - 2
  const overlapWithTaken = (b: Box): number => taken.reduce((sum, t) => sum + overlap(b, t), 0)
  for (const p of ordered) {
    const px = xs.map(p.x)
    const py = ys.map(p.y)
    const name = p.name.length > 40 ? `${p.name.slice(0, 39)}…` : p.name
    const detail = `${formatValue(p.y, options.y.unit)} · ${formatValue(p.x, options.x.unit)}`
    // Try the name with its values first; in a crowded spot fall back to the name alone.
    const withDetail = placeLabel(px, py, Math.max(textWidth(name, 12.5), textWidth(detail, 11)), 28, fits, overlapWithTaken)
    const nameOnly = withDetail.overlap > 0 ? placeLabel(px, py, textWidth(name, 12.5), 15, fits, overlapWithTaken) : undefined
    const best = nameOnly !== undefined && nameOnly.overlap < withDetail.overlap ? nameOnly : withDetail
    taken.push(best.box)
    const strong = onFrontier.has(p)
    const tx = best.anchor === 'start' ? best.box.x0 + 1 : best.anchor === 'end' ? best.box.x1 - 1 : (best.box.x0 + best.box.x1) / 2
    if (best.leader) {
      const lx = best.anchor === 'start' ? best.box.x0 - 1 : best.box.x1 + 1
      out.push(`<line x1="${n(px)}" y1="${n(py)}" x2="${n(lx)}" y2="${n(best.box.y0 + 8)}" stroke="#d1d5db"/>`)
    }
    out.push(`<text x="${n(tx)}" y="${n(best.box.y0 + 12)}" text-anchor="${best.anchor}" font-size="12.5"${strong ? ' font-weight="600"' : ''} fill="${strong ? '#1e3a8a' : MUTED}">${escapeXml(name)}</text>`)
    if (best === withDetail) out.push(`<text x="${n(tx)}" y="${n(best.box.y0 + 25)}" text-anchor="${best.anchor}" font-size="11" fill="${MUTED}">${escapeXml(detail)}</text>`)
  }
  return out
}

interface Placement { readonly anchor: 'start' | 'end' | 'middle'; readonly box: Box; readonly overlap: number; readonly leader: boolean }

/**
 * The best place for a w × h label next to a point: right, left, above, below, then right/left shifted up or
 * down (with a leader line). Least overlap wins; among equals the nearest.
 */
function placeLabel(px: number, py: number, w: number, h: number, fits: (b: Box) => boolean, overlapOf: (b: Box) => number): Placement {
  const candidates: { anchor: Placement['anchor']; box: Box; distance: number }[] = []
  const side = (dy: number): void => {
    const top = py - 13 + dy
    candidates.push({ anchor: 'start', box: { x0: px + 10, y0: top, x1: px + 12 + w, y1: top + h }, distance: Math.abs(dy) })
    candidates.push({ anchor: 'end', box: { x0: px - 12 - w, y0: top, x1: px - 10, y1: top + h }, distance: Math.abs(dy) + 1 })
  }
  side(0)
  candidates.push({ anchor: 'middle', box: { x0: px - w / 2 - 1, y0: py - 9 - h, x1: px + w / 2 + 1, y1: py - 9 }, distance: 6 })
  candidates.push({ anchor: 'middle', box: { x0: px - w / 2 - 1, y0: py + 10, x1: px + w / 2 + 1, y1: py + 10 + h }, distance: 7 })
  for (const dy of [-16, 16, -32, 32, -48, 48]) side(dy)
  let best: Placement | undefined
  let bestCost = Infinity
  for (const c of candidates) {
    const area = overlapOf(c.box)
    const cost = (fits(c.box) ? 0 : 1e9) + area * 100 + c.distance
    if (cost < bestCost) {
      bestCost = cost
      best = { anchor: c.anchor, box: c.box, overlap: fits(c.box) ? area : Infinity, leader: c.anchor !== 'middle' && c.distance >= 16 }
    }
  }
  return best!
}

/** A linear or log scale over the values, widened to round tick values. */
function scale(values: readonly number[], from: number, to: number, log: boolean): Scale {
  const min = values.length === 0 ? 0 : Math.min(...values)
  const max = values.length === 0 ? 1 : Math.max(...values)
  if (log && min > 0) {
    const steps = [1, 2, 5]
    const candidates: number[] = []
    for (let e = Math.floor(Math.log10(min / 1.2)) - 1; e <= Math.ceil(Math.log10(max * 1.2)) + 1; e++) for (const m of steps) candidates.push(Number((m * 10 ** e).toPrecision(6)))
    const lo = Math.max(...candidates.filter((c) => c <= min / 1.2))
    const hi = Math.min(...candidates.filter((c) => c >= max * 1.2))
    const ticks = candidates.filter((c) => c >= lo && c <= hi)
    const [a, b] = [Math.log10(lo), Math.log10(hi)]
    return { ticks, map: (v) => from + ((Math.log10(v) - a) / (b - a)) * (to - from) }
  }
  const span = max - min || Math.abs(max) || 1
  let lo = min - span * 0.12
  let hi = max + span * 0.12
  if (min >= 0 && lo < 0) lo = 0
  const step = niceStep((hi - lo) / 6)
  lo = Math.floor(lo / step) * step
  hi = Math.ceil(hi / step) * step
  const ticks: number[] = []
  for (let t = lo; t <= hi + step / 2; t += step) ticks.push(Number(t.toPrecision(12)))
  return { ticks, map: (v) => from + ((v - lo) / (hi - lo)) * (to - from) }
}

function niceStep(raw: number): number {
  const mag = 10 ** Math.floor(Math.log10(raw))
  const norm = raw / mag
  return (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag
}

function tickLabel(value: number, ticks: readonly number[]): string {
  if (Math.max(...ticks.map(Math.abs)) >= 10_000) return formatSi(value, 3)
  const step = Math.min(...ticks.slice(1).map((t, i) => t - ticks[i]!).filter((d) => d > 0), Infinity)
  const decimals = Number.isFinite(step) ? Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) : 0
  return value.toFixed(Math.min(decimals, 6))
}

/** Where the "better" hint sits: the plot's best corner. */
function cornerBox(plot: Box, options: ParetoChartOptions): Box {
  const x0 = options.x.direction === 'lower' ? plot.x0 : plot.x1 - 80
  const y0 = options.y.direction === 'higher' ? plot.y0 : plot.y1 - 26
  return { x0, y0, x1: x0 + 80, y1: y0 + 26 }
}

function around(x: number, y: number, r: number): Box {
  return { x0: x - r, y0: y - r, x1: x + r, y1: y + r }
}

function overlap(a: Box, b: Box): number {
  return Math.max(0, Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0)) * Math.max(0, Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0))
}

/** Width estimate of sans-serif text (no font metrics headless): ~0.6 em per character (DejaVu Sans is among the widest). */
function textWidth(text: string, size: number): number {
  return [...text].length * size * 0.6
}

/** Coordinates with one decimal, so the output is stable across platforms. */
function n(v: number): string {
  return String(Number(v.toFixed(1)))
}
