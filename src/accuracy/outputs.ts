/**
 * Reading model outputs per task: class scores, detections, per-pixel labels. Every mismatch between an output
 * and the data set is an E_MODEL_OUTPUT naming the model file, the output and its dims.
 */
import type { TensorOutput, TypedArray } from '../bench/types.js'
import { ModelgateError } from '../errors.js'
import type { Box, BoxDetection } from './metrics-detection.js'
import type { ImageTransform } from './preprocess.js'
import type { DetectionOutputOptions } from './types.js'

/** The model an output came from, for messages. */
export interface OutputContext {
  readonly model: string
  readonly file: string
}

function outputError(ctx: OutputContext, problem: string, value?: unknown): ModelgateError {
  return new ModelgateError('E_MODEL_OUTPUT', `${problem} (model ${JSON.stringify(ctx.model)}).`, { file: ctx.file, value })
}

/** Numeric output data as numbers (int64 outputs are converted). */
export function numericData(output: TensorOutput, name: string, ctx: OutputContext): ArrayLike<number> {
  const data = output.data
  if (Array.isArray(data)) throw outputError(ctx, `The output ${JSON.stringify(name)} holds strings, not scores`)
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) return Float64Array.from(data, Number)
  return data as Exclude<TypedArray, BigInt64Array | BigUint64Array>
}

/** How a classifier's output is read: one score vector per sample, or one predicted class per sample. */
export type ClassOutput = { readonly kind: 'scores'; readonly data: ArrayLike<number> } | { readonly kind: 'labels'; readonly data: ArrayLike<number> }

/**
 * A classifier's output for a batch.
 * @throws ModelgateError E_MODEL_OUTPUT when it is neither [batch, classes] scores (trailing 1s allowed) nor one integer label per sample
 */
export function readClassOutput(output: TensorOutput, name: string, batch: number, classes: number, ctx: OutputContext): ClassOutput {
  const data = numericData(output, name, ctx)
  const integer = /int/.test(output.dtype)
  if (data.length === batch * classes && !(integer && classes !== 1)) return { kind: 'scores', data }
  if (integer && data.length === batch) return { kind: 'labels', data }
  const perSample = data.length / batch
  throw outputError(
    ctx,
    `The output ${JSON.stringify(name)} has dims [${output.dims.join(', ')}] for a batch of ${batch}: ${Number.isInteger(perSample) ? perSample : data.length} score(s) per sample, but the data set has ${classes} classes ([${batch}, ${classes}] expected)`,
    output.dims,
  )
}

function pick(outputs: Readonly<Record<string, TensorOutput>>, wanted: string | undefined, pattern: RegExp): [string, TensorOutput] | undefined {
  if (wanted !== undefined) {
    const o = outputs[wanted]
    return o === undefined ? undefined : [wanted, o]
  }
  return Object.entries(outputs).find(([n]) => pattern.test(n))
}

function toXyxy(b: readonly number[], format: DetectionOutputOptions['boxFormat']): [number, number, number, number] {
  const [a = 0, c = 0, d = 0, e = 0] = b
  if (format === 'xywh') return [a, c, a + d, c + e]
  if (format === 'cxcywh') return [a - d / 2, c - e / 2, a + d / 2, c + e / 2]
  return [a, c, d, e]
}

/**
 * One image's detections, in pixels of the ORIGINAL image.
 * @param outputs the batch's outputs
 * @param index the image's position in the batch
 * @param batch the batch size run
 * @param input model input size [width, height] (for normalized boxes)
 * @param transform how input pixels map back to the original image
 */
