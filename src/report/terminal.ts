/**
 * The terminal table of a gate report: models × metrics, one row per metric grouped by model, coloured by
 * verdict when colour is on (pure: report in, text out; the caller decides colour from TTY and NO_COLOR).
 */
import picocolors from 'picocolors'
import { escapeTerminal } from './escape.js'
import type { GateReport, VerdictKind } from './types.js'
import { VERDICT_STYLES, describeConditions, formatDelta, formatLimit, formatPair, metricLabel, sortResults, summarizeVerdicts, verdictLabel } from './values.js'

/** Options of {@link renderTerminal}. */
export interface TerminalOptions {
  /** ANSI colours on (a TTY without NO_COLOR) or off (piped, CI logs, NO_COLOR). */
  readonly color: boolean
}

type Paint = (text: string) => string

/**
 * Renders a report as an aligned text table.
 * @param report the gate report
 * @param options `color`: whether to emit ANSI colours
 * @returns lines ending with a newline; no ANSI escape at all when `color` is false
 */
export function renderTerminal(report: GateReport, options: TerminalOptions): string {
  const c = picocolors.createColors(options.color)
  const paint: Readonly<Record<VerdictKind, Paint>> = {
    regression: (s) => c.bold(c.red(s)),
    'over-budget': (s) => c.bold(c.red(s)),
    inconclusive: c.yellow,
    incomparable: c.yellow,
    new: c.cyan,
    obsolete: c.magenta,
    improvement: c.green,
    updated: c.blue,
    pass: c.dim,
    'within-budget': c.dim,
  }
  const results = sortResults(report.results)
  const lines = [`${c.bold('modelgate')} · ${summarizeVerdicts(report.results)}`]
  if (results.length === 0) return `${lines[0]}\n`

  const header = ['model', 'metric', 'baseline', 'current', 'Δ', 'limit', 'verdict']
  let previousModel: string | undefined
  const rows = results.map((r) => {
    const [baseline, current] = formatPair(r)
    const model = r.model === previousModel ? '' : escapeTerminal(r.model)
    previousModel = r.model
    return { kind: r.verdict, cells: [model, escapeTerminal(metricLabel(r.metric)), baseline, current, formatDelta(r.deltaPct), formatLimit(r), verdictLabel(r)] }
  })
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r.cells[i]!.length)))
  const right = new Set([2, 3, 4])
  const pad = (text: string, i: number): string => (right.has(i) ? text.padStart(widths[i]!) : text.padEnd(widths[i]!))
  lines.push('', c.bold(header.map(pad).join('  ').trimEnd()), c.dim(widths.map((w) => '─'.repeat(w)).join('  ')))
  for (const row of rows) {
    const cells = row.cells.map((cell, i) => {
      const padded = i === row.cells.length - 1 ? cell : pad(cell, i)
      if (i === row.cells.length - 1 || (i === 4 && VERDICT_STYLES[row.kind].changed)) return paint[row.kind](padded)
      return padded
    })
    lines.push(cells.join('  ').trimEnd())
  }
  const notes = results.filter((r) => r.note !== undefined && r.note !== '' && VERDICT_STYLES[r.verdict].changed)
  if (notes.length > 0) lines.push('', ...notes.map((r) => `${paint[r.verdict]('•')} ${escapeTerminal(r.model)} ${escapeTerminal(metricLabel(r.metric))}: ${escapeTerminal(r.note ?? '', 400)}`))
  lines.push('')
  for (const conditions of describeConditions(report)) lines.push(c.dim(escapeTerminal(conditions, 400)))
  if (results.some((r) => VERDICT_STYLES[r.verdict].changed && r.verdict !== 'updated')) lines.push(c.dim(`update the baselines: ${escapeTerminal(report.updateCommand, 400)}`))
  return `${lines.join('\n').trimEnd()}\n`
}
