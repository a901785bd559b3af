/**
 * The values the nodes of a graph can read while it is inferred: the graph's own, kept by id in an array (see
 * graph-index.ts), and those of the scopes around it (an If branch reads its parent graph's values), by name.
 */
import { keepHiddenClass } from '../_hidden-classes.js'
import { EMPTY_GRAPH, indexGraph, type GraphIndex } from './graph-index.js'
import type { InferredType } from './types.js'

/** A graph's inferred values by id. */
export interface ValueTable {
  readonly index: GraphIndex
  /** Ids in the order they were first defined: graph inputs, initializers, then node outputs as nodes ran. */
  readonly order: readonly number[]
  /** Id → type; undefined when it is untyped (an unknown op's output) or not defined. */
  readonly types: readonly (InferredType | undefined)[]
  /** The type of value `id` (`types[id]`). */
  type(id: number): InferredType | undefined
}

export class Scope implements ValueTable {
  readonly order: number[] = []
  readonly types: (InferredType | undefined)[]
  private readonly defined: Uint8Array

  constructor(
    readonly index: GraphIndex,
    private readonly parent?: Scope,
  ) {
    this.types = new Array<InferredType | undefined>(index.names.length).fill(undefined)
    this.defined = new Uint8Array(index.names.length)
  }

  /** True when `name` is defined here or in an outer scope. */
  has(name: string): boolean {
    const id = this.index.ids.get(name)
    if (id !== undefined && this.defined[id] === 1) return true
    return this.parent?.has(name) ?? false
  }

  /** True when value `id` of this graph is defined here (not looking at the outer scopes). */
  hasOwn(id: number): boolean {
    return this.defined[id] === 1
  }

  /** The type of `name` here, else in the outer scopes. */
  get(name: string): InferredType | undefined {
    const id = this.index.ids.get(name)
    if (id !== undefined && this.defined[id] === 1) return this.types[id]
    return this.parent?.get(name)
  }

  /** The type of value `id` of this graph, else of the same name in the outer scopes. */
  getId(id: number): InferredType | undefined {
    if (this.defined[id] === 1) return this.types[id]
    return this.parent?.get(this.index.names[id]!)
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
    if (this.defined[id] === 0) {
      this.defined[id] = 1
      this.order.push(id)
    }
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
    return id === undefined ? undefined : this.scope.type(id)
  }

  has(name: string): boolean {
    return this.get(name) !== undefined
  }

  *entries(): MapIterator<[string, InferredType]> {
    const { order, index } = this.scope
    for (const id of order) {
      const type = this.scope.type(id)
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