export function readDetections(
  outputs: Readonly<Record<string, TensorOutput>>,
  index: number,
  batch: number,
  input: readonly [number, number],
  transform: ImageTransform,
  options: DetectionOutputOptions,
  ctx: OutputContext,
): BoxDetection[] {
  const offset = options.labelOffset ?? 0
  const threshold = options.scoreThreshold ?? 0
  let raw: { box: number[]; score: number; label: number }[]
  if (options.decode !== undefined) {
    raw = options.decode(outputs, index).map((d) => ({ box: [...d.box], score: d.score, label: d.label }))
  } else {
    raw = []
    const boxes = pick(outputs, options.boxes, /box/i)
    const scores = pick(outputs, options.scores, /score|conf/i)
    const labels = pick(outputs, options.labels, /label|class/i)
    if (boxes !== undefined && scores !== undefined && labels !== undefined) {
      const b = numericData(boxes[1], boxes[0], ctx)
      const s = numericData(scores[1], scores[0], ctx)
      const l = numericData(labels[1], labels[0], ctx)
      const per = s.length / batch
      if (!Number.isInteger(per) || b.length !== s.length * 4 || l.length !== s.length) {
        throw outputError(ctx, `The outputs ${boxes[0]} [${boxes[1].dims.join(', ')}], ${scores[0]} [${scores[1].dims.join(', ')}], ${labels[0]} [${labels[1].dims.join(', ')}] do not hold [batch, D, 4], [batch, D], [batch, D] for a batch of ${batch}`)
      }
      for (let k = index * per; k < (index + 1) * per; k++) raw.push({ box: Array.from({ length: 4 }, (_, j) => b[k * 4 + j]!), score: s[k]!, label: l[k]! })
    } else {
      const name = options.boxes ?? Object.keys(outputs)[0]!
      const o = outputs[name]
      const width = o?.dims[o.dims.length - 1]
      if (o === undefined || (width !== 6 && width !== 7)) {
        throw outputError(ctx, `Cannot read detections: no boxes/scores/labels outputs, and the output ${JSON.stringify(name)} [${o?.dims.join(', ') ?? ''}] is not [batch, D, 6] (x1, y1, x2, y2, score, label); pass detection.decode`, o?.dims)
      }
      const d = numericData(o, name, ctx)
      const per = d.length / width / batch
      for (let k = index * per; k < (index + 1) * per; k++) {
        const at = k * width
        raw.push({ box: [d[at]!, d[at + 1]!, d[at + 2]!, d[at + 3]!], score: d[at + 4]!, label: d[at + 5]! })
      }
    }
  }
  const [w, h] = options.normalized === true ? input : [1, 1]
  const result: BoxDetection[] = []
  for (const r of raw) {
    if (!(r.score >= threshold)) continue
    const [x1, y1, x2, y2] = options.decode !== undefined ? toXyxy(r.box, 'xyxy') : toXyxy(r.box, options.boxFormat)
    const box: Box = [
      (x1 * w + transform.offsetX) * transform.scaleX,
      (y1 * h + transform.offsetY) * transform.scaleY,
      (x2 * w + transform.offsetX) * transform.scaleX,
      (y2 * h + transform.offsetY) * transform.scaleY,
    ]
    result.push({ box, score: r.score, label: Math.round(r.label) - offset })
  }
  return result
}

/**
 * One image's per-pixel labels from a segmentation output: [batch, C, H, W] scores (arg-max over C, first on ties)
 * or [batch, H, W] / [batch, 1, H, W] integer labels.
 * @returns the labels and the output's height and width
 */
export function readLabelMap(output: TensorOutput, name: string, index: number, batch: number, classes: number | undefined, ctx: OutputContext): { labels: Int32Array; width: number; height: number; classes: number } {
  const dims = output.dims
  const data = numericData(output, name, ctx)
  const integer = /int/.test(output.dtype)
  if (dims.length === 4 && !integer) {
    const [, c = 0, h = 0, w = 0] = dims
    if (classes !== undefined && c !== classes) throw outputError(ctx, `The output ${JSON.stringify(name)} has dims [${dims.join(', ')}]: ${c} class channels, but the data set has ${classes} classes`, dims)
    const plane = h * w
    const base = index * c * plane
    const labels = new Int32Array(plane)
    for (let p = 0; p < plane; p++) {
      let best = 0
      let bestScore = data[base + p]!
      for (let k = 1; k < c; k++) {
        const s = data[base + k * plane + p]!
        if (s > bestScore) (best = k), (bestScore = s)
      }
      labels[p] = best
    }
    return { labels, width: w, height: h, classes: c }
  }
  if (integer && (dims.length === 3 || (dims.length === 4 && dims[1] === 1))) {
    const h = dims[dims.length - 2]!
    const w = dims[dims.length - 1]!
    const plane = h * w
    return { labels: Int32Array.from({ length: plane }, (_, p) => data[index * plane + p]!), width: w, height: h, classes: classes ?? 0 }
  }
  throw outputError(ctx, `The output ${JSON.stringify(name)} has dims [${dims.join(', ')}] (${output.dtype}); segmentation needs [batch, classes, H, W] scores or [batch, H, W] integer labels (batch ${batch})`, dims)
}
