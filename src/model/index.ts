export { createModelHandle, isModelHandle, loadModel, toModelHandle } from './handle.js'
export type { ModelHandle, ModelOptions, ModelRef } from './handle.js'
