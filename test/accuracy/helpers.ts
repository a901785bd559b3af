/**
 * Small models and data sets for the accuracy tests, written into a temporary folder.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { PNG } from 'pngjs'
import { float, ModelBuilder } from '../../fixtures/builder/index.js'

/** A temporary work folder and a remover. */
export function workDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `modelgate-${prefix}-`))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Writes a file, creating its folder. */
export function put(path: string, bytes: Uint8Array | string): string {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, bytes)
  return path
}

/** A PNG of w×h RGB pixels given by `pixel(x, y)`. */
export function pngBytes(w: number, h: number, pixel: (x: number, y: number) => readonly [number, number, number]): Buffer {
  const png = new PNG({ width: w, height: h })
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [r, g, b] = pixel(x, y)
      png.data.set([r, g, b, 255], (y * w + x) * 4)
    }
  }
  return PNG.sync.write(png, { colorType: 2 })
}

/** A grey 8-bit PNG whose values are `value(x, y)` (a segmentation mask). */
export function maskPng(w: number, h: number, value: (x: number, y: number) => number): Buffer {
  const png = new PNG({ width: w, height: h, colorType: 0, inputColorType: 0, bitDepth: 8 })
  const data = Buffer.alloc(w * h)
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = value(x, y)
  png.data = data
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, bitDepth: 8 })
}

/** logits = x: input `x` [N, classes] → output `logits` [N, classes] (an Identity). */
export function identityClassifier(path: string, classes = 3): string {
  const g = new ModelBuilder()
  g.input('x', 'float32', ['N', classes])
  g.node('Identity', ['x'], ['logits'])
  g.output('logits', 'float32', ['N', classes])
  g.writeTo(path)
  return path
}

/**
 * An image classifier by mean colour: input [N, 3, size, size] → GlobalAveragePool → Flatten → Gemm(I3) →
 * `logits` [N, classes]; class c < 3 scores the mean of channel c, further classes score 0.
 */
export function colourClassifier(path: string, options: { classes?: number; size?: number; batch?: number | string; undeclaredOutput?: boolean } = {}): string {
  const classes = options.classes ?? 3
  const size = options.size ?? 8
  const g = new ModelBuilder()
  const x = g.input('input', 'float32', [options.batch ?? 'N', 3, size, size])
  const pooled = g.op('GlobalAveragePool', [x])
  const flat = g.op('Flatten', [pooled], { axis: 1 })
  const w = g.initializer('w', 'float32', [classes, 3], Array.from({ length: classes * 3 }, (_, i) => (Math.floor(i / 3) === i % 3 ? 1 : 0)))
  const b = g.initializer('b', 'float32', [classes], new Array<number>(classes).fill(0))
  g.node('Gemm', [flat, w, b], ['logits'], { alpha: float(1), beta: float(1), transB: 1 })
  if (options.undeclaredOutput === true) g.output('logits', 'float32')
  else g.output('logits', 'float32', [options.batch ?? 'N', classes])
  g.writeTo(path)
  return path
}

/**
 * A "detector" whose output ignores the image: `dets` [N, D, 6] = the given rows (x1, y1, x2, y2, score, label in
 * input pixels) for every image; the batch dim comes from the input through Shape/Gather/Expand.
 */
export function constantDetector(path: string, rows: readonly (readonly number[])[], size = 16): string {
  const g = new ModelBuilder()
  const x = g.input('input', 'float32', ['N', 3, size, size])
  const table = g.initializer('table', 'float32', [1, rows.length, 6], rows.flat())
  const shape = g.op('Shape', [x])
  const n = g.op('Slice', [shape, g.initializer('s0', 'int64', [1], [0]), g.initializer('s1', 'int64', [1], [1])])
  const target = g.op('Concat', [n, g.initializer('rest', 'int64', [2], [rows.length, 6])], { axis: 0 })
  g.node('Expand', [table, target], ['dets'])
  g.output('dets', 'float32', ['N', rows.length, 6])
  g.writeTo(path)
  return path
}

/**
 * A segmenter by colour: per pixel, scores = the RGB values (1×1 Conv with I3) → `scores` [N, 3, size, size]; the
 * arg-max picks the dominant channel.
 */
export function colourSegmenter(path: string, size = 8): string {
  const g = new ModelBuilder()
  const x = g.input('input', 'float32', ['N', 3, size, size])
  const w = g.initializer('w', 'float32', [3, 3, 1, 1], [1, 0, 0, 0, 1, 0, 0, 0, 1])
  g.node('Conv', [x, w], ['scores'], { kernel_shape: [1, 1] })
  g.output('scores', 'float32', ['N', 3, size, size])
  g.writeTo(path)
  return path
}

/** Pure red, green or blue with a little shade, by class 0/1/2. */
export function classColour(c: number, shade = 0): [number, number, number] {
  const v: [number, number, number] = [20 + shade, 20 + shade, 20 + shade]
  v[c] = 200 - shade
  return v
}
