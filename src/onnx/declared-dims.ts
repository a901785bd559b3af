/**
 * Every dim a model declares must be ≥ 0 (ONNX: a dim_value is non-negative; 0 is an empty tensor). A negative
 * one taken at face value gives negative MACs and bytes, so a gate would compare nonsense: the loader refuses
 * the model instead, naming the tensor, the axis and the value. Checked once, after decoding, over the whole IR:
 * graph inputs, outputs and value_info (every level of subgraphs), initializers, sparse initializers, and the
 * tensors and types that node attributes and function bodies carry (Constant values among them).
 */
import { ModelgateError } from '../errors.js'
import { isScalarAttributeMap } from './fast-node.js'
import type { AttributeValue, OnnxGraph, OnnxModel, OnnxNode, OnnxSparseTensor, OnnxTensor, ValueType } from './types.js'

/** Where a dim was declared, for the message. */
interface Site {
  readonly label: string
  readonly file: string | undefined
  /** e.g. ` in subgraph "body" of node "loop"`; '' for the main graph */
  readonly scope: string
  readonly node?: string
}

/**
 * Throws when any declared dim of the model is negative.
 * @param label how messages name the model (its path, or 'the given bytes')
 * @throws ModelgateError E_ONNX_INVALID naming the tensor, the axis and the value
 */
export function assertDeclaredDims(model: OnnxModel, label: string, file?: string): void {
  checkGraph(model.graph, { label, file, scope: '' })
  for (const f of model.functions) {
    const site: Site = { label, file, scope: ` in function ${JSON.stringify(`${f.domain}::${f.name}`)}` }
    for (const node of f.nodes) checkNode(node, site)
    for (const [name, a] of f.attributeDefaults) checkAttribute(a, name, site)
  }
}

function checkGraph(g: OnnxGraph, site: Site): void {
  for (const v of g.inputs) checkType(v.type, `graph input ${JSON.stringify(v.name)}`, site)
  for (const v of g.outputs) checkType(v.type, `graph output ${JSON.stringify(v.name)}`, site)
  for (const v of g.valueInfo) checkType(v.type, `value_info ${JSON.stringify(v.name)}`, site)
  // described only when one fails: a description built for each of 15,000 initializers was 1.2 MB of garbage
  for (const t of g.initializers) if (!dimsValid(t.dims)) checkTensor(t, `initializer ${JSON.stringify(t.name)}`, site)
  for (const s of g.sparseInitializers) checkSparse(s, `sparse initializer ${JSON.stringify(s.name)}`, site)
  for (let i = 0; i < g.nodes.length; i++) checkNode(g.nodes[i]!, site)
}

/** Attribute types that hold no dims (most nodes have only these: nothing to check, nothing to build). */
const PLAIN_ATTRIBUTES: ReadonlySet<AttributeValue['type']> = new Set(['float', 'int', 'string', 'floats', 'ints', 'strings', 'ref'])

function checkNode(node: OnnxNode, outer: Site): void {
  const attributes = node.attributes
  if (attributes.size === 0 || isScalarAttributeMap(attributes)) return
  let plain = true
  for (const a of attributes.values()) if (!PLAIN_ATTRIBUTES.has(a.type)) plain = false
  if (plain) return
  const name = node.name !== '' ? node.name : `${node.opType}(${node.outputs[0] ?? '?'})`
  const site: Site = { ...outer, node: name }
  for (const [attr, a] of node.attributes) checkAttribute(a, attr, site)
}

function checkAttribute(a: AttributeValue, attr: string, site: Site): void {
  const where = (what: string): string => `${what} in attribute ${attr}${site.node === undefined ? '' : ` of node ${JSON.stringify(site.node)}`}`
  const sub = (g: OnnxGraph): Site => ({ ...site, scope: ` in subgraph ${JSON.stringify(g.name)}${site.node === undefined ? '' : ` of node ${JSON.stringify(site.node)}`}${site.scope}` })
  switch (a.type) {
    case 'tensor': return checkTensor(a.value, where(`tensor ${JSON.stringify(a.value.name)}`), site)
    case 'tensors': return a.value.forEach((t) => checkTensor(t, where(`tensor ${JSON.stringify(t.name)}`), site))
    case 'sparse_tensor': return checkSparse(a.value, where('sparse tensor'), site)
    case 'sparse_tensors': return a.value.forEach((s) => checkSparse(s, where('sparse tensor'), site))
    case 'type_proto': return checkType(a.value, where('type'), site)
    case 'type_protos': return a.value.forEach((t) => checkType(t, where('type'), site))
    case 'graph': return checkGraph(a.value, sub(a.value))
    case 'graphs': return a.value.forEach((g) => checkGraph(g, sub(g)))
    default:
  }
}

function checkTensor(t: OnnxTensor, what: string, site: Site): void {
  checkDims(t.dims, what, site)
}

function checkSparse(s: OnnxSparseTensor, what: string, site: Site): void {
  checkDims(s.dims, what, site)
  checkDims(s.values.dims, `${what} values`, site)
  checkDims(s.indices.dims, `${what} indices`, site)
}

function checkType(vt: ValueType | undefined, what: string, site: Site): void {
  if (vt === undefined) return
  switch (vt.kind) {
    case 'tensor':
    case 'sparse_tensor': return checkDims(vt.dims, what, site)
    case 'sequence':
    case 'optional': return checkType(vt.elem, `${what} (element)`, site)
    case 'map': return checkType(vt.valueType, `${what} (value)`, site)
  }
}

/** True when no dim is negative (what {@link checkDims} checks). */
function dimsValid(dims: readonly number[]): boolean {
  for (let axis = 0; axis < dims.length; axis++) if (dims[axis]! < 0) return false
  return true
}

function checkDims(dims: readonly (number | string | undefined)[] | undefined, what: string, site: Site): void {
  if (dims === undefined) return
  for (let axis = 0; axis < dims.length; axis++) {
    const d = dims[axis]
    if (typeof d === 'number' && d < 0) {
      throw new ModelgateError(
        'E_ONNX_INVALID',
        `${site.label} is not a valid ONNX model: ${what}${site.scope} declares dim ${d} on axis ${axis}; a dim is ≥ 0 (0 for an empty tensor), or a dim_param name when it is not fixed.`,
        { value: d, ...(site.file === undefined ? {} : { file: site.file }), ...(site.node === undefined ? {} : { node: site.node }) },
      )
    }
  }
}
