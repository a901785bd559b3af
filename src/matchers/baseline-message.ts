/**
 * The message of `toMatchBaseline()`: which model, which entry, and per metric baseline → current, Δ %, the
 * tolerance and the verdict, then how to accept the change. Pure.
 */
import { ERROR_FIXES } from '../errors.js'
import type { BaselineEntry, EntryMetricVerdict, LatencyPairing, UpdateMode } from '../baseline/index.js'
import { renderColumns } from '../report/format.js'
import type { Tolerance } from '../report/types.js'
import type { Figure } from './figures.js'
import { formatDeltaPct, formatFigure } from './shared.js'

/** One metric's line. */
export interface MessageRow {
  readonly metric: string
  readonly figure: Figure
  readonly tolerance: Tolerance
  readonly baseline: number | string | null
  readonly verdict: EntryMetricVerdict
  readonly deltaPct: number | null
  readonly note?: string | undefined
  readonly statistics?: Readonly<Record<string, number | string | null>> | undefined
  /** Measured metrics: paired, same-model or unpaired. */
  readonly pairing?: LatencyPairing | undefined
}

/** What the message is about. */
export interface BaselineMessageInput {
  readonly hint: string
  readonly label: string
  /** Baseline file relative to the root. */
  readonly file: string
  readonly key: string
  readonly rows: readonly MessageRow[]
  readonly failing: readonly MessageRow[]
  readonly update: UpdateMode
  readonly isNot: boolean
  readonly previous: BaselineEntry | undefined
  readonly current: BaselineEntry
  readonly brokenNote?: string | undefined
}

/** The update command shown in messages. */
export const UPDATE_COMMAND = 'vitest run -u'

/** A tolerance in words: `exact`, `+10 %`, `+0.5 ms`, `10 % (confident)` for measured metrics. */
export function formatTolerance(tolerance: Tolerance, figure: Figure): string {
  const sign = figure.direction === 'lower' ? '+' : '-'
  const parts: string[] = []
  if (tolerance.relative !== undefined && tolerance.relative > 0) parts.push(`${sign}${Number((tolerance.relative * 100).toPrecision(4))} %`)
  if (tolerance.absolute !== undefined && tolerance.absolute > 0) parts.push(`${sign}${formatFigure(tolerance.absolute, figure.unit)}`)
  const text = parts.length === 0 ? 'exact' : parts.join(' / ')
  return figure.kind === 'measured' ? `${text} (confident)` : text
}

const VERDICT_WORDS: Readonly<Record<EntryMetricVerdict, string>> = {
  pass: 'pass',
  regression: 'REGRESSION',
  improvement: 'improvement',
  inconclusive: 'inconclusive',
  incomparable: 'incomparable',
  new: 'new',
}

/** Renders the message for both directions. */
export function renderBaselineMessage(input: BaselineMessageInput): string {
  const { label, file, key, rows, failing } = input
  const where = `${file}, entry ${JSON.stringify(key)}`
  const table = renderColumns(
    ['metric', 'baseline', 'current', 'Δ', 'tolerance', 'verdict'],
    rows.map((r) => [
      r.metric,
      r.baseline === null ? '—' : formatFigure(r.baseline, r.figure.unit),
      formatFigure(r.figure.value, r.figure.unit),
      formatDeltaPct(r.deltaPct),
      formatTolerance(r.tolerance, r.figure),
      failing.includes(r) && r.verdict === 'new' ? 'MISSING' : r.pairing === 'same-model' && r.verdict === 'pass' ? 'unchanged (same model)' : r.pairing === undefined ? VERDICT_WORDS[r.verdict] : `${VERDICT_WORDS[r.verdict]} (${r.pairing})`,
    ]),
  )
  const notes = rows.filter((r) => r.note !== undefined && r.verdict !== 'pass').map((r) => `  ${r.metric}: ${r.note}`)
  const facts: string[] = []
  if (input.previous !== undefined && input.previous.sha256 !== input.current.sha256) facts.push('The model file changed since the baseline was written (its SHA-256 differs).')
  if (input.previous !== undefined && input.previous.costModelVersion !== input.current.costModelVersion) {
    facts.push(`The baseline was counted under cost model ${input.previous.costModelVersion}, this run under ${input.current.costModelVersion}.`)
  }
  if (input.brokenNote !== undefined) facts.push(input.brokenNote)
  const body = [table, ...(notes.length > 0 ? ['', ...notes] : []), ...(facts.length > 0 ? ['', ...facts] : [])].join('\n')

  if (input.isNot && failing.length === 0) {
    return `${input.hint}\n\n${label} matches its baseline (${where}); expected a regression.\n\n${body}`
  }
  const regressions = failing.filter((r) => r.verdict === 'regression')
  const missing = failing.filter((r) => r.verdict === 'new')
  const lines: string[] = []
  if (regressions.length > 0) {
    const summary = regressions.slice(0, 2).map((r) => `${r.metric} ${r.baseline === null ? '—' : formatFigure(r.baseline, r.figure.unit)} → ${formatFigure(r.figure.value, r.figure.unit)} (${formatDeltaPct(r.deltaPct)}, tolerance ${formatTolerance(r.tolerance, r.figure)})`)
    const more = regressions.length > 2 ? ` and ${regressions.length - 2} more` : ''
    lines.push(`${label} regressed against its baseline (${where}): ${summary.join('; ')}${more}.`)
  }
  if (missing.length > 0) {
    lines.push(`${label} has no baseline for ${missing.map((r) => r.metric).join(', ')} in ${where}. ${ERROR_FIXES.E_BASELINE_MISSING}`)
  }
  const advice = regressions.length > 0 ? `\n\nIf the change is intended, accept it with \`${UPDATE_COMMAND}\` (or \`modelgate test --update-baselines\`) and commit ${file}.` : ''
  return `${input.hint}\n\n${lines.join('\n')}\n\n${body}${advice}`
}
