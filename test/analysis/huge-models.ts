/**
 * Models whose counts pass 2^53, shared by the tests of exact counts (analysis, matchers, gate report).
 */
import { GraphBuilder, ModelBuilder } from '../../fixtures/builder/index.js'

/** Loop(M = 2^62, no condition) around h ← h·W with h, W [64, 64]: MACs 2^62 · 64³ = 2^80. */
export function hugeLoop(): ModelBuilder {
  const g = new ModelBuilder()
  g.input('x', 'float32', [64, 64])
  g.initializer('trips', 'int64', [], [2n ** 62n])
  g.initializer('w', 'float32', [64, 64])
  const body = new GraphBuilder('body', 'body/')
  body.input('i', 'int64', [])
  body.input('c', 'bool', [])
  body.input('h', 'float32', [64, 64])
  body.node('Identity', ['c'], ['c_out'])
  body.node('MatMul', ['h', 'w'], ['h_out'])
  body.output('c_out', 'bool', [])
  body.output('h_out', 'float32', [64, 64])
  g.node('Loop', ['trips', '', 'x'], ['y'], { body }, { name: 'loop' })
  g.output('y', 'float32', [64, 64])
  return g
}
