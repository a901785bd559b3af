/**
 * The end of a gate run: write `modelgate-report.json` and `modelgate-report.md`, append the markdown to the
 * GitHub job summary, emit `::error` annotations for failures, print the terminal table.
 */
import { appendFile, mkdir, rename, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { escapeWorkflowData, escapeWorkflowProperty } from './escape.js'
import { renderMarkdown } from './markdown.js'
import { renderTerminal } from './terminal.js'
import type { GateReport, MetricResult } from './types.js'
import { VERDICT_STYLES, formatDelta, formatLimit, formatPair, metricLabel, sortResults } from './values.js'

/** File names written by {@link publishReport}. */
export const REPORT_FILES = { json: 'modelgate-report.json', markdown: 'modelgate-report.md' } as const

/** GitHub shows at most 10 error annotations per step (research/gating.md §3.3). */
export const MAX_ANNOTATIONS = 10

/** Options of {@link publishReport}. */
export interface PublishOptions {
  /** Directory for the two files (created when missing). */
  readonly dir: string
  /** The environment: GITHUB_ACTIONS, GITHUB_STEP_SUMMARY, NO_COLOR, FORCE_COLOR. */
  readonly env: Readonly<Record<string, string | undefined>>
  /** Where the terminal table and annotations go; colour only when `isTTY` is true. */
  readonly stdout: { write(s: string): unknown; readonly isTTY?: boolean }
}

/**
 * Publishes a report.
 * @returns the absolute paths of the JSON and markdown files
 */
export async function publishReport(report: GateReport, options: PublishOptions): Promise<{ jsonPath: string; markdownPath: string }> {
  const dir = resolve(options.dir)
  await mkdir(dir, { recursive: true })
  const jsonPath = join(dir, REPORT_FILES.json)
  const markdownPath = join(dir, REPORT_FILES.markdown)
  const markdown = renderMarkdown(report)
  await writeAtomically(jsonPath, `${JSON.stringify(report, null, 2)}\n`)
  await writeAtomically(markdownPath, markdown)

  const summary = options.env.GITHUB_STEP_SUMMARY
  if (summary !== undefined && summary !== '') await appendFile(summary, `${markdown}\n`)
  if (options.env.GITHUB_ACTIONS === 'true') for (const line of renderAnnotations(report)) options.stdout.write(`${line}\n`)
  options.stdout.write(renderTerminal(report, { color: wantsColor(options.env, options.stdout.isTTY === true) }))
  return { jsonPath, markdownPath }
}

/**
 * The `::error` workflow commands for failing results (regressions, over-budget), at most {@link MAX_ANNOTATIONS},
 * at the failing test's file and line when known, followed by a plain line counting the rest.
 */
export function renderAnnotations(report: GateReport): string[] {
  const failing = sortResults(report.results).filter((r) => VERDICT_STYLES[r.verdict].failing)
  const lines = failing.slice(0, MAX_ANNOTATIONS).map(renderAnnotation)
  if (failing.length > MAX_ANNOTATIONS) lines.push(`modelgate: ${failing.length - MAX_ANNOTATIONS} more failing metrics are in the job summary and modelgate-report.md`)
  return lines
}

function renderAnnotation(r: MetricResult): string {
  const [baseline, current] = formatPair(r)
  const props: string[] = []
  if (r.test !== undefined) {
    props.push(`file=${escapeWorkflowProperty(r.test.file)}`)
    if (r.test.line !== undefined) props.push(`line=${r.test.line}`)
  }
  props.push(`title=${escapeWorkflowProperty(`modelgate: ${metricLabel(r.metric)} ${VERDICT_STYLES[r.verdict].label}`)}`)
  const change = r.baseline === null ? `${current} (limit ${formatLimit(r)})` : `${baseline} → ${current} (${formatDelta(r.deltaPct)}, limit ${formatLimit(r)})`
  const message = `${r.model} ${metricLabel(r.metric)}: ${change}${r.note === undefined ? '' : `. ${r.note}`}`
  return `::error ${props.join(',')}::${escapeWorkflowData(message)}`
}

/** Colour on a TTY, unless NO_COLOR is set (non-empty); FORCE_COLOR (other than 0) forces it on. */
export function wantsColor(env: Readonly<Record<string, string | undefined>>, isTTY: boolean): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true
  return isTTY
}

/** Write to a temporary file in the same folder, then rename: readers never see half a report. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`
  await writeFile(tmp, text)
  await rename(tmp, path)
}
