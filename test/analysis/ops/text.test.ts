import { describe, expect, it } from 'vitest'
import type { InferredType, TensorType } from '../../../src/analysis/types.js'
import { runOp, t, type AttrInput } from './_run-op.js'

function outs(op: string, inputs: readonly (InferredType | undefined)[], attrs: Record<string, AttrInput> = {}, opts: { opset?: number; domain?: string; outputs?: number } = {}): TensorType[] {
  return runOp(op, inputs, attrs, { opset: 20, ...opts }).outputs.map((o) => {
    if (o?.kind !== 'tensor') throw new Error('expected a tensor')
    return o
  })
}

const str = (dims: number[], strings?: string[]): TensorType =>
  strings === undefined ? t(dims, 'string') : { kind: 'tensor', dtype: 'string', dims, strings }

describe('string ops', () => {
  it('concatenates with broadcasting', () => {
    const [y] = outs('StringConcat', [str([3], ['cat', 'dog', 'snake']), str([1], ['s'])])
    expect(y!.dims).toEqual([3])
    expect(y!.strings).toEqual(['cats', 'dogs', 'snakes'])
  })

  it('drops stop words and leaves one empty string when all are dropped', () => {
    const attrs = { stopwords: ['monday'], case_change_action: 'UPPER' }
    expect(outs('StringNormalizer', [str([4], ['monday', 'tuesday', 'Monday', 'x'])], attrs, { opset: 10 })[0]!.strings).toEqual(['TUESDAY', 'X'])
    expect(outs('StringNormalizer', [str([1, 2], ['monday', 'monday'])], attrs, { opset: 10 })[0]!.dims).toEqual([1, 1])
  })

  it('gives a fresh size when stop words meet unknown strings', () => {
    expect(typeof outs('StringNormalizer', [str([4])], { stopwords: ['a'] }, { opset: 10 })[0]!.dims?.[0]).toBe('string')
    expect(outs('StringNormalizer', [str([4])], {}, { opset: 10 })[0]!.dims).toEqual([4])
  })

  it('splits on a delimiter, padding to the longest split', () => {
    const [y, n] = outs('StringSplit', [str([2], ['o-n-n--x-', 'a'])], { delimiter: '-' }, { outputs: 2 })
    expect(y!.dims).toEqual([2, 6])
    expect(n!.value).toEqual([6, 1])
  })

  it('splits on whitespace runs with maxsplit', () => {
    const [y, n] = outs('StringSplit', [str([2, 2], ['hello world', 'def.net', 'o n n x', 'the quick brown fox'])], { maxsplit: 2 }, { outputs: 2 })
    expect(y!.dims).toEqual([2, 2, 3])
    expect(n!.value).toEqual([2, 1, 3, 3])
    expect(y!.strings?.slice(6, 9)).toEqual(['o', 'n', 'n x'])
  })

  it('splits an empty tensor into [0, 0] and unknown strings into a fresh width', () => {
    expect(outs('StringSplit', [str([0])], {}, { outputs: 2 })[0]!.dims).toEqual([0, 0])
    expect(typeof outs('StringSplit', [str([3])], {}, { outputs: 2 })[0]!.dims?.[1]).toBe('string')
  })

  it('matches a regex in full', () => {
    const [y] = outs('RegexFullMatch', [str([3], ['www.google.com', 'www.bbc.co.uk', 'x'])], { pattern: 'www\\.[\\w.-]+\\.com' })
    expect(y).toEqual({ kind: 'tensor', dtype: 'bool', dims: [3], value: [1, 0, 0] })
  })
})

