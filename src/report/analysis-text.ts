/**
 * The terminal rendering of an analysis report: a summary and the top nodes by MACs (pure: data in, text out).
 */
import type { AnalysisReport } from '../analysis/analyze.js'
import { dimCompare } from '../analysis/dims.js'
import { isQuantized } from '../analysis/params.js'
import { formatBytes, formatExact, formatSi, renderColumns } from './format.js'

/** Renders the summary block of one model. */
export function renderAnalysisSummary(report: AnalysisReport, label: string): string {
  const p = report.params
  const bound = report.coverage.totalsAreLowerBounds ? ' (lower bound: unknown ops)' : ''
  const inputs = report.inputs.map((i) => `${i.name} ${i.dtype}[${(i.dims ?? ['?']).join('×')}]`).join(', ')
  const dtypes = Object.entries(p.byDtype).map(([d, v]) => `${d} ${formatExact(v.count)} (${formatBytes(v.bytes)})`).join(', ')
  const lines = [
    `${label}`,
    `  inputs             ${inputs}`,
    `  params             ${formatSi(p.learnable)} learnable (${formatExact(p.learnable)}${dtypes ? `; ${dtypes}` : ''})`,
    `                     + ${formatExact(p.buffers)} buffers (BatchNorm mean/var), ${formatExact(p.constants)} constants, ${formatExact(p.unused)} unused`,
    ...quantizationLines(report),
    ...tiedLines(report),
    `  size               ${formatBytes(report.sizeBytes)} on disk (${formatExact(report.sizeBytes)} B${report.externalDataBytes > 0 ? `, of which ${formatBytes(report.externalDataBytes)} external data` : ''})`,
    `  MACs               ${formatSi(report.macs)} (${formatExact(report.macs)})${bound}`,
    `  FLOPs              ${formatSi(report.flops)} (${formatExact(report.flops)})${bound}`,
    `  memory access      ${formatBytes(report.memoryAccessBytes)} read + written${report.arithmeticIntensity === null ? '' : `, ${report.arithmeticIntensity.toFixed(2)} FLOPs/byte`}`,
    `  peak activations   ${formatBytes(report.peakActivationBytes)} (footprint with weights ${formatBytes(report.footprintBytes)})`,
    `  coverage           ${report.coverage.countedNodes}/${report.coverage.nodes} nodes counted${report.coverage.complete ? '' : `; unknown: ${Object.entries(report.coverage.unknownOps).map(([k, v]) => `${k} ×${v}`).join(', ')}`}`,
  ]
  for (const u of report.unresolved) {
    lines.push(`  unresolved         ${u.symbol}${u.nodes.length ? ` (needed by ${u.nodes.join(', ')})` : ''}: pass --dim ${u.symbol}=<size> or --shape`)
  }
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
    return t.candidates === 0 ? [] : [`  tied weights       not checked: ${t.candidates} learnable tensors share a shape (or its transpose) with another; --dedupe-weights reads and compares them`]
  }
  const unread = t.unread > 0 ? `; ${t.unread} not readable, not compared` : ''
  if (t.pairs.length === 0) return [`  tied weights       none among ${t.candidates} same-shaped tensors${unread}`]
  const shown = t.pairs.slice(0, 3).map((p) => `${p.merged} = ${p.kept}${p.relation === 'transposed' ? 'ᵀ' : ''}${p.embedding ? ' (tied embedding)' : ''}`)
  const more = t.pairs.length > 3 ? `, and ${t.pairs.length - 3} more (--json)` : ''
  return [`  tied weights       ${t.pairs.length} ${t.pairs.length === 1 ? 'copy' : 'copies'} counted once (${formatExact(t.elements)} params not counted again): ${shown.join(', ')}${more}${unread}`]
}

/** Renders the per-node table: the top `top` nodes by MACs (then FLOPs); `top` = 0 for all, in execution order. */
export function renderNodeTable(report: AnalysisReport, top: number): string {
  let nodes = [...report.nodes]
  if (top > 0) {
    nodes.sort((a, b) => -(dimCompare(a.macs ?? 0, b.macs ?? 0) ?? 0) || -(dimCompare(a.flops ?? 0, b.flops ?? 0) ?? 0))
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
  return renderColumns(['node', 'op', 'MACs', 'FLOPs', 'params', 'read', 'written', 'output dims'], rows, new Set([2, 3, 4, 5, 6]))
}
