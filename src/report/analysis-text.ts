/**
 * The terminal rendering of an analysis report: a summary and the top nodes by MACs (pure: data in, text out).
 * Symbolic figures print once, shortened past a line's width (the full form is in `--json`); a peak that is a
 * `max(…)` lists its candidates and names the one that dominates for large values.
 */
import type { AnalysisReport } from '../analysis/analyze.js'
import { isQuantized } from '../analysis/params.js'
import { dimCompareForLarge, dimExtremum, isBigDim, type Dim } from '../analysis/dims.js'
import { formatBytes, formatExact, formatSi, renderColumns } from './format.js'

/** Terminal width the summary and the table are fitted to. */
const TERMINAL_COLUMNS = 120

/** Candidates of a symbolic peak listed in the summary; the rest are counted. */
const MAX_LISTED_CANDIDATES = 4

const INDENT = '                     '

/**
 * A long expression cut at a term boundary to at most `max` characters, saying how much was left out.
 * @param max characters of the result
 */
export function shortenExpression(expr: string, max: number): string {
  if (expr.length <= max) return expr
  const terms = expr.split(/(?= [+-] )/)
  const note = (left: number): string => ` … (+${left} more term${left === 1 ? '' : 's'}; full form in --json)`
  let out = ''
  let used = 0
  for (const t of terms) {
    if ((out + t + note(terms.length - used - 1)).length > max) break
    out += t
    used++
  }
  if (used === 0) return `${expr.slice(0, Math.max(0, max - 22))}… (full form in --json)`
  return out + note(terms.length - used)
}

/** A count: SI and exact digits when known, the expression once when symbolic. */
function count(value: Dim, width: number): string {
  if (typeof value === 'number' || isBigDim(value)) return `${formatSi(value)} (${formatExact(value)})`
  return shortenExpression(value, width)
}

function bytes(value: Dim, width: number): string {
  if (typeof value === 'number' || isBigDim(value)) return formatBytes(value)
  return `${shortenExpression(value, width - 2)} B`
}

function peakLines(report: AnalysisReport): string[] {
  const room = TERMINAL_COLUMNS - INDENT.length - 2
  const peak = report.peakActivationBytes
  const extremum = dimExtremum(peak)
  const weights = report.params.weightsBytes
  const footprint = `  footprint          peak activations + ${formatBytes(weights)} of weights, buffers and constants (${formatExact(weights)} B)`
  if (extremum === undefined || extremum.kind !== 'max') {
    const one = `  peak activations   ${bytes(peak, Number.MAX_SAFE_INTEGER)} (footprint with weights ${bytes(report.footprintBytes, Number.MAX_SAFE_INTEGER)})`
    return one.length <= TERMINAL_COLUMNS ? [one] : [`  peak activations   ${bytes(peak, room)}`, footprint]
  }
  const n = extremum.candidates.length
  const bounds = Object.entries(extremum.from).map(([s, v]) => `${s} ≥ ${v}`).join(', ')
  const dominant = extremum.dominant === undefined ? 'none dominates the others for every large value' : `the first dominates${bounds === '' ? ' for every value' : ` for ${bounds}`}`
  const lines = [`  peak activations   the largest of ${n} candidates (B); ${dominant}:`]
  for (const c of extremum.candidates.slice(0, MAX_LISTED_CANDIDATES)) lines.push(`${INDENT}  ${shortenExpression(String(c), room)}`)
  if (n > MAX_LISTED_CANDIDATES) lines.push(`${INDENT}  … ${n - MAX_LISTED_CANDIDATES} more (full form in --json)`)
  lines.push(footprint)
  return lines
}

/** Items joined by `, ` and wrapped under the label column; past `maxLines`, the rest are counted. */
function wrapList(label: string, items: readonly string[], what: string, maxLines = 3, tail = ''): string[] {
  const lines: string[] = []
  let line = label
  for (let i = 0; i < items.length; i++) {
    const last = i === items.length - 1
    const piece = `${items[i]}${last ? tail : ','}`
    const join = (text: string): string => `${line}${line === label || line === INDENT ? '' : ' '}${text}`
    // on the last line allowed, an item goes in only if the count of those after it still fits
    const onLastLine = lines.length + 1 === maxLines
    const rest = ` … +${items.length - i - 1} more ${what}${tail}`
    if (join(piece).length + (onLastLine && !last ? rest.length : 0) <= TERMINAL_COLUMNS || line === label || line === INDENT) {
      line = join(piece)
      continue
    }
    if (onLastLine) {
      lines.push(`${line.replace(/,$/, '')} … +${items.length - i} more ${what}${tail}`)
      return lines
    }
    lines.push(line)
    line = `${INDENT}${piece}`
  }
  lines.push(line)
  return lines
}

