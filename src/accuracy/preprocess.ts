/**
 * Image preprocessing, declared in options, with defaults taken from the model's input:
 *
 * | option | default |
 * |---|---|
 * | `size` [height, width] | the input's spatial dims (NCHW: dims 2, 3; NHWC: dims 1, 2) |
 * | `resize` | `'cover'`: scale so the image just covers `size` (shorter side = size for a square), then centre-crop; `'stretch'` for detection/segmentation |
 * | `layout` | NCHW when dim 1 is 3 or 1, NHWC when dim 3 is, else NCHW |
 * | `channelOrder` | RGB |
 * | `dtype` | the input's element type (float32, uint8 or int8) |
 * | `scale` | 1/255 for float32 (pixels in [0, 1]), 1 for uint8/int8 |
 * | `mean`, `std` | 0 and 1 per channel (no normalisation); ImageNet's are exported as IMAGENET_MEAN/IMAGENET_STD |
 *
 * value = (pixel × scale − mean[c]) / std[c], then rounded and clamped for integer dtypes. A 1-channel input gets
 * luma (0.299 R + 0.587 G + 0.114 B, as PIL's convert('L')). Resampling is Pillow's antialiased bilinear (a triangle
 * filter widened when shrinking), in floating point; a resize to the same size is the identity. `resize: n` scales
 * the shorter side to n (torchvision `Resize(n)`), then centre-crops (torchvision `CenterCrop`, zero padding).
 */
import type { TypedArray, ValueSignature } from '../bench/types.js'
import { optionKeys } from '../_options.js'
import { ModelgateError } from '../errors.js'
import type { RgbImage } from './image-decode.js'

/** ImageNet channel means (RGB), for pixels scaled to [0, 1]. */
export const IMAGENET_MEAN: readonly number[] = [0.485, 0.456, 0.406]
/** ImageNet channel standard deviations (RGB), for pixels scaled to [0, 1]. */
export const IMAGENET_STD: readonly number[] = [0.229, 0.224, 0.225]

/** How an image is brought to the input size: cover + centre-crop, stretch, or shorter side to n + centre-crop. */
export type ResizeMode = 'cover' | 'stretch' | number

/** Element types an image can be fed as. */
export type ImageDtype = 'float32' | 'uint8' | 'int8'

/** Preprocessing options; every one has a default taken from the model's input (see the module doc). */
export interface PreprocessOptions {
  /** Output size: one number (square) or [height, width]. */
  readonly size?: number | readonly [number, number]
  readonly resize?: ResizeMode
  readonly scale?: number
  /** Per channel (in the model's channel order), or one value for all. */
  readonly mean?: readonly number[]
  readonly std?: readonly number[]
  readonly layout?: 'NCHW' | 'NHWC'
  readonly channelOrder?: 'RGB' | 'BGR'
  readonly dtype?: ImageDtype
}

/** The keys of {@link PreprocessOptions}. */
export const PREPROCESS_OPTION_KEYS = optionKeys<PreprocessOptions>({
  size: true, resize: true, scale: true, mean: true, std: true, layout: true, channelOrder: true, dtype: true,
})

/** The preprocessing as applied (recorded in results). */
export interface Preprocessing {
  readonly height: number
  readonly width: number
  readonly channels: 1 | 3
  readonly resize: ResizeMode
  readonly scale: number
  readonly mean: readonly number[]
  readonly std: readonly number[]
  readonly layout: 'NCHW' | 'NHWC'
  readonly channelOrder: 'RGB' | 'BGR'
  readonly dtype: ImageDtype
}

/** Where the model's pixels come from: original = (model + offset) × scale, per axis. */
export interface ImageTransform {
  readonly scaleX: number
  readonly scaleY: number
  readonly offsetX: number
  readonly offsetY: number
  readonly originalWidth: number
  readonly originalHeight: number
}

function isChannelDim(d: number | string | undefined): boolean {
  return d === 1 || d === 3
}

