/**
 * An evaluation as terminal text (pure): the headline figures, per-class table, confusion matrix (up to 20
 * classes), decoder, preprocessing and throughput.
 */
import { formatExact, renderColumns } from '../report/format.js'
import type { EvaluationResult } from './types.js'

function pct(v: number | null): string {
  return v === null ? '—' : `${(v * 100).toFixed(2)} %`
}

function rate(v: number): string {
  return v >= 100 ? formatExact(Math.round(v)) : v.toFixed(1)
}

function preprocessingText(r: EvaluationResult): string {
  const p = r.preprocessing
  if (p === null) return 'none (tensor set, fed as stored)'
  const norm = p.mean.every((m) => m === 0) && p.std.every((s) => s === 1) ? 'no mean/std' : `mean [${p.mean.join(', ')}], std [${p.std.join(', ')}]`
  const scale = p.scale === 1 / 255 ? '1/255' : String(p.scale)
  return `${p.height}×${p.width} (${typeof p.resize === 'number' ? `shorter side ${p.resize}, centre crop` : p.resize === 'cover' ? 'cover + centre crop' : 'stretch'}), ` +
    `× ${scale}, ${norm}, ${p.layout} ${p.channels === 1 ? 'grey' : p.channelOrder} ${p.dtype}`
}

function confusion(r: EvaluationResult & { task: 'classification' }): string {
  const m = r.metrics
  if (m.confusion.length > 20) return ''
  const header = ['true \\ predicted', ...m.perClass.map((c) => String(c.index))]
  const rows = m.confusion.map((row, i) => [`${i} ${m.perClass[i]!.name}`, ...row.map(String)])
  return `\nconfusion matrix (rows: true class, columns: predicted)\n${renderColumns(header, rows, new Set(header.map((_, i) => i).slice(1)))}\n`
}

/**
 * Renders an evaluation.
 * @param r the result
 * @param name how to name the model
 * @returns lines of text, ending with a newline
 */
export function renderEvaluationText(r: EvaluationResult, name: string): string {
  const lines: string[] = []
  const classes = r.dataset.classes.length
  lines.push(`${name} on ${r.dataset.path}`)
  lines.push(`${r.task}, ${r.evaluated}/${r.dataset.samples} samples${r.complete ? '' : ` (stopped by the ${r.stoppedBy ?? 'limit'})`}, ${classes} classes`)
  lines.push('')
  if (r.task === 'classification') {
    const m = r.metrics
    for (const [k, v] of Object.entries(m.topK)) lines.push(`top-${k} accuracy   ${pct(v)}${k === '1' ? `  (${m.perClass.reduce((n, c) => n + c.correct, 0)}/${m.samples})` : ''}`)
    lines.push(`balanced accuracy  ${pct(m.balancedAccuracy)}`)
    lines.push('')
    lines.push(renderColumns(['class', 'samples', 'correct', 'accuracy'], m.perClass.map((c) => [`${c.index} ${c.name}`, String(c.samples), String(c.correct), pct(c.accuracy)]), new Set([1, 2, 3])))
    const table = confusion(r)
    if (table !== '') lines.push(table.trimEnd())
  } else if (r.task === 'detection') {
    const m = r.metrics
    lines.push(`mAP@[.5:.95]  ${pct(m.map)}`, `mAP@0.5       ${pct(m.map50)}`, `mAP@0.75      ${pct(m.map75)}`, '')
    lines.push(renderColumns(['class', 'objects', 'detections', 'AP', 'AP50'], m.perClass.map((c) => [`${c.index} ${c.name}`, String(c.objects), String(c.detections), pct(c.ap), pct(c.ap50)]), new Set([1, 2, 3, 4])))
  } else {
    const m = r.metrics
    lines.push(`mIoU            ${pct(m.miou)}`, `pixel accuracy  ${pct(m.pixelAccuracy)}`, `mean accuracy   ${pct(m.meanAccuracy)}`, '')
    lines.push(renderColumns(['class', 'pixels', 'IoU', 'accuracy'], m.perClass.map((c) => [`${c.index} ${c.name}`, formatExact(c.pixels), pct(c.iou), pct(c.accuracy)]), new Set([1, 2, 3])))
  }
  lines.push('')
  lines.push(`decoder        ${r.decoder === null ? 'none' : r.decoder.label}`)
  lines.push(`preprocessing  ${preprocessingText(r)}`)
  lines.push(`throughput     ${rate(r.throughput.samplesPerSec)} samples/s in the engine, ${rate(r.throughput.endToEndSamplesPerSec)} samples/s end to end (batch ${r.batchSize}, ${r.threads} thread${r.threads === 1 ? '' : 's'})`)
  return `${lines.join('\n')}\n`
}
