/**
 * Sample sources: a data set made ready for a model input — each sample written straight into a batch buffer,
 * with what scoring it needs (label, boxes and transform, mask).
 */
import { readFileSync } from 'node:fs'
import type { TypedArray, ValueSignature } from '../bench/types.js'
import { ModelgateError } from '../errors.js'
import type { DetectionSet, SegmentationSet } from './ground-truth.js'
import type { ImageFolderIndex } from './image-folder.js'
import { loadImageDecoder, type DecoderChoice, type DecoderInfo, type ImageDecoder } from './image-decode.js'
import type { BoxAnnotation } from './metrics-detection.js'
import { readLabelPng, type LabelMap } from './png-labels.js'
import { resolvePreprocessing, writeImageTensor, type ImageTransform, type Preprocessing, type PreprocessOptions } from './preprocess.js'
import type { TensorSet } from './tensor-set.js'

/** What scoring needs about one sample. */
export type SampleContext =
  | { readonly kind: 'label'; readonly label: number }
  | { readonly kind: 'boxes'; readonly objects: readonly BoxAnnotation[]; readonly transform: ImageTransform }
  | { readonly kind: 'mask'; readonly mask: LabelMap; readonly transform: ImageTransform; readonly file: string }

/** A data set ready to be fed to one model input. */
export interface SampleSource {
  readonly size: number
  /** Dims of one sample as fed (the input's dims without the batch dim). */
  readonly sampleDims: readonly number[]
  readonly decoder: DecoderInfo | null
  readonly preprocessing: Preprocessing | null
  /** The label of sample i, when the set is labelled per sample (classification). */
  labelOf(i: number): number | undefined
  /** Writes sample i at `offset` of `target`; returns its context. */
  load(i: number, target: TypedArray, offset: number): Promise<SampleContext>
}

function readFile(file: string): Uint8Array {
  try {
    return readFileSync(file)
  } catch (error) {
    throw new ModelgateError('E_FILE_READ', `Cannot read ${JSON.stringify(file)}.`, { file, value: file, cause: error })
  }
}

function imageDims(p: Preprocessing): number[] {
  return p.layout === 'NCHW' ? [p.channels, p.height, p.width] : [p.height, p.width, p.channels]
}

async function imageSetup(input: ValueSignature, options: { readonly decoder?: DecoderChoice; readonly preprocess?: PreprocessOptions }, defaultResize: 'cover' | 'stretch'): Promise<{ decoder: ImageDecoder; p: Preprocessing }> {
  const p = resolvePreprocessing(input, options.preprocess, defaultResize)
  return { decoder: await loadImageDecoder(options.decoder), p }
}

async function decodeInto(decoder: ImageDecoder, p: Preprocessing, file: string, target: TypedArray, offset: number): Promise<ImageTransform> {
  const image = await decoder.decode(readFile(file), file)
  return writeImageTensor(image, p, target, offset)
}

/** An ImageFolder as a source. */
export async function imageFolderSource(index: ImageFolderIndex, input: ValueSignature, options: { readonly decoder?: DecoderChoice; readonly preprocess?: PreprocessOptions }): Promise<SampleSource> {
  const { decoder, p } = await imageSetup(input, options, 'cover')
  return {
    size: index.samples.length,
    sampleDims: imageDims(p),
    decoder: decoder.info,
    preprocessing: p,
    labelOf: (i) => index.samples[i]!.label,
    async load(i, target, offset) {
      const s = index.samples[i]!
      await decodeInto(decoder, p, s.file, target, offset)
      return { kind: 'label', label: s.label }
    },
  }
}