function perChannel(values: readonly number[] | undefined, fallback: number, channels: number, what: string): number[] {
  if (values === undefined) return new Array<number>(channels).fill(fallback)
  if (values.length === 1) return new Array<number>(channels).fill(values[0]!)
  if (values.length !== channels || values.some((v) => !Number.isFinite(v) || (what === 'std' && v === 0))) {
    throw new ModelgateError('E_DATASET_FORMAT', `preprocess.${what} ${JSON.stringify(values)} must hold ${channels} finite number(s)${what === 'std' ? ', none 0' : ''}.`, { value: values })
  }
  return [...values]
}

/**
 * The preprocessing for a model input.
 * @param input the model's image input (rank 4)
 * @param options what the caller declared
 * @param defaultResize `cover` for classification, `stretch` for detection/segmentation
 * @returns every setting, defaults filled in
 */
export function resolvePreprocessing(input: ValueSignature, options: PreprocessOptions = {}, defaultResize: ResizeMode = 'cover'): Preprocessing {
  const dims = input.dims
  if (dims.length !== 4) {
    throw new ModelgateError('E_RUN_INPUT', `The model's input ${JSON.stringify(input.name)} has dims [${dims.join(', ')}]; images need a rank-4 input (NCHW or NHWC).`, { value: dims })
  }
  const layout = options.layout ?? (isChannelDim(dims[1]) ? 'NCHW' : isChannelDim(dims[3]) ? 'NHWC' : 'NCHW')
  const [cDim, hDim, wDim] = layout === 'NCHW' ? [dims[1], dims[2], dims[3]] : [dims[3], dims[1], dims[2]]
  const channels = cDim === 1 ? 1 : 3
  let height: number | string | undefined = hDim
  let width: number | string | undefined = wDim
  if (options.size !== undefined) [height, width] = typeof options.size === 'number' ? [options.size, options.size] : options.size
  if (typeof height !== 'number' || typeof width !== 'number' || !(height > 0 && width > 0)) {
    throw new ModelgateError('E_UNRESOLVED_DIM', `The image size of input ${JSON.stringify(input.name)} [${dims.join(', ')}] is not known; give preprocess.size (CLI --size) or the input's dims.`, { value: dims })
  }
  const modelDtype = input.dtype === 'uint8' || input.dtype === 'int8' || input.dtype === 'float32' ? input.dtype : undefined
  const dtype = options.dtype ?? modelDtype
  if (dtype === undefined) {
    throw new ModelgateError('E_RUN_INPUT', `The model's input ${JSON.stringify(input.name)} is ${input.dtype}; images can be fed as float32, uint8 or int8 (feed a tensor set instead).`, { value: input.dtype })
  }
  return {
    height,
    width,
    channels,
    resize: options.resize ?? defaultResize,
    scale: options.scale ?? (dtype === 'float32' ? 1 / 255 : 1),
    mean: perChannel(options.mean, 0, channels, 'mean'),
    std: perChannel(options.std, 1, channels, 'std'),
    layout,
    channelOrder: options.channelOrder ?? 'RGB',
    dtype,
  }
}

/** Pillow's resampling coefficients for one axis (antialiased bilinear). */
function axisWeights(inSize: number, outSize: number): { start: number[]; weights: number[][] } {
  const scale = inSize / outSize
  const filterScale = Math.max(scale, 1)
  const support = filterScale
  const start: number[] = []
  const weights: number[][] = []
  for (let i = 0; i < outSize; i++) {
    const center = (i + 0.5) * scale
    const lo = Math.max(0, Math.trunc(center - support + 0.5))
    const hi = Math.min(inSize, Math.trunc(center + support + 0.5))
    const w: number[] = []
    for (let j = lo; j < hi; j++) w.push(Math.max(0, 1 - Math.abs((j - center + 0.5) / filterScale)))
    const sum = w.reduce((a, b) => a + b, 0)
    start.push(lo)
    weights.push(sum === 0 ? w : w.map((v) => v / sum))
  }
  return { start, weights }
}

