import { crc32, deflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { IMAGENET_MEAN, IMAGENET_STD, readLabelPng, resolvePreprocessing, writeImageTensor, type RgbImage } from '../../src/accuracy/index.js'
import { resizeRgb, resizedSize } from '../../src/accuracy/preprocess.js'
import { openProgress } from '../../src/accuracy/progress.js'
import { isModelgateError } from '../../src/index.js'

const rgb = (w: number, h: number, values: readonly number[]): RgbImage => ({ width: w, height: h, data: Uint8Array.from(values) })

function codeOf(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    return isModelgateError(error) ? error.code : 'not a ModelgateError'
  }
  return 'no error'
}

describe('preprocessing defaults come from the model input', () => {
  it('reads NCHW size and dtype: 224×224, float32 scaled to [0, 1], no mean/std, RGB, cover + centre crop', () => {
    expect(resolvePreprocessing({ name: 'x', dtype: 'float32', dims: ['N', 3, 224, 224] })).toEqual({
      height: 224, width: 224, channels: 3, resize: 'cover', scale: 1 / 255, mean: [0, 0, 0], std: [1, 1, 1], layout: 'NCHW', channelOrder: 'RGB', dtype: 'float32',
    })
  })

  it('takes NHWC when dim 3 is the channel dim, grey for 1 channel, and raw pixels for uint8', () => {
    const p = resolvePreprocessing({ name: 'x', dtype: 'uint8', dims: [1, 96, 128, 1] })
    expect([p.layout, p.height, p.width, p.channels, p.scale, p.dtype]).toEqual(['NHWC', 96, 128, 1, 1, 'uint8'])
  })

  it('asks for the size when the spatial dims are symbolic: E_UNRESOLVED_DIM', () => {
    expect(codeOf(() => resolvePreprocessing({ name: 'x', dtype: 'float32', dims: ['N', 3, 'H', 'W'] }))).toBe('E_UNRESOLVED_DIM')
    expect(resolvePreprocessing({ name: 'x', dtype: 'float32', dims: ['N', 3, 'H', 'W'] }, { size: [64, 48] })).toMatchObject({ height: 64, width: 48 })
  })

  it('refuses an input that is not an image, and a std of 0', () => {
    expect(codeOf(() => resolvePreprocessing({ name: 'x', dtype: 'float32', dims: ['N', 16] }))).toBe('E_RUN_INPUT')
    expect(codeOf(() => resolvePreprocessing({ name: 'x', dtype: 'float16', dims: [1, 3, 8, 8] }))).toBe('E_RUN_INPUT')
    expect(codeOf(() => resolvePreprocessing({ name: 'x', dtype: 'float32', dims: [1, 3, 8, 8] }, { std: [1, 0, 1] }))).toBe('E_DATASET_FORMAT')
  })
})

