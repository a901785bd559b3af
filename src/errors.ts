/**
 * The one error class of modelgate. Codes are API: they are documented in the README and never renamed.
 * Each message names the offending value and ends with the fix.
 */

/** Every stable error code, with the fix that the message ends with. */
export const ERROR_FIXES = {
  E_INPUT: 'Pass a path to an .onnx file or the bytes of one.',
  E_FILE_NOT_FOUND: 'Check the path; it is resolved against the current working directory.',
  E_FILE_READ: 'Check that the file is readable and not a directory.',
  E_FILE_TOO_LARGE: 'Store the weights as external data (onnx.save_model(..., save_as_external_data=True)).',
  E_NOT_ONNX: 'Export the model to ONNX first (torch.onnx.export, tf2onnx, paddle2onnx); modelgate reads .onnx files only.',
  E_ONNX_DECODE: 'The file is not a complete ONNX ModelProto: re-export it or check that it was not truncated in transfer (git LFS pointer?).',
  E_ONNX_INVALID: 'Run onnx.checker.check_model on the file to see what the exporter wrote wrong.',
  E_ONNX_NESTING: 'modelgate follows subgraphs (If/Loop/Scan bodies) and function calls only to the depth named: flatten the nested control flow, or report the model if an exporter writes it so.',
  E_GRAPH_CYCLE: 'An ONNX graph must be acyclic; re-export the model.',
  E_DANGLING_INPUT: 'Every node input must be a graph input, an initializer or the output of a node; re-export the model.',
  E_EXTERNAL_DATA_PATH: 'External data must be a relative path inside the model\'s folder; move the weight file next to the model.',
  E_EXTERNAL_DATA_MISSING: 'Copy the external weight file next to the model, under the name the model refers to.',
  E_EXTERNAL_DATA_RANGE: 'The external weight file is shorter than the model says: re-save the model with its external data.',
  E_SHAPE_OPTION: 'Give shapes as { inputName: [d0, d1, ...] } with positive integers and the input\'s rank.',
  E_DIM_OPTION: 'Give dims as { symbol: positiveInteger } using the dim_param names of the model\'s inputs.',
  E_SHAPE_INFERENCE: 'The model is inconsistent with the given input shapes; check --shape / shapes against the model\'s inputs.',
  E_UNRESOLVED_DIM: 'Pass the symbol\'s size with dims: { NAME: value } (CLI: --dim NAME=value) or the input shape with shapes.',
  // runner (bench/)
  E_RUNTIME_MISSING: 'Install the engine: npm install onnxruntime-node (or onnxruntime-web for engine: \'onnxruntime-web\'); static analysis works without it.',
  E_ENGINE_PROVIDER: 'Ask for one of the execution providers this machine offers (the message lists them), or run on a machine that has the hardware and the engine build for it.',
  E_SESSION_CREATE: 'onnxruntime could not load the model: check the opset/IR version and custom ops (run `modelgate analyze` to see them).',
  E_RUN_INPUT: 'Give inputs that match the model\'s signature (name, dtype, dims): see `modelgate analyze <model>` for it.',
  E_RUN_FAILED: 'onnxruntime failed while running the model; run it alone with `modelgate bench` to see the engine\'s message.',
  E_RUN_CRASHED: 'The engine crashed (a native fault) while running the model: report it to onnxruntime with the model; modelgate kept running.',
  E_RUN_TIMEOUT: 'Raise the time-out (timeoutMs / --timeout) or run fewer iterations; the engine did not finish in time.',
  E_NPY_DECODE: 'Give a NumPy .npy file (format version 1–3, little-endian, C order) of a supported dtype.',
  E_BENCH_OPTION: 'Check the option against `modelgate bench --help`.',
  // device estimates (estimate/)
  E_DEVICE_PROFILE: 'Pick a built-in device (`modelgate estimate --help` lists them) or give a profile with positive finite numbers in the documented fields (README: device estimates).',
  // baselines and the gate (baseline/, matchers/, vitest/)
  E_BASELINE_JSON: 'Fix the file by hand (a merge conflict?) or delete it and run `vitest run -u` to write it again.',
  E_BASELINE_SCHEMA: 'Fix the value at that JSON path, or run `vitest run -u` to rewrite the entry.',
  E_BASELINE_VERSION: 'This baseline was written by another version of modelgate: upgrade modelgate, or run `vitest run -u` to rewrite it.',
  E_BASELINE_MISSING: 'Run the tests locally (or with `vitest run -u`) and commit the new baseline file: CI never writes baselines.',
  E_BASELINE_WRITE: 'Check that the baseline directory is writable.',
  E_MATCHER_INPUT: 'Pass expect() a model handle from loadModel() or a path to an .onnx file.',
  E_GATE_OPTION: 'Check the option against the README\'s matcher and plugin reference.',
  // reports and GitHub (report/)
  E_REPORT_READ: 'Pass a modelgate-report.json written by the modelgate reporter.',
  E_REPORT_MERGE: 'Merge reports of the same suite and the same modelgate version (one per shard).',
  E_GITHUB_CONTEXT: 'Run inside GitHub Actions or pass --repo owner/name and --pr N, with GITHUB_TOKEN set.',
  E_GITHUB_AUTH: 'The token cannot write to this pull request (a fork PR?): post the comment from a workflow_run job (see the README).',
  E_GITHUB_API: 'GitHub\'s API refused the request; check GITHUB_API_URL and try again later.',
  E_GITHUB_TIMEOUT: 'GitHub\'s API (or a proxy on the way) did not answer in time: check GITHUB_API_URL and the network, or raise --timeout / --total-timeout (MODELGATE_GITHUB_TIMEOUT_MS).',
  // accuracy (accuracy/)
  E_DATASET_EMPTY: 'Point --data at a folder with one sub-folder per class (ImageFolder layout), each holding images.',
  E_DATASET_CLASS_EMPTY: 'Put at least one .png/.jpg image into every class folder, or remove the empty folder.',
  E_DATASET_FORMAT: 'Follow the documented data set layout (README: accuracy data sets).',
  E_IMAGE_DECODE: 'Replace or delete the corrupt image file.',
  E_DECODER_MISSING: 'Install sharp (npm install sharp), or choose the pure-JS decoder (decoder: \'pure-js\', CLI --decoder pure-js).',
  E_LABEL_RANGE: 'Labels must be integers in [0, number of classes).',
  E_MODEL_OUTPUT: 'The model\'s output must have one score per class of the data set ([N, classes]).',
  E_UNKNOWN_OPTION: 'Fix the option\'s name (the message names the closest valid one): modelgate refuses keys it does not know, so a typo never runs with the default.',
  E_INTERNAL: 'This is a modelgate bug: please report it with the model (or the smallest model that shows it).',
  E_CLI_USAGE: 'Run `modelgate --help` for the commands and their options.',
} as const