/** Symbols listed one a line (with the nodes that need them) up to this many; past it, in one list. */
const MAX_UNRESOLVED_LINES = 4

function unresolvedLines(report: AnalysisReport): string[] {
  if (report.unresolved.length > MAX_UNRESOLVED_LINES) {
    const symbols = report.unresolved.map((u) => u.symbol)
    return [...wrapList('  unresolved         ', symbols, 'symbols', 3), `${INDENT}pass --dim SYMBOL=<size> for each, or --shape (the nodes that need each: --json)`]
  }
  return report.unresolved.map((u) => {
    const fix = `: pass --dim ${u.symbol}=<size> or --shape`
    const head = `  unresolved         ${u.symbol}`
    let needed = ''
    for (let k = u.nodes.length; k > 0; k--) {
      const more = k < u.nodes.length ? ', …' : ''
      const candidate = ` (needed by ${u.nodes.slice(0, k).join(', ')}${more})`
      if ((head + candidate + fix).length <= TERMINAL_COLUMNS) {
        needed = candidate
        break
      }
    }
    return head + needed + fix
  })
}

/** Renders the summary block of one model. */
export function renderAnalysisSummary(report: AnalysisReport, label: string): string {
  const p = report.params
  const bound = report.coverage.totalsAreLowerBounds ? ' (lower bound: unknown ops)' : ''
  const room = TERMINAL_COLUMNS - INDENT.length - bound.length
  const inputs = wrapList('  inputs             ', report.inputs.map((i) => `${i.name} ${i.dtype}[${(i.dims ?? ['?']).join('×')}]`), 'inputs')
  const dtypes = Object.entries(p.byDtype).map(([d, v]) => `${d} ${formatExact(v.count)} (${formatBytes(v.bytes)})`).join(', ')
  const access = report.memoryAccessBytes
  const lines = [
    `${label}`,
    ...inputs,
    `  params             ${formatSi(p.learnable)} learnable (${formatExact(p.learnable)}${dtypes ? `; ${dtypes}` : ''})`,
    `                     + ${formatExact(p.buffers)} buffers (BatchNorm mean/var), ${formatExact(p.constants)} constants, ${formatExact(p.unused)} unused`,
    ...quantizationLines(report),
    ...tiedLines(report),
    `  size               ${formatBytes(report.sizeBytes)} on disk (${formatExact(report.sizeBytes)} B${report.externalDataBytes > 0 ? `, of which ${formatBytes(report.externalDataBytes)} external data` : ''})`,
    `  MACs               ${count(report.macs, room)}${bound}`,
    `  FLOPs              ${count(report.flops, room)}${bound}`,
    `  memory access      ${bytes(access, room - 16)} read + written${report.arithmeticIntensity === null ? '' : `, ${report.arithmeticIntensity.toFixed(2)} FLOPs/byte`}`,
    ...peakLines(report),
    `  coverage           ${report.coverage.countedNodes}/${report.coverage.nodes} nodes counted${report.coverage.complete ? '' : `; unknown: ${Object.entries(report.coverage.unknownOps).map(([k, v]) => `${k} ×${v}`).join(', ')}`}`,
    ...unresolvedLines(report),
  ]
  return lines.join('\n')
}

/** Bits per weight (and with scales and zero points) where a model is quantized; nothing for a float32 model. */
function quantizationLines(report: AnalysisReport): string[] {
  const p = report.params
  if (!isQuantized(p) || p.bitsPerWeight === null) return []
  const withMetadata = p.bitsPerWeight + (p.quantization.bytes * 8) / p.learnable
  const metadata = p.quantization.elements > 0
    ? `; ${formatBits(withMetadata)} with the ${formatExact(p.quantization.elements)} scales and zero points (${formatBytes(p.quantization.bytes)}, not params)`
    : ''
  return [`  bits/weight        ${formatBits(p.bitsPerWeight)} (weight bytes × 8 ÷ learnable)${metadata}`]
}

function formatBits(bits: number): string {
  return Number.isInteger(bits) ? String(bits) : bits.toFixed(2)
}

/** What the tied-weight check found, or how many tensors it would compare. */
function tiedLines(report: AnalysisReport): string[] {
  const t = report.params.tied
  if (!t.checked) {
    return t.candidates === 0 ? [] : [`  tied weights       not checked: ${t.candidates} learnable tensors share a shape (or its transpose) with another;`, `${INDENT}--dedupe-weights reads and compares them`]
  }
  const unread = t.unread > 0 ? `; ${t.unread} not readable, not compared` : ''
  if (t.pairs.length === 0) return [`  tied weights       none among ${t.candidates} same-shaped tensors${unread}`]
  const shown = t.pairs.slice(0, 3).map((p) => `${p.merged} = ${p.kept}${p.relation === 'transposed' ? 'ᵀ' : ''}${p.embedding ? ' (tied embedding)' : ''}`)
  const more = t.pairs.length > 3 ? `, and ${t.pairs.length - 3} more (--json)` : ''
  return [`  tied weights       ${t.pairs.length} ${t.pairs.length === 1 ? 'copy' : 'copies'} counted once (${formatExact(t.elements)} params not counted again): ${shown.join(', ')}${more}${unread}`]
}

