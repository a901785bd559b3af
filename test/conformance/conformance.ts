/**
 * Runs modelgate's shape inference over the ONNX backend test models in ../shared/onnx-conformance and compares
 * every tensor with the dims onnxruntime produced (observed-shapes.json), or, for the tests onnxruntime did not
 * run, the graph outputs with the expected outputs (summary.json).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { isModelgateError } from '../../src/errors.js'
import { inferModel } from '../../src/analysis/infer.js'
import { MAX_VALUE_ELEMENTS } from '../../src/analysis/types.js'
import { decodeTensorProto } from '../../src/onnx/decode.js'
import { decodeElements } from '../../src/onnx/tensor-data.js'
import { readOnnxModel } from '../../src/onnx/load.js'

/** Where the conformance data lives (a sibling of the repository, as in CI). */
export const CONFORMANCE_ROOT = resolve(import.meta.dirname, '../../../shared/onnx-conformance')

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

/** Loads the reference files. */
export function loadConformance(): { summary: Record<string, Summary>; observed: Record<string, Record<string, number[]>> } {
  return {
    summary: JSON.parse(readFileSync(join(CONFORMANCE_ROOT, 'summary.json'), 'utf8')) as Record<string, Summary>,
    observed: JSON.parse(readFileSync(join(CONFORMANCE_ROOT, 'observed-shapes.json'), 'utf8')) as Record<string, Record<string, number[]>>,
  }
}

function readInputValues(dir: string, names: readonly string[]): Record<string, readonly number[] | readonly string[]> {
  const values: Record<string, readonly number[] | readonly string[]> = {}
  names.forEach((name, i) => {
    const file = join(dir, 'test_data_set_0', `input_${i}.pb`)
    if (!existsSync(file)) return
    try {
      const t = decodeTensorProto(readFileSync(file))
      const count = t.dims.reduce((a, b) => a * b, 1)
      if (count > MAX_VALUE_ELEMENTS) return
      if (t.payload.kind === 'strings') {
        values[name] = t.payload.values
        return
      }
      if (t.payload.kind !== 'inline') return
      const v = decodeElements(t.payload.bytes, t.payload.encoding, t.dtype, count)
      if (v !== undefined) values[name] = v
    } catch {
      // SequenceProto / OptionalProto inputs: onnx-proto 8 cannot read them; the test runs without values
    }
  })
  return values
}

/** Runs one test dir. */
export function runConformanceTest(test: string, summary: Summary, observed: Record<string, number[]> | undefined): TestOutcome {
  const dir = join(CONFORMANCE_ROOT, test)
  const kind = observed ? 'observed' : 'expected-outputs'
  const reference: Record<string, readonly number[] | string> = {}
  if (observed) Object.assign(reference, observed)
  else for (const [k, v] of Object.entries(summary.expectedOutputDims ?? {})) if (v) reference[k] = v
  const referenceCount = Object.keys(reference).length
  let loaded
  try {
    loaded = readOnnxModel(join(dir, 'model.onnx'))
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
    const result = inferModel(loaded.model, loaded.readPayload, { shapes, inputValues: readInputValues(dir, inputNames) })
    const producer = new Map<string, string>()
    // outputs of nodes no rule inferred carry the model's declared types: they prove nothing, so they never match
    const uninferred = new Set<string>()
    for (const r of result.records) {
      for (const o of r.node.outputs) {
        producer.set(o, r.node.opType)
        if (r.cost === undefined) uninferred.add(o)
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
export function conformanceTests(): string[] {
  return Object.keys(loadConformance().summary).sort()
}

/** True when the shared data is present (it is, on every machine of this project). */
export function hasConformanceData(): boolean {
  return existsSync(CONFORMANCE_ROOT) && readdirSync(CONFORMANCE_ROOT).includes('summary.json')
}