/** A stable error code. */
export type ModelgateErrorCode = keyof typeof ERROR_FIXES

/** Details carried by an error: the offending value and where it was found. */
export interface ModelgateErrorDetails {
  /** The value that was wrong (a path, a dim, an op type …). */
  readonly value?: unknown
  /** The file the error is about, when there is one. */
  readonly file?: string
  /** The node the error is about, when there is one. */
  readonly node?: string
  /** The underlying error, when one was caught. */
  readonly cause?: unknown
}

/**
 * Thrown for misuse or broken input. `name` is always `'ModelgateError'` so callers can test it without
 * `instanceof` across module copies.
 */
export class ModelgateError extends Error {
  override readonly name = 'ModelgateError'
  /** Stable machine-readable code, see {@link ERROR_FIXES}. */
  readonly code: ModelgateErrorCode
  /** The value that was wrong. */
  readonly value: unknown
  /** The file the error is about. */
  readonly file: string | undefined
  /** The node the error is about. */
  readonly node: string | undefined
  /** How to fix it (also the last sentence of `message`). */
  readonly fix: string

  constructor(code: ModelgateErrorCode, problem: string, details: ModelgateErrorDetails = {}) {
    const fix = ERROR_FIXES[code]
    super(`${problem} ${fix}`, details.cause === undefined ? undefined : { cause: details.cause })
    this.code = code
    this.value = details.value
    this.file = details.file
    this.node = details.node
    this.fix = fix
  }
}

/** True for a {@link ModelgateError}, also one from another copy of the module. */
export function isModelgateError(error: unknown): error is ModelgateError {
  return error instanceof Error && error.name === 'ModelgateError' && typeof (error as { code?: unknown }).code === 'string'
}