/** Resamples RGB (interleaved) to outW × outH, in floating point. */
export function resizeRgb(data: ArrayLike<number>, width: number, height: number, outW: number, outH: number): Float32Array {
  if (outW === width && outH === height) return Float32Array.from(data)
  const xs = axisWeights(width, outW)
  const ys = axisWeights(height, outH)
  const tmp = new Float32Array(outW * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < outW; x++) {
      const w = xs.weights[x]!
      const s = xs.start[x]!
      let r = 0, g = 0, b = 0
      for (let k = 0; k < w.length; k++) {
        const at = (y * width + s + k) * 3
        r += data[at]! * w[k]!
        g += data[at + 1]! * w[k]!
        b += data[at + 2]! * w[k]!
      }
      const o = (y * outW + x) * 3
      tmp[o] = r
      tmp[o + 1] = g
      tmp[o + 2] = b
    }
  }
  const out = new Float32Array(outW * outH * 3)
  for (let y = 0; y < outH; y++) {
    const w = ys.weights[y]!
    const s = ys.start[y]!
    for (let x = 0; x < outW; x++) {
      let r = 0, g = 0, b = 0
      for (let k = 0; k < w.length; k++) {
        const at = ((s + k) * outW + x) * 3
        r += tmp[at]! * w[k]!
        g += tmp[at + 1]! * w[k]!
        b += tmp[at + 2]! * w[k]!
      }
      const o = (y * outW + x) * 3
      out[o] = r
      out[o + 1] = g
      out[o + 2] = b
    }
  }
  return out
}

/** Python's round(): half to even, as torchvision's centre crop uses. */
function roundHalfEven(v: number): number {
  const r = Math.round(v)
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r
}

/** The size an image is resized to before the crop. */
export function resizedSize(w: number, h: number, p: Preprocessing): [number, number] {
  if (p.resize === 'stretch') return [p.width, p.height]
  if (p.resize === 'cover') {
    const s = Math.max(p.height / h, p.width / w)
    return [Math.max(p.width, Math.trunc(w * s + 1e-9)), Math.max(p.height, Math.trunc(h * s + 1e-9))]
  }
  const n = p.resize
  return w <= h ? [n, Math.trunc((n * h) / w)] : [Math.trunc((n * w) / h), n]
}

const CLAMP: Readonly<Record<ImageDtype, readonly [number, number] | undefined>> = { float32: undefined, uint8: [0, 255], int8: [-128, 127] }

/**
 * Writes one preprocessed image into a batch buffer.
 * @param image decoded RGB
 * @param p the preprocessing
 * @param out the batch buffer (Float32Array, Uint8Array or Int8Array matching `p.dtype`)
 * @param offset element offset of this image in `out`
 * @returns how model pixel coordinates map back to the original image
 */
export function writeImageTensor(image: RgbImage, p: Preprocessing, out: TypedArray, offset: number): ImageTransform {
  const [rw, rh] = resizedSize(image.width, image.height, p)
  const resized = resizeRgb(image.data, image.width, image.height, rw, rh)
  const top = roundHalfEven((rh - p.height) / 2)
  const left = roundHalfEven((rw - p.width) / 2)
  const plane = p.height * p.width
  const clamp = CLAMP[p.dtype]
  const target = out as unknown as { [i: number]: number }
  const order = p.channelOrder === 'BGR' ? [2, 1, 0] : [0, 1, 2]
  for (let y = 0; y < p.height; y++) {
    for (let x = 0; x < p.width; x++) {
      const sy = y + top
      const sx = x + left
      const inside = sy >= 0 && sy < rh && sx >= 0 && sx < rw
      const at = (sy * rw + sx) * 3
      for (let c = 0; c < p.channels; c++) {
        let pixel = 0
        if (inside) pixel = p.channels === 1 ? 0.299 * resized[at]! + 0.587 * resized[at + 1]! + 0.114 * resized[at + 2]! : resized[at + order[c]!]!
        let v = (pixel * p.scale - p.mean[c]!) / p.std[c]!
        if (clamp !== undefined) v = Math.min(clamp[1], Math.max(clamp[0], Math.round(v)))
        const index = p.layout === 'NCHW' ? c * plane + y * p.width + x : (y * p.width + x) * p.channels + c
        target[offset + index] = v
      }
    }
  }
  return { scaleX: image.width / rw, scaleY: image.height / rh, offsetX: left, offsetY: top, originalWidth: image.width, originalHeight: image.height }
}