describe('images become tensors', () => {
  it('applies (pixel × scale − mean) / std per channel, in BGR order and NHWC layout when asked', () => {
    const p = resolvePreprocessing({ name: 'x', dtype: 'float32', dims: [1, 1, 1, 3] }, { mean: IMAGENET_MEAN, std: IMAGENET_STD, channelOrder: 'BGR', layout: 'NHWC' })
    const out = new Float32Array(3)
    writeImageTensor(rgb(1, 1, [255, 0, 51]), p, out, 0)
    // channel 0 is blue (51/255 = 0.2) with the first mean/std, as given for the model's channel order
    expect([...out].map((v) => Number(v.toFixed(5)))).toEqual([(0.2 - 0.485) / 0.229, (0 - 0.456) / 0.224, (1 - 0.406) / 0.225].map((v) => Number(v.toFixed(5))))
  })

  it('centre-crops after covering: a 4×2 image into 2×2 keeps columns 1 and 2 (NCHW)', () => {
    const p = resolvePreprocessing({ name: 'x', dtype: 'uint8', dims: [1, 3, 2, 2] })
    const out = new Uint8Array(12)
    const t = writeImageTensor(rgb(4, 2, Array.from({ length: 24 }, (_, i) => Math.floor(i / 3) * 10)), p, out, 0)
    expect([...out.subarray(0, 4)]).toEqual([10, 20, 50, 60])
    expect(t).toMatchObject({ offsetX: 1, offsetY: 0, scaleX: 1, scaleY: 1 })
  })

  it('resizes like torchvision Resize(n): shorter side to n, the longer one truncated', () => {
    const p = resolvePreprocessing({ name: 'x', dtype: 'float32', dims: [1, 3, 224, 224] }, { resize: 256 })
    expect(resizedSize(500, 375, p)).toEqual([341, 256])
    expect(resizedSize(375, 500, { ...p, resize: 'cover' })).toEqual([224, 298])
    expect(resizedSize(375, 500, { ...p, resize: 'stretch' })).toEqual([224, 224])
  })

  it('shrinks with an antialiased triangle filter (Pillow bilinear): [0, 255] → 127.5, and keeps a same-size image exact', () => {
    expect([...resizeRgb([0, 0, 0, 255, 255, 255], 2, 1, 1, 1)]).toEqual([127.5, 127.5, 127.5])
    expect([...resizeRgb([1, 2, 3, 4, 5, 6], 2, 1, 2, 1)]).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('writes grey as PIL luma 0.299 R + 0.587 G + 0.114 B, rounded and clamped for int8', () => {
    const p = resolvePreprocessing({ name: 'x', dtype: 'int8', dims: [1, 1, 1, 1] }, { mean: [128] })
    const out = new Int8Array(1)
    writeImageTensor(rgb(1, 1, [255, 255, 255]), p, out, 0)
    expect(out[0]).toBe(127)
  })
})

/** A minimal PNG writer for masks: grey or palette, any bit depth, filter 0 (none). */
function png(width: number, height: number, colorType: 0 | 3, depth: number, values: readonly number[]): Uint8Array {
  const chunk = (type: string, body: Uint8Array): Buffer => {
    const head = Buffer.alloc(8)
    head.writeUInt32BE(body.length, 0)
    head.write(type, 4, 'latin1')
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0)
    return Buffer.concat([head, body, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr.set([depth, colorType, 0, 0, 0], 8)
  const stride = Math.ceil((width * depth) / 8)
  const raw = Buffer.alloc(height * (stride + 1))
  values.forEach((v, i) => {
    const y = Math.floor(i / width)
    const x = i % width
    const at = y * (stride + 1) + 1
    if (depth === 16) raw.writeUInt16BE(v, at + x * 2)
    else raw[at + ((x * depth) >> 3)]! |= v << (8 - depth - ((x * depth) & 7))
  })
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)]
  if (colorType === 3) parts.push(chunk('PLTE', Buffer.alloc(3 * 16, 7)))
  parts.push(chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0)))
  return Buffer.concat(parts)
}

describe('masks are read as label values', () => {
  it('gives palette indices, not colours (Pascal VOC style), also packed 4 bits per pixel', () => {
    expect([...readLabelPng(png(3, 2, 3, 8, [0, 1, 2, 3, 4, 255]), 'm.png').labels]).toEqual([0, 1, 2, 3, 4, 255])
    expect([...readLabelPng(png(3, 1, 3, 4, [15, 0, 9]), 'm.png').labels]).toEqual([15, 0, 9])
  })

  it('gives grey values, 8 and 16 bit', () => {
    expect([...readLabelPng(png(2, 2, 0, 8, [0, 7, 255, 3]), 'm.png').labels]).toEqual([0, 7, 255, 3])
    expect([...readLabelPng(png(2, 1, 0, 16, [300, 65535]), 'm.png').labels]).toEqual([300, 65535])
  })

  it('refuses a damaged file: E_IMAGE_DECODE', () => {
    const bytes = png(2, 2, 0, 8, [0, 1, 2, 3])
    expect(codeOf(() => readLabelPng(bytes.subarray(0, 40), 'm.png'))).toBe('E_IMAGE_DECODE')
    expect(codeOf(() => readLabelPng(Buffer.from('nope'), 'm.png'))).toBe('E_IMAGE_DECODE')
  })
})

describe('the progress line', () => {
  it('rewrites one line on a TTY and clears it at the end', () => {
    const writes: string[] = []
    let t = 0
    const line = openProgress({ write: (s: string) => writes.push(s), isTTY: true }, 'model.onnx', () => (t += 200))
    line.update(32, 350, 1234.5)
    line.update(350, 350, 1500)
    line.done()
    expect(writes.map((w) => w.replace('\r\x1b[2K', '⟲'))).toEqual([
      '⟲evaluating model.onnx: 32/350 (9%) · 1235 samples/s',
      '⟲evaluating model.onnx: 350/350 (100%) · 1500 samples/s',
      '⟲',
    ])
  })

  it('writes nothing off a TTY', () => {
    const writes: string[] = []
    const line = openProgress({ write: (s: string) => writes.push(s) }, 'm', () => 0)
    line.update(1, 2, 3)
    line.done()
    expect(writes).toEqual([])
  })
})