/** A tensor set as a source; checks its sample dims against the input's. */
export function tensorSource(set: TensorSet, input: ValueSignature): SampleSource {
  const sampleDims = set.inputs.dims.slice(1)
  const wanted = input.dims.slice(1)
  const fits = sampleDims.length === wanted.length && wanted.every((d, i) => typeof d !== 'number' || d === sampleDims[i])
  if (!fits) {
    throw new ModelgateError('E_RUN_INPUT', `The samples of ${JSON.stringify(set.root)} have dims [${sampleDims.join(', ')}], but the model input ${JSON.stringify(input.name)} wants [${input.dims.join(', ')}] (batch dim first).`, { file: set.root, value: sampleDims })
  }
  if ((input.dtype === 'float16') !== (set.inputs.dtype === 'float16')) {
    throw new ModelgateError('E_RUN_INPUT', `The samples of ${JSON.stringify(set.root)} are ${set.inputs.dtype} but the model input ${JSON.stringify(input.name)} is ${input.dtype}; save the tensors as ${input.dtype === 'float16' ? 'float16' : 'float32'}.`, { file: set.root, value: set.inputs.dtype })
  }
  const size = sampleDims.reduce((n, d) => n * d, 1)
  const src = set.inputs.data
  return {
    size: set.labels.length,
    sampleDims,
    decoder: null,
    preprocessing: null,
    labelOf: (i) => set.labels[i],
    load(i, target, offset) {
      const from = i * size
      if (target instanceof BigInt64Array || target instanceof BigUint64Array) {
        for (let k = 0; k < size; k++) target[offset + k] = BigInt(Math.trunc(Number(src[from + k])))
      } else if (src instanceof BigInt64Array || src instanceof BigUint64Array) {
        for (let k = 0; k < size; k++) target[offset + k] = Number(src[from + k])
      } else if (src.constructor === target.constructor) {
        target.set(src.subarray(from, from + size) as never, offset)
      } else {
        for (let k = 0; k < size; k++) target[offset + k] = src[from + k]!
      }
      return Promise.resolve({ kind: 'label', label: set.labels[i]! })
    },
  }
}

/** A detection set as a source (images stretched to the input size by default). */
export async function detectionSource(set: DetectionSet, input: ValueSignature, options: { readonly decoder?: DecoderChoice; readonly preprocess?: PreprocessOptions }): Promise<SampleSource> {
  const { decoder, p } = await imageSetup(input, options, 'stretch')
  return {
    size: set.samples.length,
    sampleDims: imageDims(p),
    decoder: decoder.info,
    preprocessing: p,
    labelOf: () => undefined,
    async load(i, target, offset) {
      const s = set.samples[i]!
      const transform = await decodeInto(decoder, p, s.file, target, offset)
      return { kind: 'boxes', objects: s.objects, transform }
    },
  }
}

/** A segmentation set as a source (images stretched to the input size by default; masks read exactly). */
export async function segmentationSource(set: SegmentationSet, input: ValueSignature, options: { readonly decoder?: DecoderChoice; readonly preprocess?: PreprocessOptions }): Promise<SampleSource> {
  const { decoder, p } = await imageSetup(input, options, 'stretch')
  return {
    size: set.samples.length,
    sampleDims: imageDims(p),
    decoder: decoder.info,
    preprocessing: p,
    labelOf: () => undefined,
    async load(i, target, offset) {
      const s = set.samples[i]!
      const transform = await decodeInto(decoder, p, s.file, target, offset)
      const mask = readLabelPng(readFile(s.mask), s.mask)
      if (mask.width !== transform.originalWidth || mask.height !== transform.originalHeight) {
        throw new ModelgateError('E_DATASET_FORMAT', `The mask ${JSON.stringify(s.mask)} is ${mask.width}×${mask.height} but its image is ${transform.originalWidth}×${transform.originalHeight}.`, { file: s.mask, value: s.mask })
      }
      return { kind: 'mask', mask, transform, file: s.mask }
    },
  }
}

/**
 * The ground-truth labels at the prediction grid: for each output pixel, the mask value at the corresponding
 * original pixel (nearest), or `ignore` where the model saw padding.
 */
export function maskAtOutput(mask: LabelMap, t: ImageTransform, p: Preprocessing, outW: number, outH: number, ignore: number): Uint16Array {
  const out = new Uint16Array(outW * outH)
  for (let y = 0; y < outH; y++) {
    const my = Math.floor(((y + 0.5) * (p.height / outH) + t.offsetY) * t.scaleY)
    for (let x = 0; x < outW; x++) {
      const mx = Math.floor(((x + 0.5) * (p.width / outW) + t.offsetX) * t.scaleX)
      out[y * outW + x] = my >= 0 && my < mask.height && mx >= 0 && mx < mask.width ? mask.labels[my * mask.width + mx]! : ignore
    }
  }
  return out
}
