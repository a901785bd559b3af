/**
 * Einsum: the equation is parsed (explicit `->` output or numpy's implicit one, `...` broadcasting), the output dims
 * follow, and the cost is that of contracting the operands pairwise, left to right.
 */
import { dimAdd, dimMul, dimProduct, isStaticDim, type Dim } from '../dims.js'
import type { OpContext, OpRule, OpRuleTable } from '../types.js'
import { broadcastDims, outputElements, tensorOf } from './_helpers.js'
import { countDiff, inputDims } from './_compute-utils.js'

/** One operand's subscripts: letters, with `null` standing for the ellipsis. */
type Term = readonly (string | null)[]

interface Parsed {
  readonly inputs: readonly Term[]
  /** undefined for the implicit output */
  readonly output: Term | undefined
}

function parseTerm(ctx: OpContext, text: string): Term {
  const out: (string | null)[] = []
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c === '.') {
      if (text.slice(i, i + 3) !== '...' || out.includes(null)) ctx.fail(`bad ellipsis in einsum term "${text}"`, text)
      out.push(null)
      i += 2
    } else if (/[A-Za-z]/.test(c)) {
      out.push(c)
    } else {
      ctx.fail(`bad character "${c}" in einsum term "${text}"`, text)
    }
  }
  return out
}

function parseEquation(ctx: OpContext, equation: string): Parsed {
  const eq = equation.replace(/\s+/g, '')
  const [lhs, rhs, extra] = eq.split('->')
  if (lhs === undefined || extra !== undefined) ctx.fail(`bad einsum equation "${equation}"`, equation)
  return { inputs: lhs.split(',').map((t) => parseTerm(ctx, t)), output: rhs === undefined ? undefined : parseTerm(ctx, rhs) }
}

/** Labels of a term with the ellipsis expanded into positional labels `…0`, `…1`, … (right-aligned). */
interface Labelled {
  readonly labels: readonly string[]
  readonly dims: readonly Dim[]
}

interface Analysis {
  readonly operands: readonly Labelled[]
  readonly outLabels: readonly string[]
  readonly sizes: ReadonlyMap<string, Dim>
}

function analyse(ctx: OpContext): Analysis {
  const parsed = parseEquation(ctx, ctx.attrString('equation'))
  const n = ctx.node.inputs.length
  if (parsed.inputs.length !== n) ctx.fail(`the equation has ${parsed.inputs.length} operands but the node ${n} inputs`, parsed)
  const shapes = parsed.inputs.map((_, i) => inputDims(ctx, i, `input ${i}`))
  // the ellipsis dims of every operand, broadcast together
  const ellipsisParts: Dim[][] = []
  parsed.inputs.forEach((term, i) => {
    const named = term.filter((l) => l !== null).length
    const dims = shapes[i]!
    if (term.includes(null)) {
      if (dims.length < named) ctx.fail(`input ${i} has rank ${dims.length}, fewer than its ${named} subscripts`, dims)
      ellipsisParts.push(dims.slice(term.indexOf(null), term.indexOf(null) + dims.length - named) as Dim[])
    } else if (dims.length !== named) {
      ctx.fail(`input ${i} has rank ${dims.length} but ${named} subscripts`, dims)
    }
  })
  const ellipsis = broadcastDims(ctx, ellipsisParts)
  const er = ellipsis.length
  const sizes = new Map<string, Dim>()
  ellipsis.forEach((d, j) => sizes.set(`…${j}`, d))
  const operands: Labelled[] = parsed.inputs.map((term, i) => {
    const dims = shapes[i]!
    const labels: string[] = []
    const k = dims.length - term.filter((l) => l !== null).length
    for (const l of term) {
      if (l === null) for (let j = 0; j < k; j++) labels.push(`…${er - k + j}`)
      else labels.push(l)
    }
    labels.forEach((l, j) => {
      if (l.startsWith('…')) return
      const d = dims[j]!
      const prev = sizes.get(l)
      if (prev === undefined || prev === 1) sizes.set(l, d)
      else if (d !== 1 && isStaticDim(prev) && isStaticDim(d) && prev !== d) ctx.fail(`subscript ${l} has sizes ${prev} and ${d}`, [prev, d])
    })
    return { labels, dims }
  })
  const ellipsisLabels = ellipsis.map((_, j) => `…${j}`)
  let outLabels: string[]
  if (parsed.output !== undefined) {
    outLabels = []
    for (const l of parsed.output) {
      if (l === null) outLabels.push(...ellipsisLabels)
      else if (!sizes.has(l)) ctx.fail(`output subscript ${l} is not in any input`, l)
      else outLabels.push(l)
    }
  } else {
    // numpy's implicit output: broadcast dims, then the letters used exactly once, in ASCII order
    const counts = new Map<string, number>()
    for (const term of parsed.inputs) for (const l of term) if (l !== null) counts.set(l, (counts.get(l) ?? 0) + 1)
    const once = [...counts].filter(([, c]) => c === 1).map(([l]) => l).sort()
    outLabels = [...ellipsisLabels, ...once]
  }
  return { operands, outLabels, sizes }
}

function sizeOf(a: Analysis, labels: Iterable<string>): Dim {
  return dimProduct([...labels].map((l) => a.sizes.get(l) ?? 1))
}

const Einsum: OpRule = {
  formula:
    'MACs = Σ over pairwise contractions (left to right) of ∏ sizes of the distinct subscripts of the pair; FLOPs = 2·MACs, or for one operand ∏ sizes of its distinct subscripts − out (the additions of its sums)',
  infer(ctx) {
    const a = analyse(ctx)
    return [tensorOf(ctx.tensor(0).dtype, a.outLabels.map((l) => a.sizes.get(l)!))]
  },
  cost(ctx, outputs) {
    const a = analyse(ctx)
    const [first, ...rest] = a.operands
    if (first === undefined) return { macs: 0, flops: 0 }
    if (rest.length === 0) return { macs: 0, flops: countDiff(sizeOf(a, new Set(first.labels)), outputElements(outputs)) }
    let current = new Set(first.labels)
    let macs: Dim = 0
    rest.forEach((op, j) => {
      const union = new Set([...current, ...op.labels])
      macs = dimAdd(macs, sizeOf(a, union))
      // keep the subscripts still needed by a later operand or by the output
      const needed = new Set([...a.outLabels, ...rest.slice(j + 1).flatMap((o) => o.labels)])
      current = new Set([...union].filter((l) => needed.has(l)))
    })
    return { macs, flops: dimMul(2, macs) }
  },
}

/** Einsum, merged into MATMUL_RULES. */
export const EINSUM_RULES: OpRuleTable = { Einsum }
