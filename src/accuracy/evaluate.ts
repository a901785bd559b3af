/**
 * The evaluation loop: a data set through a model session in batches, with a progress line, a time budget and
 * the throughput measured on the way. The session comes from the runner (`openSession`); this module never
 * touches onnxruntime itself.
 */
import type { EngineSession, SessionOptions, TensorOutput, TypedArray, ValueSignature } from '../bench/types.js'
import { checkOptionKeys } from '../_options.js'
import { ModelgateError } from '../errors.js'
import { toModelHandle, type ModelHandle, type ModelRef } from '../model/index.js'
import { loadDataset, resolveDatasetSpec, type LoadedDataset } from './dataset.js'
import { ClassificationAccumulator } from './metrics-classification.js'
import { detectionMetrics, type BoxAnnotation, type BoxDetection } from './metrics-detection.js'
import { SegmentationAccumulator } from './metrics-segmentation.js'
import { readClassOutput, readDetections, readLabelMap, type OutputContext } from './outputs.js'
import { openProgress } from './progress.js'
import { detectionSource, imageFolderSource, maskAtOutput, segmentationSource, tensorSource, type SampleContext, type SampleSource } from './sources.js'
import { PREPROCESS_OPTION_KEYS } from './preprocess.js'
import { DETECTION_OUTPUT_OPTION_KEYS, EVALUATE_OPTION_KEYS, type DatasetSpec, type EvaluateOptions, type EvaluationBase, type EvaluationResult } from './types.js'

/** Opens an engine session for a model (the runner's `openSession`, or a stand-in in tests). */
export type SessionOpener = (model: ModelHandle, options: SessionOptions) => Promise<EngineSession>

const ARRAYS: Readonly<Record<string, new (n: number) => TypedArray>> = {
  float32: Float32Array, float64: Float64Array, uint8: Uint8Array, int8: Int8Array, int16: Int16Array, uint16: Uint16Array,
  int32: Int32Array, uint32: Uint32Array, int64: BigInt64Array, uint64: BigUint64Array, bool: Uint8Array,
}

/** Sample order: round-robin over the classes, so a limit or a time budget sees every class. */
function interleaved(source: SampleSource): number[] {
  const seen = new Map<number, number>()
  const keys = Array.from({ length: source.size }, (_, i) => {
    const label = source.labelOf(i) ?? 0
    const rank = seen.get(label) ?? 0
    seen.set(label, rank + 1)
    return { i, rank, label }
  })
  return keys.sort((a, b) => a.rank - b.rank || a.label - b.label || a.i - b.i).map((k) => k.i)
}

async function makeSource(data: LoadedDataset, input: ValueSignature, options: EvaluateOptions): Promise<SampleSource> {
  const imageOptions = { ...(options.decoder === undefined ? {} : { decoder: options.decoder }), ...(options.preprocess === undefined ? {} : { preprocess: options.preprocess }) }
  if (data.kind === 'image-folder') return imageFolderSource(data.index, input, imageOptions)
  if (data.kind === 'tensors') return tensorSource(data.set, input)
  if (data.kind === 'detection') return detectionSource(data.set, input, imageOptions)
  return segmentationSource(data.set, input, imageOptions)
}

function pickSignature(list: readonly ValueSignature[], wanted: string | undefined, what: string, model: ModelHandle): ValueSignature {
  const found = wanted === undefined ? list[0] : list.find((s) => s.name === wanted)
  if (found === undefined) {
    const code = what === 'input' ? 'E_RUN_INPUT' : 'E_MODEL_OUTPUT'
    throw new ModelgateError(code, `The model ${JSON.stringify(model.name)} has no ${what} ${JSON.stringify(wanted ?? '(any)')} (its ${what}s: ${list.map((s) => s.name).join(', ') || 'none'}).`, { file: model.path, value: wanted })
  }
  return found
}

function batchSizeOf(input: ValueSignature, options: EvaluateOptions, model: ModelHandle): { size: number; fixed: boolean } {
  const first = input.dims[0]
  if (typeof first === 'number') {
    if (options.batchSize !== undefined && options.batchSize !== first) {
      throw new ModelgateError('E_RUN_INPUT', `The model ${JSON.stringify(model.name)} fixes its batch dim to ${first}; batchSize ${options.batchSize} cannot be fed.`, { file: model.path, value: options.batchSize })
    }
    return { size: Math.max(1, first), fixed: true }
  }
  const size = options.batchSize ?? 32
  if (!Number.isSafeInteger(size) || size < 1) throw new ModelgateError('E_RUN_INPUT', `batchSize must be a positive integer, got ${String(size)}.`, { value: size })
  return { size, fixed: false }
}

function classNames(data: LoadedDataset, fallback: number): string[] {
  const named = data.kind === 'image-folder' ? data.index.classes : data.kind === 'tensors' ? data.set.classes : data.set.classes
  return named !== undefined ? [...named] : Array.from({ length: fallback }, (_, i) => String(i))
}

