/**
 * Tied weights: the same weights stored twice, e.g. an exporter that writes a language model's embedding once for
 * `Gather` and once transposed for the output head. Finding them means reading the payloads (opt-in:
 * `dedupeWeights`): only learnable tensors that share a shape (or, 2-D, the transposed shape) with another are
 * read, one at a time, and compared by SHA-256 of their content (and of their transpose), so n candidates cost
 * n reads and n hashes, never n² comparisons.
 */
import { createHash } from 'node:crypto'
import { dataTypeBits } from '../onnx/dtypes.js'
import type { OnnxGraph, OnnxTensor, TensorPayload } from '../onnx/types.js'
import type { ClassifiedTensor } from './params.js'

/** Two stored tensors holding the same weights. */
export interface TiedPair {
  /** The tensor counted. */
  readonly kept: string
  /** The copy not counted again. */
  readonly merged: string
  /** `identical`: same dims and bytes; `transposed`: 2-D, `merged` is the transpose of `kept`. */
  readonly relation: 'identical' | 'transposed'
  /** True for the tied-embedding pattern: one is a `Gather` table, the other a `MatMul`/`Gemm` weight. */
  readonly embedding: boolean
  /** Elements of the merged copy. */
  readonly elements: number
}

/** What a tied-weight check found. */
export interface TiedWeights {
  /** True when the payloads were read and compared (`dedupeWeights`); false: nothing was read. */
  readonly checked: boolean
  /** Learnable tensors that share their shape (or, 2-D, the transposed shape) with another: what a check compares. */
  readonly candidates: number
  /** Candidates whose bytes could not be read (external data given as bytes without a folder): not compared. */
  readonly unread: number
  readonly pairs: readonly TiedPair[]
  /** Elements not counted again: Σ of the merged copies' elements. */
  readonly elements: number
}

/** No check made, no candidates. */
export const NO_TIED_WEIGHTS: TiedWeights = { checked: false, candidates: 0, unread: 0, pairs: [], elements: 0 }

/** Reads a payload's bytes (undefined when they cannot be read). */
export type PayloadReader = (payload: TensorPayload) => Uint8Array | undefined

/** How many of the latest groups {@link candidateGroups} compares a tensor with before building its key. */
const RECENT_GROUPS = 4

/** Groups of learnable tensors with the same dtype and the same dims, up to a transpose for 2-D tensors. */
function candidateGroups(classified: readonly ClassifiedTensor[]): ClassifiedTensor[][] {
  const groups = new Map<string, ClassifiedTensor[]>()
  // the latest few tensors' groups: a repeated block's weights come back in turn, and are grouped without a key
  const recent: { tensor: OnnxTensor; list: ClassifiedTensor[] }[] = []
  let next = 0
  for (const c of classified) {
    if (c.cls !== 'learnable' || c.tensor.payload.kind === 'none' || c.tensor.payload.kind === 'strings') continue
    let seen = -1
    for (let r = 0; r < recent.length && seen < 0; r++) if (sameGroup(recent[r]!.tensor, c.tensor)) seen = r
    if (seen >= 0) {
      recent[seen]!.list.push(c)
      continue
    }
    const d = c.tensor.dims
    // 2-D: the smaller dim first (a transpose shares the key), without copying and sorting the dims
    const key = d.length === 2 ? `${c.tensor.dtype}|2|${Math.min(d[0]!, d[1]!)},${Math.max(d[0]!, d[1]!)}` : `${c.tensor.dtype}|${d.length}|${d.join(',')}`
    let list = groups.get(key)
    if (list) list.push(c)
    else groups.set(key, (list = [c]))
    recent[next] = { tensor: c.tensor, list }
    next = (next + 1) % RECENT_GROUPS
  }
  return [...groups.values()].filter((g) => g.length > 1)
}

/** True when two tensors have the same dtype and the same dims (the same as candidateGroups' key, without it). */
function sameGroup(a: OnnxTensor, b: OnnxTensor): boolean {
  if (a.dtype !== b.dtype || a.dims.length !== b.dims.length) return false
  if (a.dims.length === 2) return Math.min(a.dims[0]!, a.dims[1]!) === Math.min(b.dims[0]!, b.dims[1]!) && Math.max(a.dims[0]!, a.dims[1]!) === Math.max(b.dims[0]!, b.dims[1]!)
  for (let i = 0; i < a.dims.length; i++) if (a.dims[i] !== b.dims[i]) return false
  return true
}

/** Fixed-width encodings, whose bytes are the elements in order (transposable); varint ones are compared as is. */
function layout(payload: TensorPayload): string {
  if (payload.kind === 'external' || payload.kind === 'file' || payload.kind === 'inline') {
    const encoding = payload.kind === 'external' ? 'raw' : payload.encoding
    return encoding === 'raw' || encoding === 'float_data' || encoding === 'double_data' ? 'fixed' : encoding
  }
  return payload.kind
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** The row-major transpose of an r×c matrix of `size`-byte elements (typed-array copies: one load/store each). */
function transpose(bytes: Uint8Array, rows: number, cols: number, size: number): Uint8Array {
  const out = new Uint8Array(bytes.length)
  // whole elements as 8/16/32-bit words (8-byte elements as two 32-bit words); copied first when unaligned
  const words = size === 8 ? 2 : 1
  const wordBytes = size === 8 ? 4 : size
  const source = bytes.byteOffset % wordBytes === 0 ? bytes : bytes.slice()
  const view = (b: Uint8Array): Uint8Array | Uint16Array | Uint32Array =>
    wordBytes === 4 ? new Uint32Array(b.buffer, b.byteOffset, b.length / 4) : wordBytes === 2 ? new Uint16Array(b.buffer, b.byteOffset, b.length / 2) : b
  const from = view(source)
  const to = view(out)
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const a = (i * cols + j) * words
      const b = (j * rows + i) * words
      for (let w = 0; w < words; w++) to[b + w] = from[a + w]!
    }
  }
  return out
}

