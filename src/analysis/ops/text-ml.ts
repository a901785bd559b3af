/**
 * ai.onnx.ml ops: ArrayFeatureExtractor, Binarizer, LabelEncoder, TreeEnsemble and the deprecated
 * TreeEnsembleClassifier/Regressor.
 */
import { dimMul, type Dim } from '../dims.js'
import type { OpContext, OpRule, OpRuleTable } from '../types.js'
import { dimsOf, numel, perElementCost, ZERO_COST } from './_helpers.js'

const ArrayFeatureExtractor: OpRule = {
  formula: 'data movement: 0 FLOPs',
  infer(ctx) {
    const x = ctx.tensor(0)
    const dims = dimsOf(ctx, x)
    const k: Dim = numel(ctx.tensor(1).dims) ?? ctx.freshDim('indices')
    if (dims.length === 0) ctx.fail('X must have rank ≥ 1')
    // onnxruntime returns [1, k] for a 1-D X (backwards compatibility)
    return [{ kind: 'tensor', dtype: x.dtype, dims: dims.length === 1 ? [1, k] : [...dims.slice(0, -1), k] }]
  },
  cost: () => ZERO_COST,
}

const Binarizer: OpRule = {
  formula: 'FLOPs = out (one comparison with the threshold per element)',
  infer(ctx) {
    const x = ctx.tensor(0)
    return [{ kind: 'tensor', dtype: x.dtype, dims: x.dims }]
  },
  cost: (_ctx, outputs) => perElementCost(outputs, 1),
}

const LabelEncoder: OpRule = {
  formula: 'table lookups: 0 FLOPs',
  infer(ctx) {
    const x = ctx.tensor(0)
    let dtype = x.dtype
    if (ctx.hasAttr('values_tensor')) dtype = ctx.attrTensor('values_tensor')?.dtype ?? dtype
    else if (ctx.hasAttr('values_strings')) dtype = 'string'
    else if (ctx.hasAttr('values_int64s')) dtype = 'int64'
    else if (ctx.hasAttr('values_floats')) dtype = 'float32'
    // LabelEncoder-1 maps strings to int64 and int64 to strings
    else if (ctx.opset < 2) dtype = x.dtype === 'string' ? 'int64' : 'string'
    return [{ kind: 'tensor', dtype, dims: x.dims }]
  },
  cost: () => ZERO_COST,
}

/** Longest root-to-leaf path (interior nodes) of a tree given child accessors; guards against cycles. */
function depthOf(node: number, children: (n: number) => readonly number[], seen: Set<number> = new Set()): number {
  if (seen.has(node)) return 0
  seen.add(node)
  const kids = children(node)
  let best = 0
  for (const k of kids) best = Math.max(best, depthOf(k, children, seen))
  seen.delete(node)
  return 1 + best
}

/** Σ over trees of (longest path + 1): comparisons along the path plus one accumulation of the leaf. */
function treeWork(ctx: OpContext): number {
  if (ctx.hasAttr('tree_roots')) {
    const roots = ctx.attrInts('tree_roots')
    const t = ctx.attrInts('nodes_truenodeids', [])
    const f = ctx.attrInts('nodes_falsenodeids', [])
    const tl = ctx.attrInts('nodes_trueleafs', [])
    const fl = ctx.attrInts('nodes_falseleafs', [])
    const kids = (n: number): number[] => [...(tl[n] === 0 ? [t[n]!] : []), ...(fl[n] === 0 ? [f[n]!] : [])].filter((k) => k !== undefined)
    return roots.reduce((s, r) => s + depthOf(r, kids) + 1, 0)
  }
  // deprecated form: nodes identified by (tree id, node id); LEAF nodes end a path
  const trees = ctx.attrInts('nodes_treeids', [])
  const ids = ctx.attrInts('nodes_nodeids', [])
  const modes = ctx.attrStrings('nodes_modes', [])
  const t = ctx.attrInts('nodes_truenodeids', [])
  const f = ctx.attrInts('nodes_falsenodeids', [])
  const index = new Map(trees.map((tree, i) => [`${tree}:${ids[i]}`, i]))
  const kids = (n: number): number[] => {
    if (modes[n] === 'LEAF') return []
    return [t[n], f[n]].map((c) => index.get(`${trees[n]}:${c}`)).filter((c): c is number => c !== undefined && modes[c] !== 'LEAF')
  }
  let total = 0
  for (const tree of new Set(trees)) {
    const root = index.get(`${tree}:0`) ?? trees.indexOf(tree)
    total += (modes[root] === 'LEAF' ? 0 : depthOf(root, kids)) + 1
  }
  return total
}

function batchOf(ctx: OpContext): Dim {
  const dims = dimsOf(ctx, ctx.tensor(0))
  return dims.length === 1 ? 1 : dims[0]!
}

const TREE_FORMULA =
  'FLOPs = N·Σ_trees (depth + 1): the comparisons along each tree\'s longest root-to-leaf path plus one accumulation of its leaf (post_transform not counted)'

const TreeEnsemble: OpRule = {
  formula: TREE_FORMULA,
  infer(ctx) {
    const x = ctx.tensor(0)
    return [{ kind: 'tensor', dtype: x.dtype, dims: [batchOf(ctx), ctx.attrInt('n_targets')] }]
  },
  cost: (ctx) => ({ macs: 0, flops: dimMul(batchOf(ctx), treeWork(ctx)) }),
}

const TreeEnsembleRegressor: OpRule = {
  formula: TREE_FORMULA,
  infer(ctx) {
    return [{ kind: 'tensor', dtype: 'float32', dims: [batchOf(ctx), ctx.attrInt('n_targets', 1)] }]
  },
  cost: (ctx) => ({ macs: 0, flops: dimMul(batchOf(ctx), treeWork(ctx)) }),
}

const TreeEnsembleClassifier: OpRule = {
  formula: TREE_FORMULA,
  infer(ctx) {
    const n = batchOf(ctx)
    const strings = ctx.hasAttr('classlabels_strings')
    const classes = strings ? ctx.attrStrings('classlabels_strings').length : ctx.attrInts('classlabels_int64s', []).length
    return [
      { kind: 'tensor', dtype: strings ? 'string' : 'int64', dims: [n] },
      { kind: 'tensor', dtype: 'float32', dims: [n, classes] },
    ]
  },
  cost: (ctx) => ({ macs: 0, flops: dimMul(batchOf(ctx), treeWork(ctx)) }),
}

/** The ai.onnx.ml ops of this family. */
export const TEXT_ML_RULES: OpRuleTable = {
  'ai.onnx.ml::ArrayFeatureExtractor': ArrayFeatureExtractor,
  'ai.onnx.ml::Binarizer': Binarizer,
  'ai.onnx.ml::LabelEncoder': LabelEncoder,
  'ai.onnx.ml::TreeEnsemble': TreeEnsemble,
  'ai.onnx.ml::TreeEnsembleRegressor': TreeEnsembleRegressor,
  'ai.onnx.ml::TreeEnsembleClassifier': TreeEnsembleClassifier,
}