/** Values per sample an output declares (product of its non-batch dims), when they are all static. */
function declaredPerSample(output: ValueSignature): number | undefined {
  // no dims: an output without a declared shape (known only at run time)
  if (output.dims.length === 0) return undefined
  const rest = output.dims.slice(1)
  return rest.every((d): d is number => typeof d === 'number') ? rest.reduce((n, d) => n * d, 1) : undefined
}

/** Fails before any image is decoded when a classifier's output cannot fit the data set's classes. */
function checkClassOutput(output: ValueSignature, classes: number, handle: ModelHandle): void {
  const per = declaredPerSample(output)
  if (per === undefined || per === classes || (per === 1 && /int/.test(output.dtype))) return
  throw new ModelgateError(
    'E_MODEL_OUTPUT',
    `The output ${JSON.stringify(output.name)} of ${JSON.stringify(handle.name)} has dims [${output.dims.join(', ')}]: ${per} score(s) per sample, but the data set has ${classes} classes ([N, ${classes}] expected).`,
    { file: handle.path, value: output.dims },
  )
}

/**
 * Evaluates a model on a data set with a given session opener.
 * @param open opens the engine session (the runner's `openSession`)
 * @param model the model
 * @param dataset a spec or a path
 * @param options see {@link EvaluateOptions}
 */
