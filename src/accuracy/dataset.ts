/**
 * Data set specs: detection of the layout from a path, and loading of the index (files, labels, classes) —
 * everything that can fail on bad data before a model session is opened.
 */
import { statSync } from 'node:fs'
import { resolve } from 'node:path'
import { ModelgateError } from '../errors.js'
import { isDetectionSet, isSegmentationSet, loadDetectionSet, loadSegmentationSet, type DetectionSet, type SegmentationSet } from './ground-truth.js'
import { scanImageFolder, type ImageFolderIndex } from './image-folder.js'
import { isTensorSet, loadTensorSet, type TensorSet } from './tensor-set.js'
import type { DatasetSpec } from './types.js'

/** A data set's index, loaded. */
export type LoadedDataset =
  | { readonly kind: 'image-folder'; readonly path: string; readonly index: ImageFolderIndex }
  | { readonly kind: 'tensors'; readonly path: string; readonly set: TensorSet }
  | { readonly kind: 'detection'; readonly path: string; readonly set: DetectionSet }
  | { readonly kind: 'segmentation'; readonly path: string; readonly set: SegmentationSet }

/**
 * The spec of a data set given as a path (see {@link DatasetSpec} for the detection rules).
 * @param dataset a spec (returned as is) or a path
 * @param cwd the directory relative paths are resolved against
 */
export function resolveDatasetSpec(dataset: DatasetSpec | string, cwd = process.cwd()): DatasetSpec {
  if (typeof dataset !== 'string') {
    if (typeof dataset !== 'object' || dataset === null || typeof (dataset as { kind?: unknown }).kind !== 'string') {
      throw new ModelgateError('E_DATASET_FORMAT', `A data set is a path or { kind, root | path }, got ${JSON.stringify(dataset)}.`, { value: dataset })
    }
    return dataset
  }
  const path = resolve(cwd, dataset)
  if (statSync(path, { throwIfNoEntry: false }) === undefined) {
    throw new ModelgateError('E_FILE_NOT_FOUND', `No data set at ${JSON.stringify(dataset)}.`, { file: path, value: dataset })
  }
  if (isTensorSet(path)) return { kind: 'tensors', path }
  if (isDetectionSet(path)) return { kind: 'detection', root: path }
  if (isSegmentationSet(path)) return { kind: 'segmentation', root: path }
  return { kind: 'image-folder', root: path }
}

/**
 * Loads a data set's index (not its pixels).
 * @param spec the data set
 * @param inputName the model input's name (an `.npz` array of that name is taken as the inputs)
 * @throws ModelgateError E_FILE_NOT_FOUND, E_DATASET_EMPTY, E_DATASET_CLASS_EMPTY, E_DATASET_FORMAT, E_LABEL_RANGE …
 */
export function loadDataset(spec: DatasetSpec, inputName?: string): LoadedDataset {
  switch (spec.kind) {
    case 'image-folder':
      return { kind: spec.kind, path: spec.root, index: scanImageFolder(spec.root) }
    case 'tensors':
      return { kind: spec.kind, path: spec.path, set: loadTensorSet(spec.path, { ...(inputName === undefined ? {} : { inputName }), ...(spec.labels === undefined ? {} : { labels: spec.labels }) }) }
    case 'detection':
      return { kind: spec.kind, path: spec.root, set: loadDetectionSet(spec.root) }
    case 'segmentation':
      return { kind: spec.kind, path: spec.root, set: loadSegmentationSet(spec.root) }
    default:
      throw new ModelgateError('E_DATASET_FORMAT', `Unknown data set kind ${JSON.stringify((spec as { kind: unknown }).kind)} (image-folder, tensors, detection, segmentation).`, { value: spec })
  }
}
