/**
 * The markdown of a gate report: what the PR comment, `modelgate-report.md` and the job summary show
 * (pure: report in, text out). Shape after research/gating.md §3.4: headline, what changed, the full table
 * folded in `<details>`, the conditions, the update command; always under GitHub's 65,536-character limit.
 */
import { codeSpan, escapeMarkdownText } from './escape.js'
import type { GateReport, MetricResult } from './types.js'
import { VERDICT_STYLES, changedResults, describeConditions, formatDelta, formatLimit, formatPair, metricLabel, sortResults, summarizeVerdicts, verdictLabel } from './values.js'

/** The hidden marker that starts every rendering; `modelgate comment` finds its sticky comment by it. */
export const COMMENT_MARKER = '<!-- modelgate:report v1 -->'

/** GitHub rejects comment bodies of 65,536 characters or more. */
export const GITHUB_COMMENT_LIMIT = 65_536

/** Options of {@link renderMarkdown}. */
export interface MarkdownOptions {
  /**
   * Longest output in characters (UTF-16 code units, which never undercount GitHub's characters).
   * Values at or above 65,536 are lowered to 65,535.
   * @default 65000
   */
  readonly maxLength?: number
}

const HEADER = ['', 'Model', 'Metric', 'Baseline', 'Current', 'Δ', 'Limit']
const TABLE_HEAD = `| ${HEADER.join(' | ')} |\n|---|---|---|--:|--:|--:|---|\n`
/** Room kept for the notes that say rows were left out (their numbers are at most 7 digits each). */
const NOTE_RESERVE = 400

/**
 * Renders a report as GitHub-flavoured markdown.
 * @param report the gate report (one run or merged shards)
 * @param options `maxLength` (default 65,000; never 65,536 or more)
 * @returns markdown starting with {@link COMMENT_MARKER}, rows left out with a note when it would be too long
 */
export function renderMarkdown(report: GateReport, options: MarkdownOptions = {}): string {
  const maxLength = Math.min(options.maxLength ?? 65_000, GITHUB_COMMENT_LIMIT - 1)
  const all = sortResults(report.results)
  const changed = changedResults(report.results)
  const notes = changed.filter((r) => r.note !== undefined && r.note !== '').map(renderNote)

  const head = `${COMMENT_MARKER}\n## modelgate · ${summarizeVerdicts(report.results)}\n${renderConditions(report)}\n\n`
  const needsUpdate = changed.some((r) => r.verdict !== 'updated')
  const tail = needsUpdate ? `\n${renderUpdateLine(report)}\n` : ''
  const fixed = head.length + tail.length + TABLE_HEAD.length * 2 + NOTE_RESERVE + 200
  let budget = maxLength - fixed

  const changedRows = take(changed.map(renderRow), budget)
  budget -= changedRows.length
  const noteRows = take(notes, budget)
  budget -= noteRows.length
  const fullRows = take(all.map(renderRow), budget)

  let body = head
  if (changed.length === 0) {
    body += all.length === 0 ? 'No metrics were recorded in this run.\n' : 'No metric changed beyond its limit.\n'
  } else {
    body += TABLE_HEAD + changedRows.text
    if (changedRows.count < changed.length) body += `\n_${changed.length - changedRows.count} more changed metrics are not shown: the comment is limited to 65,536 characters. Every metric is in \`modelgate-report.json\`._\n`
    if (noteRows.count > 0) body += `\n${noteRows.text}`
  }
  if (all.length > 0) {
    body += `\n<details><summary>${all.length === 1 ? 'The 1 metric' : `All ${all.length} metrics`}</summary>\n\n`
    if (fullRows.count > 0) body += TABLE_HEAD + fullRows.text
    if (fullRows.count < all.length) body += `\n_${fullRows.count} of ${all.length} metrics are shown: the comment is limited to 65,536 characters. Every metric is in \`modelgate-report.json\`._\n`
    body += '\n</details>\n'
  }
  body += tail
  // The reserve above makes this unreachable unless maxLength is tiny; the cut keeps the promise anyway.
  return body.length <= maxLength ? body : `${body.slice(0, Math.max(0, maxLength - 40))}\n\n_(truncated to fit the limit)_\n`.slice(0, maxLength)
}

function renderRow(r: MetricResult): string {
  const [baseline, current] = formatPair(r)
  const style = VERDICT_STYLES[r.verdict]
  const cells = [`${style.emoji} ${verdictLabel(r)}`, codeSpan(r.model, { inTable: true }), escapeMarkdownText(metricLabel(r.metric)), baseline, current, formatDelta(r.deltaPct), formatLimit(r)]
  return `| ${cells.join(' | ')} |\n`
}

function renderNote(r: MetricResult): string {
  return `- ${codeSpan(r.model)} ${escapeMarkdownText(metricLabel(r.metric))}: ${escapeMarkdownText(r.note ?? '')}\n`
}

function renderConditions(report: GateReport): string {
  const conditions = describeConditions(report)
  const parts: string[] = []
  if (conditions.length === 0) parts.push('static analysis only (no measured metrics)')
  else if (conditions.length === 1) parts.push(escapeMarkdownText(conditions[0]!))
  else parts.push(`${escapeMarkdownText(conditions[0]!)} (and ${conditions.length - 1} other measurement conditions; see the report)`)
  parts.push(`modelgate ${escapeMarkdownText(report.modelgateVersion)}, cost model ${escapeMarkdownText(report.costModelVersion)}`)
  if (report.shards.length > 0) parts.push(`merged from shards ${report.shards.map(escapeMarkdownText).join(', ')}${missingShards(report.shards)}`)
  return `<sub>${parts.join(' · ')}</sub>`
}

function renderUpdateLine(report: GateReport): string {
  return `To accept these figures as the new baselines, run ${codeSpan(report.updateCommand)} and commit the baseline files.`
}

/** Shards are `i/n`; names the ones a merged report lacks. */
function missingShards(shards: readonly string[]): string {
  const parsed = shards.map((s) => /^(\d+)\/(\d+)$/.exec(s)).filter((m) => m !== null)
  const total = parsed.length > 0 ? Number(parsed[0]![2]) : 0
  if (total === 0 || parsed.length !== shards.length || parsed.some((m) => Number(m[2]) !== total) || total > 1000) return ''
  const present = new Set(parsed.map((m) => Number(m[1])))
  const missing: string[] = []
  for (let i = 1; i <= total; i++) if (!present.has(i)) missing.push(`${i}/${total}`)
  return missing.length === 0 ? '' : ` (missing ${missing.join(', ')})`
}

/** The leading lines that fit into `budget` characters. */
function take(lines: readonly string[], budget: number): { text: string; count: number; length: number } {
  let text = ''
  let count = 0
  for (const line of lines) {
    if (text.length + line.length > budget) break
    text += line
    count++
  }
  return { text, count, length: text.length }
}