export async function evaluateWith(open: SessionOpener, model: ModelRef, dataset: DatasetSpec | string, options: EvaluateOptions = {}): Promise<EvaluationResult> {
  const started = performance.now()
  checkOptionKeys(options, EVALUATE_OPTION_KEYS, 'evaluateModel()')
  checkOptionKeys(options.preprocess, PREPROCESS_OPTION_KEYS, 'evaluateModel() options.preprocess')
  checkOptionKeys(options.detection, DETECTION_OUTPUT_OPTION_KEYS, 'evaluateModel() options.detection')
  const handle = toModelHandle(model)
  const spec = resolveDatasetSpec(dataset)
  const data = loadDataset(spec, options.input)
  const engine = { ...(options.threads === undefined ? {} : { threads: options.threads }), ...(options.interOpThreads === undefined ? {} : { interOpThreads: options.interOpThreads }), ...(options.graphOptimizationLevel === undefined ? {} : { graphOptimizationLevel: options.graphOptimizationLevel }) }
  const session = await open(handle, engine)
  try {
    const input = pickSignature(session.inputs, options.input, 'input', handle)
    const output = pickSignature(session.outputs, options.output, 'output', handle)
    const source = await makeSource(data, input, options)
    const ctx: OutputContext = { model: handle.name, file: handle.path }
    const task = data.kind === 'detection' ? 'detection' : data.kind === 'segmentation' ? 'segmentation' : 'classification'
    let classes = classNames(data, task === 'classification' ? (declaredPerSample(output) ?? 0) : 0)
    if (task === 'classification') {
      if (classes.length === 0) throw new ModelgateError('E_MODEL_OUTPUT', `The number of classes is unknown: the output ${JSON.stringify(output.name)} [${output.dims.join(', ')}] has symbolic dims and the data set has no classes.json.`, { file: handle.path, value: output.dims })
      checkClassOutput(output, classes.length, handle)
      checkLabels(data, source, classes.length)
    }
    const { size: batch, fixed } = batchSizeOf(input, options, handle)
    const order = task === 'classification' ? interleaved(source) : Array.from({ length: source.size }, (_, i) => i)
    const limit = Math.min(order.length, options.limit ?? Infinity)
    const Buffer = ARRAYS[input.dtype]
    if (Buffer === undefined) throw new ModelgateError('E_RUN_INPUT', `The model input ${JSON.stringify(input.name)} is ${input.dtype}, which cannot be fed from a data set.`, { file: handle.path, value: input.dtype })
    const sampleSize = source.sampleDims.reduce((n, d) => n * d, 1)
    const buffer = new Buffer(batch * sampleSize)
    const progress = openProgress(options.progress, handle.name)
    const cls = new ClassificationAccumulator(classes.length, options.topK ?? [1, 5])
    let seg: SegmentationAccumulator | undefined
    const gts: (readonly BoxAnnotation[])[] = []
    const dets: BoxDetection[][] = []
    let evaluated = 0
    let batches = 0
    let inferenceMs = 0
    let stoppedBy: EvaluationBase['stoppedBy']
    for (let start = 0; start < limit; start += batch) {
      if (batches > 0 && options.timeBudgetMs !== undefined && performance.now() - started >= options.timeBudgetMs) {
        stoppedBy = 'time-budget'
        break
      }
      const count = Math.min(batch, limit - start)
      const contexts: SampleContext[] = await Promise.all(order.slice(start, start + count).map((i, k) => source.load(i, buffer, k * sampleSize)))
      for (let k = count; fixed && k < batch; k++) buffer.copyWithin(k * sampleSize, (count - 1) * sampleSize, count * sampleSize)
      const fed = fixed ? batch : count
      const t0 = performance.now()
      const outputs = await session.run({ [input.name]: { data: fed === batch ? buffer : buffer.subarray(0, fed * sampleSize), dims: [fed, ...source.sampleDims] } })
      inferenceMs += performance.now() - t0
      const out = outputs[output.name] ?? Object.values(outputs)[0]
      if (out === undefined) throw new ModelgateError('E_MODEL_OUTPUT', `The model ${JSON.stringify(handle.name)} returned no output ${JSON.stringify(output.name)}.`, { file: handle.path, value: output.name })
      if (task === 'classification') scoreClasses(out, output.name, contexts, fed, cls, classes.length, ctx)
      else if (task === 'detection') {
        contexts.forEach((c, k) => {
          if (c.kind !== 'boxes') return
          gts.push(c.objects)
          const p = source.preprocessing!
          dets.push(readDetections(outputs, k, fed, [p.width, p.height], c.transform, options.detection ?? {}, ctx))
        })
      } else {
        for (const [k, c] of contexts.entries()) {
          if (c.kind !== 'mask') continue
          const map = readLabelMap(out, output.name, k, fed, data.kind === 'segmentation' && data.set.classes !== undefined ? classes.length : undefined, ctx)
          if (seg === undefined) {
            if (classes.length === 0) classes = classNames(data, map.classes)
            seg = new SegmentationAccumulator(classes.length, options.ignoreIndex ?? 255)
          }
          const truth = maskAtOutput(c.mask, c.transform, source.preprocessing!, map.width, map.height, options.ignoreIndex ?? 255)
          const invalid = seg.add(map.labels, truth)
          if (invalid > 0) throw new ModelgateError('E_LABEL_RANGE', `The mask ${JSON.stringify(c.file)} holds ${invalid} pixel value(s) that are neither a class in [0, ${classes.length}) nor the ignore index ${options.ignoreIndex ?? 255}.`, { file: c.file, value: invalid })
        }
      }
      evaluated += count
      batches++
      progress.update(evaluated, limit, evaluated / (inferenceMs / 1000))
    }
    progress.done()
    if (stoppedBy === undefined && limit < order.length) stoppedBy = 'limit'
    const totalMs = performance.now() - started
    const base: EvaluationBase = {
      model: handle.name,
      dataset: { kind: data.kind, path: data.path, samples: source.size, classes },
      evaluated,
      complete: evaluated === source.size,
      ...(stoppedBy === undefined ? {} : { stoppedBy }),
      decoder: source.decoder,
      preprocessing: source.preprocessing,
      input: { name: input.name, dtype: input.dtype, dims: [batch, ...source.sampleDims] },
      output: output.name,
      batchSize: batch,
      threads: options.threads ?? 1,
      throughput: {
        samplesPerSec: inferenceMs > 0 ? evaluated / (inferenceMs / 1000) : 0,
        endToEndSamplesPerSec: totalMs > 0 ? evaluated / (totalMs / 1000) : 0,
        inferenceMs,
        totalMs,
        batches,
      },
    }
    if (task === 'classification') {
      const metrics = cls.result(classes)
      return { ...base, task, accuracy: metrics.top1, metrics }
    }
    if (task === 'detection') {
      const metrics = detectionMetrics(gts, dets, { classes: classes.length, names: classes, maxDetections: options.maxDetections ?? 100 })
      return { ...base, task, map: metrics.map, map50: metrics.map50, metrics }
    }
    const metrics = (seg ?? new SegmentationAccumulator(classes.length)).result(classes)
    return { ...base, task, miou: metrics.miou, pixelAccuracy: metrics.pixelAccuracy, metrics }
  } finally {
    await session.close()
  }
}

function checkLabels(data: LoadedDataset, source: SampleSource, classes: number): void {
  if (data.kind !== 'tensors') return
  for (let i = 0; i < source.size; i++) {
    const label = source.labelOf(i)!
    if (label >= classes) {
      throw new ModelgateError('E_LABEL_RANGE', `Label ${i} in ${JSON.stringify(data.set.labelsFile)} is ${label}, outside [0, ${classes}) (${classes} classes${data.set.classes === undefined ? ', from the model output' : ', from classes.json'}).`, { file: data.set.labelsFile, value: label })
    }
  }
}

function scoreClasses(out: TensorOutput, name: string, contexts: readonly SampleContext[], fed: number, acc: ClassificationAccumulator, classes: number, ctx: OutputContext): void {
  const read = readClassOutput(out, name, fed, classes, ctx)
  contexts.forEach((c, k) => {
    if (c.kind !== 'label') return
    if (read.kind === 'scores') acc.add(read.data, c.label, k * classes)
    else acc.addPrediction(read.data[k]!, c.label)
  })
}