describe('TfIdfVectorizer', () => {
  const attrs = { max_gram_length: 2, max_skip_count: 0, min_gram_length: 2, ngram_counts: [0, 4], ngram_indexes: [0, 1, 2, 3, 4, 5, 6], pool_int64s: [2, 3, 5, 4, 5, 6, 7, 8, 6, 7], mode: 'TF' }

  it('gives max(ngram_indexes) + 1 columns per row', () => {
    expect(outs('TfIdfVectorizer', [t([12], 'int32')], attrs, { opset: 9 })[0]!.dims).toEqual([7])
    expect(outs('TfIdfVectorizer', [t(['N', 6], 'int32')], attrs, { opset: 9 })[0]!.dims).toEqual(['N', 7])
  })

  it('counts one weight multiply per output in TFIDF mode only', () => {
    expect(runOp('TfIdfVectorizer', [t(['N', 6], 'int32')], attrs, { opset: 9 }).cost.flops).toBe(0)
    // N rows × 7 weighted counts
    expect(runOp('TfIdfVectorizer', [t(['N', 6], 'int32')], { ...attrs, mode: 'TFIDF' }, { opset: 9 }).cost.flops).toBe('7*N')
  })
})

describe('ai.onnx.ml ops', () => {
  const ml = { domain: 'ai.onnx.ml', opset: 1 }

  it('extracts features along the last axis ([1, k] for a 1-D input)', () => {
    expect(outs('ArrayFeatureExtractor', [t([3, 4]), t([2], 'int64')], {}, ml)[0]!.dims).toEqual([3, 2])
    expect(outs('ArrayFeatureExtractor', [t([4]), t([2], 'int64')], {}, ml)[0]!.dims).toEqual([1, 2])
  })

  it('binarizes at one comparison per element', () => {
    expect(runOp('Binarizer', [t(['N', 5])], {}, ml).cost).toEqual({ macs: 0, flops: '5*N' })
  })

  it('takes the LabelEncoder output type from the values attribute', () => {
    expect(outs('LabelEncoder', [str([5])], { keys_strings: ['a'], values_int64s: [1] }, { domain: 'ai.onnx.ml', opset: 4 })[0]!.dtype).toBe('int64')
    expect(outs('LabelEncoder', [t([5], 'int64')], {}, ml)[0]!.dtype).toBe('string')
  })

  it('counts a TreeEnsemble as comparisons along the deepest path plus one accumulation per tree', () => {
    // root → interior node → leaves: depth 2; 3 rows × (2 + 1) = 9
    const attrs: Record<string, AttrInput> = {
      n_targets: 2, tree_roots: [0], nodes_truenodeids: [1, 0], nodes_falsenodeids: [0, 1], nodes_trueleafs: [0, 1],
      nodes_falseleafs: [1, 1], nodes_featureids: [0, 1], leaf_targetids: [0, 1, 0], leaf_weights: [1, 2, 3],
    }
    const r = runOp('TreeEnsemble', [t([3, 2])], attrs, { domain: 'ai.onnx.ml', opset: 5 })
    expect(r.outputs[0]).toEqual({ kind: 'tensor', dtype: 'float32', dims: [3, 2] })
    expect(r.cost).toEqual({ macs: 0, flops: 9 })
  })

  it('reads the deprecated tree ensembles', () => {
    // one split over two leaves: depth 1; N rows × (1 + 1)
    const nodes: Record<string, AttrInput> = {
      nodes_treeids: [0, 0, 0], nodes_nodeids: [0, 1, 2], nodes_modes: ['BRANCH_LEQ', 'LEAF', 'LEAF'], nodes_truenodeids: [1, 0, 0], nodes_falsenodeids: [2, 0, 0],
    }
    const reg = runOp('TreeEnsembleRegressor', [t(['N', 4])], { ...nodes, n_targets: 1 }, ml)
    expect(reg.outputs[0]).toEqual({ kind: 'tensor', dtype: 'float32', dims: ['N', 1] })
    expect(reg.cost.flops).toBe('2*N')
    const cls = outs('TreeEnsembleClassifier', [t([5, 4])], { ...nodes, classlabels_strings: ['a', 'b', 'c'] }, { ...ml, outputs: 2 })
    expect(cls.map((o) => [o.dtype, o.dims])).toEqual([['string', [5]], ['float32', [5, 3]]])
  })
})
