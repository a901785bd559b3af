/**
 * Static budget matchers (synchronous): figures from the analyzer, held to a limit.
 * Each passes when the figure is at most the limit; `.not` asks for more than the limit.
 */
import type { MatcherState } from 'vitest'
import { projectPath } from '../baseline/index.js'
import { ModelgateError } from '../errors.js'
import type { AnalysisReport, Dim } from '../analysis/index.js'
import { dimSymbols, isBigDim } from '../analysis/index.js'
import type { ModelHandle } from '../model/index.js'
import { gateContext } from './context.js'
import { recordMetric } from './record.js'
import { formatFigure, hint, modelLabel, positiveNumber, receivedModel, type MatcherOutcome } from './shared.js'

/** The exact metrics the budget matchers read, with how to read them from an analysis. */
const FIGURES = {
  params: { unit: 'params', label: 'learnable params', phrase: '', read: (r: AnalysisReport): Dim => r.params.learnable },
  macs: { unit: 'MACs', label: 'MACs', phrase: '', read: (r: AnalysisReport): Dim => r.macs },
  flops: { unit: 'FLOPs', label: 'FLOPs', phrase: '', read: (r: AnalysisReport): Dim => r.flops },
  sizeBytes: { unit: 'bytes', label: 'size on disk', phrase: 'a size on disk of ', read: (r: AnalysisReport): Dim => r.sizeBytes },
  peakActivationBytes: { unit: 'bytes', label: 'peak activation memory', phrase: 'a peak activation memory of ', read: (r: AnalysisReport): Dim => r.peakActivationBytes },
  memoryAccessBytes: { unit: 'bytes', label: 'memory access', phrase: 'a memory access of ', read: (r: AnalysisReport): Dim => r.memoryAccessBytes },
  // 4 decimals: a committed figure that does not churn on float noise (no weights: 0)
  bitsPerWeight: { unit: 'bits/weight', label: 'bits per weight', phrase: '', read: (r: AnalysisReport): Dim => Number((r.params.bitsPerWeight ?? 0).toFixed(4)) },
} as const

/** An exact metric the analyzer computes. */
export type ExactFigure = keyof typeof FIGURES

/**
 * An exact figure of a model: a number, or the decimal digits of a count past 2^53 (compare it as a BigInt).
 * @throws ModelgateError E_UNRESOLVED_DIM when it depends on a symbolic dim, naming the symbol and the fix
 */
export function exactFigure(model: ModelHandle, metric: ExactFigure, label: string): number | string {
  const report = model.analysis()
  const value = FIGURES[metric].read(report)
  if (typeof value === 'number' || isBigDim(value)) return value
  const symbols = report.unresolved.filter((u) => dimSymbols(value).includes(u.symbol))
  const named = (symbols.length > 0 ? symbols : report.unresolved).map((u) => `${u.symbol} (used by ${u.nodes.slice(0, 3).join(', ')}${u.nodes.length > 3 ? ', …' : ''})`)
  const list = named.length > 0 ? named.join('; ') : value
  throw new ModelgateError('E_UNRESOLVED_DIM', `${label}: ${FIGURES[metric].label} = ${value}, which depends on the unresolved dim ${list}; loadModel(path, { dims: { ${symbols[0]?.symbol ?? 'N'}: 1 } }) resolves it.`, { value, file: model.path })
}

function budgetMatcher(matcher: string, metric: ExactFigure) {
  return function (this: MatcherState, received: unknown, limit: number): MatcherOutcome {
    const model = receivedModel(received, matcher)
    positiveNumber(limit, matcher, 'the limit')
    const context = gateContext()
    const label = modelLabel(model, context.root)
    const value = exactFigure(model, metric, label)
    const { unit } = FIGURES[metric]
    // a BigInt compares exactly with the (number) limit
    const pass = (typeof value === 'string' ? BigInt(value) : value) <= limit
    recordMetric(
      {
        model: projectPath(context.root, model.path),
        metric,
        unit,
        // `.not` asks for more than the limit: the row reads `≥ limit`.
        direction: this.isNot ? 'higher' : 'lower',
        baseline: null,
        // a count past 2^53 stays its exact decimal digits
        current: value,
        deltaPct: null,
        tolerance: {},
        verdict: pass !== (this.isNot === true) ? 'within-budget' : 'over-budget',
        budget: limit,
      },
      this,
    )
    const over = ((Number(value) - limit) / limit) * 100
    return {
      pass,
      message: () =>
        `${hint(this, matcher)}\n\n${label} has ${FIGURES[metric].phrase}${formatFigure(value, unit)}, ` +
        (pass
          ? `within the budget of ${formatFigure(limit, unit)}; expected more than that.`
          : `over the budget of ${formatFigure(limit, unit)} by +${Number(over.toPrecision(4))} %.`),
    }
  }
}

function toHaveFullCoverage(this: MatcherState, received: unknown): MatcherOutcome {
  const matcher = 'toHaveFullCoverage'
  const model = receivedModel(received, matcher)
  const context = gateContext()
  const label = modelLabel(model, context.root)
  const { coverage } = model.analysis()
  const unknown = Object.entries(coverage.unknownOps).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const uncovered = coverage.nodes - coverage.countedNodes
  const pass = unknown.length === 0 && coverage.blockedNodes === 0
  recordMetric(
    {
      model: projectPath(context.root, model.path),
      metric: 'uncoveredNodes',
      unit: 'nodes',
      direction: this.isNot ? 'higher' : 'lower',
      baseline: null,
      current: uncovered,
      deltaPct: null,
      tolerance: {},
      verdict: pass !== (this.isNot === true) ? 'within-budget' : 'over-budget',
      budget: this.isNot ? 1 : 0,
    },
    this,
  )
  const ops = unknown.map(([op, n]) => `${op} ×${n}`).join(', ')
  return {
    pass,
    message: () =>
      `${hint(this, matcher, '')}\n\n` +
      (pass
        ? `${label} has a cost rule for all ${coverage.nodes} nodes; expected some op to be unknown.`
        : `${label} has ${uncovered} of ${coverage.nodes} nodes without a cost rule` +
          (ops === '' ? '' : ` (unknown ops: ${ops})`) +
          (coverage.blockedNodes > 0 ? `, ${coverage.blockedNodes} of them blocked by an unknown op's output` : '') +
          '; its totals are lower bounds. Register a rule for the op, or replace it in the export.'),
  }
}

/** The static matchers, for `expect.extend`. */
export const STATIC_MATCHERS = {
  toHaveParamsBelow: budgetMatcher('toHaveParamsBelow', 'params'),
  toHaveMacsBelow: budgetMatcher('toHaveMacsBelow', 'macs'),
  toHaveFlopsBelow: budgetMatcher('toHaveFlopsBelow', 'flops'),
  toHaveModelSizeBelow: budgetMatcher('toHaveModelSizeBelow', 'sizeBytes'),
  toHavePeakMemoryBelow: budgetMatcher('toHavePeakMemoryBelow', 'peakActivationBytes'),
  toHaveMemoryAccessBelow: budgetMatcher('toHaveMemoryAccessBelow', 'memoryAccessBytes'),
  toHaveFullCoverage,
}