/** `/transformer.h.0.attn.c_attn/MatMul` → `/transformer.h…c_attn/MatMul` when longer than `max`. */
function middleEllipsis(text: string, max: number): string {
  if (text.length <= max) return text
  const tail = Math.ceil((max - 1) * 0.6)
  return `${text.slice(0, max - 1 - tail)}…${text.slice(text.length - tail)}`
}

/**
 * Renders the per-node table: the top `top` nodes by MACs (then FLOPs; symbolic figures by their growth for
 * large values); `top` = 0 for all, in execution order. A table wider than the terminal leaves out the
 * read/written byte columns (they are in `--json`) and then shortens node names.
 */
export function renderNodeTable(report: AnalysisReport, top: number): string {
  let nodes = [...report.nodes]
  if (top > 0) {
    nodes.sort((a, b) => -dimCompareForLarge(a.macs ?? 0, b.macs ?? 0) || -dimCompareForLarge(a.flops ?? 0, b.flops ?? 0))
    nodes = nodes.slice(0, top)
  }
  const rows = nodes.map((n) => [
    n.name,
    n.domain ? `${n.domain}::${n.opType}` : n.opType,
    n.counted ? formatSi(n.macs) : 'unknown',
    n.counted ? formatSi(n.flops) : 'unknown',
    formatExact(n.params),
    formatBytes(n.bytesRead),
    formatBytes(n.bytesWritten),
    n.outputs.map((o) => `[${(o.dims ?? ['?']).join('×')}]`).join(' '),
  ])
  const header = ['node', 'op', 'MACs', 'FLOPs', 'params', 'read', 'written', 'output dims']
  const full = renderColumns(header, rows, new Set([2, 3, 4, 5, 6]))
  if (widest(full) <= TERMINAL_COLUMNS) return full
  const narrow = (cells: readonly string[]): string[] => [...cells.slice(0, 5), cells[7]!]
  let narrowRows = rows.map(narrow)
  let table = renderColumns(narrow(header), narrowRows, new Set([2, 3, 4]))
  let excess = widest(table) - TERMINAL_COLUMNS
  if (excess > 0) {
    // long symbolic MACs/FLOPs cut at a term boundary: `12*a*b*c + 7*a*b + …`
    narrowRows = narrowRows.map((r) => [r[0]!, r[1]!, cutCell(r[2]!), cutCell(r[3]!), ...r.slice(4)])
    table = renderColumns(narrow(header), narrowRows, new Set([2, 3, 4]))
    excess = widest(table) - TERMINAL_COLUMNS
  }
  if (excess > 0) {
    // output dims with long symbolic sizes: cut at the end
    const dimsWidth = Math.max(MAX_CELL, Math.max(...narrowRows.map((r) => r[5]!.length)) - excess)
    narrowRows = narrowRows.map((r) => [...r.slice(0, 5), r[5]!.length > dimsWidth ? `${r[5]!.slice(0, dimsWidth - 1)}…` : r[5]!])
    table = renderColumns(narrow(header), narrowRows, new Set([2, 3, 4]))
    excess = widest(table) - TERMINAL_COLUMNS
  }
  if (excess > 0) {
    const nameWidth = Math.max(16, Math.max(...narrowRows.map((r) => r[0]!.length)) - excess)
    narrowRows = narrowRows.map((r) => [middleEllipsis(r[0]!, nameWidth), ...r.slice(1)])
    table = renderColumns(narrow(header), narrowRows, new Set([2, 3, 4]))
  }
  return `${table}\n(read/written bytes left out to fit ${TERMINAL_COLUMNS} columns: see --json)`
}

/** Cells of the narrow table hold at most this many characters of an expression. */
const MAX_CELL = 24

function cutCell(cell: string): string {
  if (cell.length <= MAX_CELL) return cell
  const terms = cell.split(/(?= [+-] )/)
  let out = terms[0]!
  for (const t of terms.slice(1)) {
    if ((out + t).length > MAX_CELL - 4) break
    out += t
  }
  return out.length > MAX_CELL - 4 ? `${out.slice(0, MAX_CELL - 1)}…` : `${out} + …`
}

function widest(text: string): number {
  return Math.max(...text.split('\n').map((l) => l.length))
}
