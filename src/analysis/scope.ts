/**
 * The values the nodes of a graph can read while it is inferred: the graph's own, kept by id in an array (see
 * graph-index.ts), and those of the scopes around it (an If branch reads its parent graph's values), by name. A
 * small float initializer's elements are read when first asked for (see {@link Scope.setPending}).
 */
import { keepHiddenClass } from '../_hidden-classes.js'
import { EMPTY_GRAPH, indexGraph, type GraphIndex } from './graph-index.js'
import type { OnnxTensor } from '../onnx/types.js'
import type { InferredType } from './types.js'

/** A graph's inferred values by id. */
export interface ValueTable {
  readonly index: GraphIndex
  /** Ids in the order they were first defined: graph inputs, initializers, then node outputs as nodes ran. */
  readonly order: Readonly<Int32Array>
  /**
   * Id → type; undefined when it is untyped (an unknown op's output) or not defined. A small float initializer's is
   * its dtype and dims alone (its elements are read when a rule runs on it: see Scope.setPending).
   */
  readonly types: readonly (InferredType | undefined)[]
  /** The type of value `id` (`types[id]`). */
  type(id: number): InferredType | undefined
}

/** `defined[id]`: not defined, defined, or defined as a constant whose elements are read on first ask. */
const UNDEFINED = 0
const DEFINED = 1
const PENDING = 2

export class Scope implements ValueTable {
  readonly types: (InferredType | undefined)[]
  private readonly defined: Uint8Array
  /**
   * Ids in the order they were first defined, in `definedOrder[0, definedCount)`: an id is defined once, so a list
   * of one entry per value holds them (grown by push, this list took 44 % of setId's time on the 50,000-node graph).
   */
  private readonly definedOrder: Int32Array
  private definedCount = 0
  /** By id, for values defined by {@link setPending}: the constant, then its type with the elements once read. */
  private pending: (OnnxTensor | InferredType | undefined)[] | undefined
  private readElements: ((t: OnnxTensor) => InferredType) | undefined

  constructor(
    readonly index: GraphIndex,
    private readonly parent?: Scope,
  ) {
    this.types = new Array<InferredType | undefined>(index.names.length).fill(undefined)
    this.defined = new Uint8Array(index.names.length)
    this.definedOrder = new Int32Array(index.names.length)
  }

  get order(): Readonly<Int32Array> {
    return this.definedOrder.subarray(0, this.definedCount)
  }

  /** True when `name` is defined here or in an outer scope. */
  has(name: string): boolean {
    const id = this.index.ids.get(name)
    if (id !== undefined && this.defined[id] !== UNDEFINED) return true
    return this.parent?.has(name) ?? false
  }

  /** True when value `id` of this graph is defined here (not looking at the outer scopes). */
  hasOwn(id: number): boolean {
    return this.defined[id] !== UNDEFINED
  }

  /** The type of `name` here (a pending constant's with its elements), else in the outer scopes. */
  get(name: string): InferredType | undefined {
    const id = this.index.ids.get(name)
    if (id !== undefined && this.defined[id] !== UNDEFINED) return this.withElements(id)
    return this.parent?.get(name)
  }

  /**
   * The type of value `id` of this graph (for a pending constant, the type that stands for it: see
   * {@link setPending}), else of the same name in the outer scopes.
   */
  getId(id: number): InferredType | undefined {
    if (this.defined[id] !== UNDEFINED) return this.types[id]
    return this.parent?.get(this.index.names[id]!)
  }

  /**
   * Defines value `id` as a constant whose elements are read when first asked for ({@link withElements}): until
   * then `standIn`, its type without elements, stands for it where types are compared by identity.
   * @param read the constant's type with its elements (the same function for every pending value of the scope)
   */
  setPending(id: number, standIn: InferredType, tensor: OnnxTensor, read: (t: OnnxTensor) => InferredType): void {
    this.setId(id, standIn)
    this.defined[id] = PENDING
    this.pending ??= new Array<OnnxTensor | InferredType | undefined>(this.types.length)
    this.pending[id] = tensor
    this.readElements = read
  }

  /** True when value `id` is a constant whose elements are read when first asked for (see {@link setPending}). */
  isPending(id: number): boolean {
    return this.defined[id] === PENDING
  }

  /** The type of value `id` of this graph; a pending constant's with its elements, read now if not before. */
  withElements(id: number): InferredType | undefined {
    if (this.defined[id] !== PENDING) return this.types[id]
    const p = this.pending![id]!
    if ('kind' in p) return p
    const type = this.readElements!(p)
    this.pending![id] = type
    return type
  }

  type(id: number): InferredType | undefined {
    // never defined → still undefined
    return this.types[id]
  }

  /** Defines `name`, one of this graph's values. */
  set(name: string, type: InferredType | undefined): void {
    const id = this.index.ids.get(name)
    if (id === undefined) throw new Error(`${JSON.stringify(name)} is not a value of this graph`)
    this.setId(id, type)
  }

  setId(id: number, type: InferredType | undefined): void {
    if (this.defined[id] === UNDEFINED) this.definedOrder[this.definedCount++] = id
    this.defined[id] = DEFINED
    this.types[id] = type
  }

  /** This graph's typed values by name, in the order they were defined (a view, nothing copied). */
  typed(): ReadonlyMap<string, InferredType> {
    return new TypedValues(this)
  }
}

/** A read-only Map over a scope's own typed values. */
class TypedValues implements ReadonlyMap<string, InferredType> {
  constructor(private readonly scope: Scope) {}

  get size(): number {
    let n = 0
    for (const id of this.scope.order) if (this.scope.type(id) !== undefined) n++
    return n
  }

  get(name: string): InferredType | undefined {
    const id = this.scope.index.ids.get(name)
    return id === undefined ? undefined : this.scope.withElements(id)
  }

  has(name: string): boolean {
    return this.get(name) !== undefined
  }

  *entries(): MapIterator<[string, InferredType]> {
    const { order, index } = this.scope
    for (const id of order) {
      const type = this.scope.withElements(id)
      if (type !== undefined) yield [index.names[id]!, type]
    }
  }

  *keys(): MapIterator<string> {
    for (const [name] of this.entries()) yield name
  }

  *values(): MapIterator<InferredType> {
    for (const [, type] of this.entries()) yield type
  }

  [Symbol.iterator](): MapIterator<[string, InferredType]> {
    return this.entries()
  }

  forEach(callback: (value: InferredType, key: string, map: ReadonlyMap<string, InferredType>) => void, thisArg?: unknown): void {
    for (const [name, type] of this.entries()) callback.call(thisArg, type, name, this)
  }
}
keepHiddenClass(() => new Scope(indexGraph(EMPTY_GRAPH)))
keepHiddenClass(() => new Scope(indexGraph(EMPTY_GRAPH)).typed())
