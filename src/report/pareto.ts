/**
 * The accuracy–efficiency trade-off: which models are on the Pareto frontier (pure).
 * A model is dominated when another is at least as good on both axes and strictly better on one.
 */
import type { Direction, GateReport } from './types.js'

/** One model in the trade-off plane. */
export interface ParetoPoint {
  readonly name: string
  readonly x: number
  readonly y: number
}

/** Which direction is better on each axis. */
export interface ParetoOptions {
  /** @default 'lower' (latency, MACs, params, size) */
  readonly x?: Direction
  /** @default 'higher' (accuracy, mAP, mIoU) */
  readonly y?: Direction
}

/** The frontier and, for every other point, one point that dominates it. */
export interface ParetoResult {
  /** Frontier members from the best x to the worst x. */
  readonly frontier: readonly ParetoPoint[]
  /** Dominated points in input order, each with the frontier member that dominates it most clearly. */
  readonly dominated: readonly { readonly point: ParetoPoint; readonly by: ParetoPoint }[]
}

/**
 * Computes the Pareto frontier. Equal points are all on the frontier (neither dominates the other).
 * @param points the models, with finite coordinates
 * @param options which direction is better on each axis
 * @returns the frontier sorted along x and the dominated points with a dominator each
 */
export function paretoFrontier(points: readonly ParetoPoint[], options: ParetoOptions = {}): ParetoResult {
  const sx = options.x === 'higher' ? -1 : 1
  const sy = options.y === 'lower' ? -1 : 1
  // "a dominates b": a is no worse on both axes and better on one (x better when smaller × sx, y when larger × sy).
  const dominates = (a: ParetoPoint, b: ParetoPoint): boolean =>
    sx * a.x <= sx * b.x && sy * a.y >= sy * b.y && (sx * a.x < sx * b.x || sy * a.y > sy * b.y)
  const frontier = points.filter((p) => !points.some((q) => dominates(q, p)))
  const sorted = [...frontier].sort((a, b) => sx * (a.x - b.x) || sy * (b.y - a.y) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const dominated = points
    .filter((p) => !frontier.includes(p))
    .map((point) => {
      const by = frontier
        .filter((q) => dominates(q, point))
        .sort((a, b) => margin(b, point) - margin(a, point))[0]
      return { point, by: by ?? point }
    })
  return { frontier: sorted, dominated }

  function margin(q: ParetoPoint, p: ParetoPoint): number {
    // Relative improvement summed over both axes: the dominator to name is the one that beats p by most.
    return (sx * (p.x - q.x)) / Math.max(Math.abs(p.x), 1e-12) + (sy * (q.y - p.y)) / Math.max(Math.abs(p.y), 1e-12)
  }
}

/** Short axis names of `modelgate report --pareto` → the report's metric keys. */
export const TRADEOFF_AXES: Readonly<Record<string, string>> = {
  latency: 'latency.p50',
  macs: 'macs',
  flops: 'flops',
  params: 'params',
  size: 'sizeBytes',
  accuracy: 'accuracy',
  throughput: 'throughput',
}

/** A metric of every model across reports: the current value and its unit and direction. */
export interface ModelMetricValue {
  readonly value: number
  readonly unit: string
  readonly direction: Direction
}

/**
 * Collects each model's current value of each metric from one or more reports (the first value found wins,
 * so put the newest report first).
 * @returns model → metric key → value
 */
export function collectModelMetrics(reports: readonly GateReport[]): Map<string, Map<string, ModelMetricValue>> {
  const models = new Map<string, Map<string, ModelMetricValue>>()
  for (const report of reports) {
    for (const r of report.results) {
      // a count past 2^53 (decimal digits) is plotted as the nearest double
      const value = r.current === null ? Number.NaN : Number(r.current)
      if (!Number.isFinite(value)) continue
      let metrics = models.get(r.model)
      if (metrics === undefined) models.set(r.model, (metrics = new Map()))
      if (!metrics.has(r.metric)) metrics.set(r.metric, { value, unit: r.unit, direction: r.direction })
    }
  }
  return models
}
