export { readOnnxModel } from './load.js'
export type { LoadedModel } from './load.js'
export type { DataTypeName } from './dtypes.js'
export type { OnnxModel, OnnxGraph, OnnxNode, OnnxTensor } from './types.js'