function contentKey(tensor: OnnxTensor, dims: readonly number[], hash: string): string {
  return `${tensor.dtype}|${layout(tensor.payload)}|${dims.join(',')}|${hash}`
}

/**
 * Counts the learnable tensors a check would compare, without reading anything.
 * @param classified the model's stored tensors
 */
export function tiedCandidates(classified: readonly ClassifiedTensor[]): TiedWeights {
  return { ...NO_TIED_WEIGHTS, candidates: candidateGroups(classified).reduce((n, g) => n + g.length, 0) }
}

/**
 * Finds learnable tensors stored twice: identical content, or (2-D) one the transpose of the other.
 * @param classified the model's stored tensors, in graph order (the first of a pair is kept)
 * @param graph the main graph (to name the tied-embedding pattern)
 * @param read reads a payload's bytes
 */
export function findTiedWeights(classified: readonly ClassifiedTensor[], graph: OnnxGraph, read: PayloadReader): TiedWeights {
  const groups = candidateGroups(classified)
  const candidates = groups.reduce((n, g) => n + g.length, 0)
  const gatherTables = new Set<string>()
  const productWeights = new Set<string>()
  const transposeInputs = new Map<string, string>()
  for (const node of graph.nodes) {
    if (node.domain !== '' && node.domain !== 'ai.onnx') continue
    if (node.opType === 'Gather' && node.inputs[0]) gatherTables.add(node.inputs[0])
    if ((node.opType === 'MatMul' || node.opType === 'Gemm') && node.inputs[1]) productWeights.add(node.inputs[1])
    if (node.opType === 'Transpose' && node.inputs[0] && node.outputs[0]) transposeInputs.set(node.outputs[0], node.inputs[0])
  }
  // a head weight read through a Transpose node (MatMul(h, Transpose(copy)))
  for (const name of [...productWeights]) {
    const source = transposeInputs.get(name)
    if (source !== undefined) productWeights.add(source)
  }
  const isEmbeddingPair = (a: string, b: string): boolean =>
    (gatherTables.has(a) && productWeights.has(b)) || (gatherTables.has(b) && productWeights.has(a))

  // union-find over tensor names, so a weight stored three times is merged twice, never counted below once
  const parent = new Map<string, string>()
  const find = (name: string): string => {
    let root = name
    while (parent.get(root) !== undefined && parent.get(root) !== root) root = parent.get(root)!
    return root
  }
  const pairs: TiedPair[] = []
  const order = new Map(classified.map((c, i) => [c.tensor.name, i]))
  const tie = (a: ClassifiedTensor, b: ClassifiedTensor, relation: TiedPair['relation']): void => {
    const ra = find(a.tensor.name)
    const rb = find(b.tensor.name)
    if (ra === rb) return
    const [kept, merged] = (order.get(a.tensor.name) ?? 0) <= (order.get(b.tensor.name) ?? 0) ? [a, b] : [b, a]
    parent.set(merged === a ? ra : rb, merged === a ? rb : ra)
    pairs.push({ kept: kept.tensor.name, merged: merged.tensor.name, relation, embedding: isEmbeddingPair(kept.tensor.name, merged.tensor.name), elements: merged.elements })
  }

  let unread = 0
  for (const group of groups) {
    const shapes = new Set(group.map((c) => c.tensor.dims.join(',')))
    const byContent = new Map<string, ClassifiedTensor>()
    const transposedKeys: [ClassifiedTensor, string][] = []
    for (const c of group) {
      const bytes = read(c.tensor.payload)
      if (bytes === undefined) {
        unread++
        continue
      }
      const key = contentKey(c.tensor, c.tensor.dims, sha256(bytes))
      const same = byContent.get(key)
      if (same) tie(same, c, 'identical')
      else byContent.set(key, c)
      const [rows, cols] = c.tensor.dims
      const bits = dataTypeBits(c.tensor.dtype)
      // only when some tensor of the group has the transposed shape (a square one: itself included); of a non-square
      // pair r×c and c×r one transposed hash finds the match, so only the wide one (rows ≤ cols) is transposed
      if (c.tensor.dims.length === 2 && rows !== undefined && cols !== undefined && rows <= cols && shapes.has(`${cols},${rows}`) && bits >= 8 && bits % 8 === 0 && layout(c.tensor.payload) === 'fixed' && bytes.length === rows * cols * (bits / 8)) {
        transposedKeys.push([c, contentKey(c.tensor, [cols, rows], sha256(transpose(bytes, rows, cols, bits / 8)))])
      }
    }
    for (const [c, key] of transposedKeys) {
      const other = byContent.get(key)
      if (other !== undefined && other !== c) tie(other, c, 'transposed')
    }
  }
  return { checked: true, candidates, unread, pairs, elements: pairs.reduce((n, p) => n + p.elements, 0) }
}
