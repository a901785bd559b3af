/**
 * Element-wise math: unary functions, broadcasting arithmetic, comparisons and logic, Sum/Mean/Max/Min.
 */
import { dimAdd, dimMul, dimSub } from '../dims.js'
import type { OpRule, OpRuleTable, Scalar } from '../types.js'
import {
  absScalar, bitwiseScalar, compareScalars, divScalar, intBits, isIntegral, maxScalar, minScalar, modScalar, powScalar,
  roundHalfEven, signRange,
} from './_elementwise-utils.js'
import { binaryRule, unaryRule, variadicRule, type ValueFactory } from './elementwise-base.js'

/** A value rule from a function of numbers only (symbolic elements drop the value). */
function numeric(f: (x: number) => number): ValueFactory {
  return () => (x) => (typeof x === 'number' ? f(x) : undefined)
}

/** An elementary function: 1 FLOP per element, value computed on numbers. */
function fn(what: string, f: (x: number) => number): OpRule {
  return unaryRule({ flops: 1, what, value: numeric(f) })
}

// Symbolic dims are integers, so the rounding functions leave them unchanged.
const rounding = (f: (x: number) => number): ValueFactory => () => (x) => (typeof x === 'number' ? f(x) : x)

const UNARY: OpRuleTable = {
  Abs: unaryRule({ flops: 1, what: 'abs', value: () => absScalar }),
  Neg: unaryRule({ flops: 1, what: 'negation', value: () => (x) => dimSub(0, x) }),
  Sign: unaryRule({
    flops: 1, what: 'sign',
    value: () => (x) => {
      if (typeof x === 'number') return Math.sign(x)
      const [lo, hi] = signRange(x)
      return lo === hi ? lo : undefined
    },
  }),
  Floor: unaryRule({ flops: 1, what: 'floor', value: rounding(Math.floor) }),
  Ceil: unaryRule({ flops: 1, what: 'ceil', value: rounding(Math.ceil) }),
  Round: unaryRule({ flops: 1, what: 'round', value: rounding(roundHalfEven) }),
  Reciprocal: unaryRule({ flops: 1, what: 'division', value: () => (x) => divScalar(1, x, false) }),
  Sqrt: fn('sqrt', Math.sqrt),
  Exp: fn('exp', Math.exp),
  Log: fn('log', Math.log),
  Sin: fn('sin', Math.sin),
  Cos: fn('cos', Math.cos),
  Tan: fn('tan', Math.tan),
  Asin: fn('asin', Math.asin),
  Acos: fn('acos', Math.acos),
  Atan: fn('atan', Math.atan),
  Sinh: fn('sinh', Math.sinh),
  Cosh: fn('cosh', Math.cosh),
  Tanh: fn('tanh', Math.tanh),
  Asinh: fn('asinh', Math.asinh),
  Acosh: fn('acosh', Math.acosh),
  Atanh: fn('atanh', Math.atanh),
  // no erf in JS Math, and erf never feeds shape arithmetic
  Erf: unaryRule({ flops: 1, what: 'erf' }),
  IsNaN: unaryRule({ flops: 1, what: 'comparison', dtype: 'bool', value: numeric((x) => (Number.isNaN(x) ? 1 : 0)) }),
  IsInf: unaryRule({
    flops: 1, what: 'comparison', dtype: 'bool',
    value: (ctx) => {
      const pos = ctx.attrInt('detect_positive', 1) !== 0
      const neg = ctx.attrInt('detect_negative', 1) !== 0
      return numeric((x) => ((x === Infinity && pos) || (x === -Infinity && neg) ? 1 : 0))(ctx, 'float32')
    },
  }),
  Not: unaryRule({ flops: 1, what: 'logical not', dtype: 'bool', value: numeric((x) => (x === 0 ? 1 : 0)) }),
  BitwiseNot: unaryRule({ flops: 1, what: 'bitwise not', value: (_ctx, dt) => (x) => bitwiseScalar(x, 0, dt, (a) => ~a) }),
}

