/**
 * Recurrent layers: RNN, GRU, LSTM (directions, layout 0/1, outputs Y / Y_h / Y_c).
 *
 * MACs = dirs·T·B·gates·H·(I + H): every gate's input and recurrent matmul at every step (sequence_lens can only
 * shorten the work; the full sequence is counted). FLOPs = 2·MACs + the per-unit, per-step element-wise work of the
 * spec's equations: biases, activations (Sigmoid 4, Tanh 1, Relu 1, …), gate products and state updates.
 */
import { dimAdd, dimMul, dimProduct, type Dim } from '../dims.js'
import type { OpContext, OpRule, OpRuleTable } from '../types.js'
import { tensorOf } from './_helpers.js'
import { activationFlops, expectRank, expectSameDim, inputDims, pickOutputs } from './_compute-utils.js'

type Kind = 'RNN' | 'GRU' | 'LSTM'

const GATES: Record<Kind, number> = { RNN: 1, GRU: 3, LSTM: 4 }
const DEFAULT_ACTIVATIONS: Record<Kind, readonly string[]> = {
  RNN: ['Tanh'],
  GRU: ['Sigmoid', 'Tanh'],
  LSTM: ['Sigmoid', 'Tanh', 'Tanh'],
}

interface RnnDims {
  readonly seq: Dim
  readonly batch: Dim
  readonly input: Dim
  readonly hidden: Dim
  readonly dirs: number
  readonly layout: number
}

function rnnDims(ctx: OpContext, kind: Kind): RnnDims {
  const x = inputDims(ctx, 0, 'X')
  const w = inputDims(ctx, 1, 'W')
  const r = inputDims(ctx, 2, 'R')
  expectRank(ctx, x, 3, 'X')
  expectRank(ctx, w, 3, 'W')
  expectRank(ctx, r, 3, 'R')
  const direction = ctx.attrString('direction', 'forward')
  if (!['forward', 'reverse', 'bidirectional'].includes(direction)) ctx.fail(`unknown direction ${direction}`, direction)
  const dirs = direction === 'bidirectional' ? 2 : 1
  expectSameDim(ctx, w[0], dirs, 'W directions ≠ direction attribute')
  const hidden: Dim = ctx.hasAttr('hidden_size') ? ctx.attrInt('hidden_size') : r[2]!
  expectSameDim(ctx, r[2], hidden, 'R dim 2 ≠ hidden_size')
  expectSameDim(ctx, w[1], dimMul(GATES[kind], hidden), `W dim 1 ≠ ${GATES[kind]}·hidden_size`)
  const layout = ctx.opset >= 14 ? ctx.attrInt('layout', 0) : 0
  const [seq, batch] = layout === 0 ? [x[0]!, x[1]!] : [x[1]!, x[0]!]
  expectSameDim(ctx, w[2], x[2], 'W input size ≠ X input size')
  return { seq, batch, input: x[2]!, hidden, dirs, layout }
}

/** Element-wise FLOPs per hidden unit per step, summed over directions (activations may differ per direction). */
function elementwisePerUnit(ctx: OpContext, kind: Kind, dirs: number): number {
  const names = ctx.attrStrings('activations', [])
  const perDir = DEFAULT_ACTIVATIONS[kind].length
  const clip = ctx.hasAttr('clip') ? 2 : 0 // min and max on every gate pre-activation
  const bias = ctx.optionalTensor(3) !== undefined
  let total = 0
  for (let d = 0; d < dirs; d++) {
    const act = (j: number): number => activationFlops(names[d * perDir + j] ?? DEFAULT_ACTIVATIONS[kind][j]!)
    if (kind === 'RNN') {
      // Ht = f(Xt·Wi + Ht-1·Ri + Wbi + Rbi)
      total += act(0) + (bias ? 2 : 0) + clip
    } else if (kind === 'GRU') {
      // z, r = f(…); h̃ = g(…, rt ⊙ …); Ht = (1 − zt) ⊙ h̃ + zt ⊙ Ht-1
      const linearBeforeReset = ctx.attrInt('linear_before_reset', 0) !== 0
      total += 2 * act(0) + act(1) + 1 + 4 + (linearBeforeReset ? 1 : 0) + (bias ? 6 : 0) + 3 * clip
    } else {
      // i, f, o = f(… + P ⊙ C); c̃ = g(…); Ct = ft ⊙ Ct-1 + it ⊙ c̃; Ht = ot ⊙ h(Ct)
      const peephole = ctx.optionalTensor(7) !== undefined
      total += 3 * act(0) + act(1) + act(2) + 3 + 1 + (peephole ? 6 : 0) + (bias ? 8 : 0) + 4 * clip
    }
  }
  return total
}

function rnnRule(kind: Kind): OpRule {
  const perUnit: Record<Kind, string> = {
    RNN: 'f + 2 (biases, when B is given) + 2 (clip, when set)',
    GRU: '2·f + g + 5 (r ⊙, state update) + 1 (when linear_before_reset) + 6 (biases, when B is given) + 6 (clip, when set)',
    LSTM: '3·f + g + h + 4 (cell and output updates) + 6 (peepholes, when P is given) + 8 (biases, when B is given) + 8 (clip, when set)',
  }
  const gates = GATES[kind] === 1 ? '' : `${GATES[kind]}·`
  return {
    formula:
      `MACs = dirs·T·B·${gates}H·(I + H); FLOPs = 2·MACs + dirs·T·B·H·(${perUnit[kind]}),` +
      ' activations f, g, h: Sigmoid 4, Tanh 1, Relu 1, HardSigmoid 4, Softsign 3, …',
    infer(ctx) {
      const d = rnnDims(ctx, kind)
      const dtype = ctx.tensor(0).dtype
      const y = d.layout === 0 ? [d.seq, d.dirs, d.batch, d.hidden] : [d.batch, d.seq, d.dirs, d.hidden]
      const state = d.layout === 0 ? [d.dirs, d.batch, d.hidden] : [d.batch, d.dirs, d.hidden]
      return pickOutputs(ctx, [tensorOf(dtype, y), tensorOf(dtype, state), kind === 'LSTM' ? tensorOf(dtype, state) : undefined])
    },
    cost(ctx) {
      const d = rnnDims(ctx, kind)
      const steps = dimProduct([d.seq, d.batch, d.hidden])
      const macs = dimProduct([d.dirs, steps, GATES[kind], dimAdd(d.input, d.hidden)])
      return { macs, flops: dimAdd(dimMul(2, macs), dimMul(steps, elementwisePerUnit(ctx, kind, d.dirs))) }
    },
  }
}

/** The recurrent family's rules. */
export const RNN_RULES: OpRuleTable = {
  RNN: rnnRule('RNN'),
  GRU: rnnRule('GRU'),
  LSTM: rnnRule('LSTM'),
}
