/**
 * Runs modelgate's shape inference over the ONNX backend test models packed in data/onnx-conformance.tar.gz (see
 * data/README.md) and compares every tensor with the dims onnxruntime produced (observed-shapes.json), or, for
 * the tests onnxruntime did not run, the graph outputs with the expected outputs (summary.json).
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { isModelgateError } from '../../src/errors.js'
import { inferModel } from '../../src/analysis/infer.js'
import { MAX_VALUE_ELEMENTS } from '../../src/analysis/types.js'
import { decodeTensorProto } from '../../src/onnx/decode.js'
import { decodeElements } from '../../src/onnx/tensor-data.js'
import { readOnnxModel } from '../../src/onnx/load.js'
import { readTarGz } from './tar.js'

/** The in-repository archive of the conformance data (written by pack-data.ts). */
export const CONFORMANCE_ARCHIVE = resolve(import.meta.dirname, 'data/onnx-conformance.tar.gz')

interface Summary {
  readonly opTypes: readonly string[]
  readonly inputDims?: Readonly<Record<string, readonly number[] | null>>
  readonly ortRuns?: boolean
  readonly expectedOutputDims?: Readonly<Record<string, readonly number[] | string | null>>
  readonly declaredOutputDims?: Readonly<Record<string, readonly (number | null)[] | null>>
}

/** One tensor whose dims differ from the reference. */
export interface Mismatch {
  readonly test: string
  readonly tensor: string
  /** Op type of the node that produced it ('input' for graph inputs). */
  readonly producer: string
  readonly expected: readonly number[] | string
  readonly actual: readonly (number | string)[] | undefined
}

/** The outcome of one test dir. */
export interface TestOutcome {
  readonly test: string
  readonly kind: 'observed' | 'expected-outputs'
  readonly compared: number
  readonly matched: number
  readonly mismatches: readonly Mismatch[]
  /** A documented ModelgateError code, when the analyzer refused the model. */
  readonly errorCode?: string
  readonly errorMessage?: string
  /** Anything else thrown (a defect). */
  readonly crash?: string
  readonly unknownOps: readonly string[]
}

/** The reference files and every file of the test dirs, by path inside the data folder. */
export interface ConformanceData {
  readonly summary: Record<string, Summary>
  readonly observed: Record<string, Record<string, number[]>>
  /** e.g. 'node/test_abs/model.onnx', 'node/test_abs/test_data_set_0/input_0.pb'. */
  readonly files: ReadonlyMap<string, Uint8Array>
}

function conformanceFromFiles(files: ReadonlyMap<string, Uint8Array>): ConformanceData {
  const json = (path: string): unknown => {
    const bytes = files.get(path)
    if (bytes === undefined) throw new Error(`The conformance data has no ${path}.`)
    return JSON.parse(new TextDecoder().decode(bytes))
  }
  return {
    summary: json('summary.json') as Record<string, Summary>,
    observed: json('observed-shapes.json') as Record<string, Record<string, number[]>>,
    files,
  }
}

/** Loads the in-repository archive, into memory (nothing is unpacked to disk). */
export function loadConformance(): ConformanceData {
  return conformanceFromFiles(readTarGz(readFileSync(CONFORMANCE_ARCHIVE)))
}

/**
 * The value an `input_N.pb` gives inference through `inputValues`, or undefined when it gives none (more than
 * MAX_VALUE_ELEMENTS elements, a payload that is not inline, a SequenceProto/OptionalProto onnx-proto 8 cannot
 * read). pack-data.ts keeps exactly the inputs for which this is defined.
 */
export function inputValueOf(bytes: Uint8Array): readonly number[] | readonly string[] | undefined {
  try {
    const t = decodeTensorProto(bytes)
    const count = t.dims.reduce((a, b) => a * b, 1)
    if (count > MAX_VALUE_ELEMENTS) return undefined
    if (t.payload.kind === 'strings') return t.payload.values
    if (t.payload.kind !== 'inline') return undefined
    return decodeElements(t.payload.bytes, t.payload.encoding, t.dtype, count)
  } catch {
    return undefined
  }
}

