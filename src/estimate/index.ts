/**
 * Device latency estimates: a per-node roofline over the static analysis, on built-in device profiles or on
 * this machine's measured one.
 */
export { estimateLatency, ESTIMATE_NOTE, resolveProfile } from './estimate.js'
export type { DominatingNode, EstimateOptions, LatencyEstimate } from './estimate.js'
export { calibrateThisMachine, CALIBRATION_SUITE, defaultCacheDir } from './calibrate.js'
export type { CalibrateOptions } from './calibrate.js'
export { BUILT_IN_PROFILES, builtInProfile, deviceIds, THIS_MACHINE, validateProfile } from './profiles.js'
export type { ComputeDtype, DeviceProfile } from './profiles.js'
export { computeDtypeOf, roofline } from './roofline.js'
export type { NodeBound, NodeEstimate, RooflineResult } from './roofline.js'
