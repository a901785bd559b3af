/**
 * String ops (StringConcat, StringNormalizer, StringSplit, RegexFullMatch), TfIdfVectorizer, and the
 * ai.onnx.ml ops of `text-ml.ts`. String processing is not arithmetic: 0 FLOPs; sizes that depend on the
 * strings are computed when their contents are known, else they are fresh symbols.
 */
import { dimMul, type Dim } from '../dims.js'
import type { OpRule, OpRuleTable, TensorType } from '../types.js'
import { broadcastDims, dimsOf, outputElements, ZERO_COST } from './_helpers.js'
import { moveElements, result, staticDims, stridesOf } from './_tensor-utils.js'
import { TEXT_ML_RULES } from './text-ml.js'

const STRINGS = 'string processing: 0 FLOPs'

/** The known strings of a tensor; an empty tensor's are known to be none. */
function stringInput(t: TensorType): readonly string[] | undefined {
  if (t.strings !== undefined) return t.strings
  const sd = staticDims(t.dims)
  return sd !== undefined && sd.includes(0) ? [] : undefined
}

const StringConcat: OpRule = {
  formula: STRINGS,
  infer(ctx) {
    const a = ctx.tensor(0)
    const b = ctx.tensor(1)
    if (a.dims === undefined || b.dims === undefined) return [{ kind: 'tensor', dtype: 'string', dims: undefined }]
    const out = broadcastDims(ctx, [a.dims, b.dims])
    const sa = staticDims(a.dims)
    const sb = staticDims(b.dims)
    if (sa === undefined || sb === undefined || a.strings === undefined || b.strings === undefined) return [{ kind: 'tensor', dtype: 'string', dims: out }]
    // broadcast each side to the output, then join element-wise
    const spread = (dims: number[], s: readonly string[]): readonly string[] | undefined => {
      const st = stridesOf(dims)
      const off = out.length - dims.length
      return moveElements({ strings: s }, out, (idx) => dims.reduce((f, d, k) => f + (d === 1 ? 0 : idx[k + off]! * st[k]!), 0)).strings
    }
    const xa = spread(sa, a.strings)
    const xb = spread(sb, b.strings)
    return [result('string', out, xa && xb ? { strings: xa.map((s, i) => s + xb[i]!) } : {})]
  },
  cost: () => ZERO_COST,
}

const StringNormalizer: OpRule = {
  formula: STRINGS,
  infer(ctx) {
    const x = ctx.tensor(0)
    const dims = dimsOf(ctx, x)
    const twoD = dims.length === 2
    if (dims.length !== 1 && !(twoD && dims[0] === 1)) ctx.fail(`the input must be [C] or [1, C], not [${dims.join(', ')}]`)
    const stop = ctx.attrStrings('stopwords', [])
    const sensitive = ctx.attrInt('is_case_sensitive', 0) === 1
    const action = ctx.attrString('case_change_action', 'NONE')
    const shape = (c: Dim): Dim[] => (twoD ? [1, c] : [c])
    const s = stringInput(x)
    if (s === undefined) {
      return [{ kind: 'tensor', dtype: 'string', dims: stop.length === 0 ? dims : shape(ctx.freshDim('kept')) }]
    }
    const norm = (w: string): string => (sensitive ? w : w.toLowerCase())
    const stopSet = new Set(stop.map(norm))
    let kept = s.filter((w) => !stopSet.has(norm(w)))
    if (action === 'LOWER') kept = kept.map((w) => w.toLowerCase())
    if (action === 'UPPER') kept = kept.map((w) => w.toUpperCase())
    // all dropped: one empty string
    if (kept.length === 0) kept = ['']
    return [result('string', shape(kept.length), { strings: kept })]
  },
  cost: () => ZERO_COST,
}

/** Python's str.split semantics (what the spec describes): whitespace runs when the delimiter is empty. */
function splitString(s: string, delimiter: string, maxsplit: number | undefined): string[] {
  const out: string[] = []
  if (delimiter === '') {
    const ws = /\s/
    let i = 0
    for (;;) {
      while (i < s.length && ws.test(s[i]!)) i++
      if (i >= s.length) break
      if (maxsplit !== undefined && out.length === maxsplit) {
        out.push(s.slice(i))
        break
      }
      let j = i
      while (j < s.length && !ws.test(s[j]!)) j++
      out.push(s.slice(i, j))
      i = j
    }
    return out
  }
  const parts = s.split(delimiter)
  if (maxsplit === undefined || parts.length <= maxsplit + 1) return parts
  return [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(delimiter)]
}

const StringSplit: OpRule = {
  formula: STRINGS,
  infer(ctx) {
    const x = ctx.tensor(0)
    const dims = dimsOf(ctx, x)
    const delimiter = ctx.attrString('delimiter', '')
    const maxsplit = ctx.hasAttr('maxsplit') ? ctx.attrInt('maxsplit') : undefined
    const s = stringInput(x)
    if (s === undefined || staticDims(dims) === undefined) {
      return [{ kind: 'tensor', dtype: 'string', dims: [...dims, ctx.freshDim('substrings')] }, { kind: 'tensor', dtype: 'int64', dims }]
    }
    const parts = s.map((e) => splitString(e, delimiter, maxsplit))
    const width = Math.max(0, ...parts.map((p) => p.length))
    const strings = parts.flatMap((p) => [...p, ...new Array<string>(width - p.length).fill('')])
    return [result('string', [...dims, width], { strings }), result('int64', dims, { value: parts.map((p) => p.length) })]
  },
  cost: () => ZERO_COST,
}

/** RE2 patterns are mostly valid JS regexps; a pattern JS cannot compile leaves the values unknown. */
function fullMatcher(pattern: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u')
  } catch {
    return undefined
  }
}

const RegexFullMatch: OpRule = {
  formula: STRINGS,
  infer(ctx) {
    const x = ctx.tensor(0)
    const re = fullMatcher(ctx.attrString('pattern', ''))
    const s = stringInput(x)
    const value = re !== undefined && s !== undefined ? s.map((e) => (re.test(e) ? 1 : 0)) : undefined
    return [result('bool', x.dims, value === undefined ? {} : { value })]
  },
  cost: () => ZERO_COST,
}

const TfIdfVectorizer: OpRule = {
  formula: 'FLOPs = out in IDF/TFIDF modes (one weight multiply per output element), 0 in TF mode; n-gram matching is lookups',
  infer(ctx) {
    const x = ctx.tensor(0)
    const dims = dimsOf(ctx, x)
    const indexes = ctx.attrInts('ngram_indexes')
    const width = indexes.length === 0 ? 0 : Math.max(...indexes) + 1
    if (dims.length === 1) return [{ kind: 'tensor', dtype: 'float32', dims: [width] }]
    if (dims.length === 2) return [{ kind: 'tensor', dtype: 'float32', dims: [dims[0]!, width] }]
    return ctx.fail(`the input must be 1-D or 2-D, not of rank ${dims.length}`)
  },
  cost(ctx, outputs) {
    const mode = ctx.attrString('mode')
    return mode === 'TF' ? ZERO_COST : { macs: 0, flops: dimMul(outputElements(outputs), 1) }
  },
}

/** Strings, TfIdfVectorizer and the ai.onnx.ml ops (ArrayFeatureExtractor, Binarizer, LabelEncoder, tree ensembles). */
export const TEXT_RULES: OpRuleTable = {
  StringConcat, StringNormalizer, StringSplit, RegexFullMatch, TfIdfVectorizer, ...TEXT_ML_RULES,
}