/** Comparison c = (a ? b), to bool. */
function comparison(what: string, pred: (sign: number) => boolean): OpRule {
  return binaryRule({ flops: 1, what, dtype: 'bool', legacyBroadcast: true, value: () => (a, b) => compareScalars(a, b, pred) })
}

/** Logical op on bools (0/1). */
function logical(what: string, f: (a: boolean, b: boolean) => boolean): OpRule {
  return binaryRule({
    flops: 1, what, dtype: 'bool', legacyBroadcast: true,
    value: () => (a, b) => (typeof a === 'number' && typeof b === 'number' ? (f(a !== 0, b !== 0) ? 1 : 0) : undefined),
  })
}

/** Bitwise op on integers, wrapped to the element width. */
function bitwise(what: string, f: (a: bigint, b: bigint) => bigint): OpRule {
  return binaryRule({ flops: 1, what, value: (_ctx, dt) => (a, b) => bitwiseScalar(a, b, dt, f) })
}

const BINARY: OpRuleTable = {
  Add: binaryRule({ flops: 1, what: 'addition', legacyBroadcast: true, value: () => dimAdd }),
  Sub: binaryRule({ flops: 1, what: 'subtraction', legacyBroadcast: true, value: () => dimSub }),
  Mul: binaryRule({ flops: 1, what: 'multiplication', legacyBroadcast: true, value: () => dimMul }),
  Div: binaryRule({
    flops: 1, what: 'division', legacyBroadcast: true,
    value: (_ctx, dt) => (a, b) => divScalar(a, b, isIntegral(dt)),
  }),
  // the exponent may have another type; the output is the base's
  Pow: binaryRule({ flops: 1, what: 'pow', legacyBroadcast: true, value: () => powScalar }),
  Mod: binaryRule({
    flops: 1, what: 'modulo',
    value: (ctx, dt) => {
      const fmod = ctx.attrInt('fmod', 0) !== 0
      return (a, b) => modScalar(a, b, fmod, isIntegral(dt))
    },
  }),
  BitShift: binaryRule({
    flops: 1, what: 'shift',
    value: (ctx, dt) => {
      const left = ctx.attrString('direction') === 'LEFT'
      const bits = BigInt(intBits(dt))
      // shifting by the width or more gives 0, as onnxruntime's kernel
      return (a, b) => bitwiseScalar(a, b, dt, (x, y) => (y >= bits ? 0n : left ? x << y : x >> y))
    },
  }),
  BitwiseAnd: bitwise('bitwise and', (a, b) => a & b),
  BitwiseOr: bitwise('bitwise or', (a, b) => a | b),
  BitwiseXor: bitwise('bitwise xor', (a, b) => a ^ b),
  And: logical('logical and', (a, b) => a && b),
  Or: logical('logical or', (a, b) => a || b),
  Xor: logical('logical xor', (a, b) => a !== b),
  Equal: comparison('comparison', (s) => s === 0),
  Greater: comparison('comparison', (s) => s > 0),
  GreaterOrEqual: comparison('comparison', (s) => s >= 0),
  Less: comparison('comparison', (s) => s < 0),
  LessOrEqual: comparison('comparison', (s) => s <= 0),
  // y = x < 0 ? slope·x : x; the slope broadcasts to X (unidirectionally), so y has X's dims
  PRelu: binaryRule({
    flops: 2, what: 'comparison, multiplication', firstInputDims: true,
    value: () => (x, s) => (typeof x === 'number' && typeof s === 'number' ? (x < 0 ? s * x : x) : undefined),
  }),
}

const VARIADIC: OpRuleTable = {
  Sum: variadicRule('additions', (a, b) => dimAdd(a, b)),
  Max: variadicRule('comparisons', maxScalar),
  Min: variadicRule('comparisons', minScalar),
  Mean: variadicRule(
    'n − 1 additions, 1 division',
    (a, b) => dimAdd(a, b),
    (_ctx, dt) => (sum, n) => divScalar(sum as Scalar, n as Scalar, isIntegral(dt)),
    1,
  ),
}

/** Unary math, broadcasting binary ops and variadic folds. */
export const MATH_RULES: OpRuleTable = { ...UNARY, ...BINARY, ...VARIADIC }