function readInputValues(data: ConformanceData, test: string, names: readonly string[]): Record<string, readonly number[] | readonly string[]> {
  const values: Record<string, readonly number[] | readonly string[]> = {}
  names.forEach((name, i) => {
    const bytes = data.files.get(`${test}/test_data_set_0/input_${i}.pb`)
    const v = bytes === undefined ? undefined : inputValueOf(bytes)
    if (v !== undefined) values[name] = v
  })
  return values
}

/** Runs one test dir. */
export function runConformanceTest(data: ConformanceData, test: string): TestOutcome {
  const summary = data.summary[test]
  if (summary === undefined) throw new Error(`${test} is not in summary.json.`)
  const observed = data.observed[test]
  const kind = observed ? 'observed' : 'expected-outputs'
  const reference: Record<string, readonly number[] | string> = {}
  if (observed) Object.assign(reference, observed)
  else for (const [k, v] of Object.entries(summary.expectedOutputDims ?? {})) if (v) reference[k] = v
  const referenceCount = Object.keys(reference).length
  let loaded
  try {
    const bytes = data.files.get(`${test}/model.onnx`)
    if (bytes === undefined) throw new Error(`The conformance data has no ${test}/model.onnx.`)
    loaded = readOnnxModel(bytes)
  } catch (error) {
    return failure(test, kind, referenceCount, error)
  }
  try {
    const graph = loaded.model.graph
    const initNames = new Set(graph.initializers.map((t) => t.name))
    const inputNames = graph.inputs.map((v) => v.name).filter((n) => !initNames.has(n))
    const shapes: Record<string, number[]> = {}
    for (const v of graph.inputs) {
      const dims = summary.inputDims?.[v.name]
      if (dims && v.type?.kind === 'tensor' && !initNames.has(v.name)) shapes[v.name] = [...dims]
    }
    const result = inferModel(loaded.model, loaded.readPayload, { shapes, inputValues: readInputValues(data, test, inputNames) })
    const producer = new Map<string, string>()
    // outputs of nodes no rule inferred carry the model's declared types: they prove nothing, so they never match
    const uninferred = new Set<string>()
    const { executed } = result
    for (let k = 0; k < executed.at.length; k++) {
      const node = loaded.model.graph.nodes[executed.at[k]!]!
      for (const o of node.outputs) {
        producer.set(o, node.opType)
        if (executed.costs[k] === undefined) uninferred.add(o)
      }
    }
    const mismatches: Mismatch[] = []
    let compared = 0
    for (const [name, expected] of Object.entries(reference)) {
      const got = uninferred.has(name) ? undefined : result.tensors.get(name)
      const actual = got?.kind === 'tensor' ? got.dims : undefined
      compared++
      // a non-tensor output is given as "<sequence>" / "<optional>" / "<map>"
      if (typeof expected === 'string') {
        if (got === undefined || `<${got.kind}>` !== expected) mismatches.push({ test, tensor: name, producer: producer.get(name) ?? 'input', expected, actual: got === undefined ? undefined : [`<${got.kind}>`] })
        continue
      }
      if (actual === undefined || actual.length !== expected.length || actual.some((d, i) => d !== expected[i])) {
        mismatches.push({ test, tensor: name, producer: producer.get(name) ?? 'input', expected, actual })
      }
    }
    return { test, kind, compared, matched: compared - mismatches.length, mismatches, unknownOps: [...result.unknownOps.keys()] }
  } catch (error) {
    return failure(test, kind, referenceCount, error)
  } finally {
    loaded.close()
  }
}

function failure(test: string, kind: TestOutcome['kind'], compared: number, error: unknown): TestOutcome {
  if (isModelgateError(error)) {
    return { test, kind, compared, matched: 0, mismatches: [], errorCode: error.code, errorMessage: error.message, unknownOps: [] }
  }
  return { test, kind, compared, matched: 0, mismatches: [], crash: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error), unknownOps: [] }
}

/** Every test dir name, in order. */
export function conformanceTests(data: ConformanceData): string[] {
  return Object.keys(data.summary).sort()
}
