/**
 * Ground truth of detection and segmentation sets.
 *
 * Detection: `<root>/annotations.json`, either modelgate's form
 * ```json
 * { "classes": ["car", "truck"],
 *   "images": [{ "file": "images/0001.jpg", "objects": [{ "box": [x1, y1, x2, y2], "label": 0, "crowd": false }] }] }
 * ```
 * (boxes in pixels of the original image, corners, label = index into `classes`), or a COCO instances file
 * (`images`/`annotations`/`categories`, bbox [x, y, w, h]; class index = position of the category in id order;
 * `iscrowd` marks crowd regions). Image paths are relative to the folder of annotations.json (COCO: also `images/`).
 *
 * Segmentation: `<root>/images/<name>.png|jpg|jpeg` with `<root>/masks/<name>.png` — a grey or palette PNG whose
 * values are class indices, 255 = unlabelled — and optionally `<root>/classes.json` (array of names).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { basename, dirname, extname, join } from 'node:path'
import { ModelgateError } from '../errors.js'
import { isImageFile } from './image-folder.js'
import type { BoxAnnotation } from './metrics-detection.js'

/** One image of a detection set. */
export interface DetectionSample {
  readonly file: string
  readonly objects: readonly BoxAnnotation[]
}

/** A detection set. */
export interface DetectionSet {
  readonly root: string
  readonly annotationsFile: string
  readonly classes: readonly string[]
  readonly samples: readonly DetectionSample[]
}

/** One image of a segmentation set. */
export interface SegmentationSample {
  readonly file: string
  readonly mask: string
}

/** A segmentation set. */
export interface SegmentationSet {
  readonly root: string
  readonly classes: readonly string[] | undefined
  readonly samples: readonly SegmentationSample[]
}

function formatError(file: string, why: string, cause?: unknown): ModelgateError {
  return new ModelgateError('E_DATASET_FORMAT', `${JSON.stringify(file)}: ${why}.`, { file, value: file, cause })
}

function readJson(file: string): unknown {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new ModelgateError('E_FILE_NOT_FOUND', `Cannot read ${JSON.stringify(file)}.`, { file, value: file, cause: error })
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw formatError(file, 'is not valid JSON', error)
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function box(value: unknown, file: string, where: string): BoxAnnotation['box'] {
  if (!Array.isArray(value) || value.length !== 4 || value.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    throw formatError(file, `${where}: a box must be 4 finite numbers, got ${JSON.stringify(value)}`)
  }
  return value as unknown as BoxAnnotation['box']
}

function label(value: unknown, classes: number, file: string, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= classes) {
    throw new ModelgateError('E_LABEL_RANGE', `${JSON.stringify(file)}: ${where}: label ${JSON.stringify(value)} is not in [0, ${classes}).`, { file, value })
  }
  return value
}

function resolveImage(dir: string, name: string, file: string): string {
  const candidates = [join(dir, name), join(dir, 'images', name)]
  const found = candidates.find((p) => existsSync(p))
  if (found === undefined) throw formatError(file, `the image ${JSON.stringify(name)} does not exist (looked in ${candidates.map((c) => JSON.stringify(c)).join(' and ')})`)
  return found
}

function fromCoco(doc: Record<string, unknown>, dir: string, file: string): DetectionSet {
  const cats = (doc.categories as unknown[]).filter(isObject).sort((a, b) => Number(a.id) - Number(b.id))
  const index = new Map(cats.map((c, i) => [Number(c.id), i]))
  const classes = cats.map((c) => String(c.name ?? c.id))
  const objects = new Map<number, BoxAnnotation[]>()
  ;(doc.annotations as unknown[]).forEach((a, i) => {
    if (!isObject(a)) throw formatError(file, `annotations[${i}] is not an object`)
    const [x, y, w, h] = box(a.bbox, file, `annotations[${i}].bbox`)
    const c = index.get(Number(a.category_id))
    if (c === undefined) throw new ModelgateError('E_LABEL_RANGE', `${JSON.stringify(file)}: annotations[${i}]: category_id ${JSON.stringify(a.category_id)} is not among the categories.`, { file, value: a.category_id })
    const list = objects.get(Number(a.image_id)) ?? []
    list.push({ box: [x, y, x + w, y + h], label: c, crowd: a.iscrowd === 1 || a.iscrowd === true })
    objects.set(Number(a.image_id), list)
  })
  const samples = (doc.images as unknown[]).map((img, i): DetectionSample => {
    if (!isObject(img) || typeof img.file_name !== 'string') throw formatError(file, `images[${i}] has no file_name`)
    return { file: resolveImage(dir, img.file_name, file), objects: objects.get(Number(img.id)) ?? [] }
  })
  return { root: dir, annotationsFile: file, classes, samples }
}

/**
 * Reads a detection set.
 * @param root the folder holding annotations.json (or the path of the JSON file itself)
 * @throws ModelgateError E_FILE_NOT_FOUND, E_DATASET_FORMAT, E_DATASET_EMPTY, E_LABEL_RANGE (naming the file)
 */
export function loadDetectionSet(root: string): DetectionSet {
  const file = root.endsWith('.json') ? root : join(root, 'annotations.json')
  const dir = dirname(file)
  const doc = readJson(file)
  if (!isObject(doc)) throw formatError(file, 'must be a JSON object')
  if (Array.isArray(doc.annotations) && Array.isArray(doc.categories) && Array.isArray(doc.images)) return fromCoco(doc, dir, file)
  if (!Array.isArray(doc.classes) || doc.classes.some((c) => typeof c !== 'string') || !Array.isArray(doc.images)) {
    throw formatError(file, 'needs "classes" (an array of names) and "images" (an array of { file, objects })')
  }
  const classes = doc.classes as string[]
  if (doc.images.length === 0) throw new ModelgateError('E_DATASET_EMPTY', `The detection set ${JSON.stringify(file)} lists no images.`, { file, value: file })
  const samples = doc.images.map((img: unknown, i): DetectionSample => {
    if (!isObject(img) || typeof img.file !== 'string' || !Array.isArray(img.objects)) throw formatError(file, `images[${i}] must be { "file": string, "objects": [...] }`)
    const objects = img.objects.map((o: unknown, j): BoxAnnotation => {
      const where = `images[${i}].objects[${j}]`
      if (!isObject(o)) throw formatError(file, `${where} is not an object`)
      const b = box(o.box, file, where)
      if (b[2] < b[0] || b[3] < b[1]) throw formatError(file, `${where}: the box ${JSON.stringify(b)} is not [x1, y1, x2, y2] with x2 ≥ x1, y2 ≥ y1`)
      return { box: b, label: label(o.label, classes.length, file, where), crowd: o.crowd === true }
    })
    return { file: resolveImage(dir, img.file, file), objects }
  })
  return { root: dir, annotationsFile: file, classes, samples }
}

/**
 * Reads a segmentation set (images/ + masks/).
 * @throws ModelgateError E_DATASET_EMPTY (no images), E_DATASET_FORMAT (an image without a mask)
 */
export function loadSegmentationSet(root: string): SegmentationSet {
  const images = join(root, 'images')
  const masks = join(root, 'masks')
  let names: string[]
  try {
    names = readdirSync(images).filter((n) => !n.startsWith('.') && isImageFile(n)).sort()
  } catch (error) {
    throw new ModelgateError('E_FILE_NOT_FOUND', `No images folder at ${JSON.stringify(images)}.`, { file: images, value: images, cause: error })
  }
  if (names.length === 0) throw new ModelgateError('E_DATASET_EMPTY', `The segmentation set folder ${JSON.stringify(images)} has no images.`, { file: images, value: images })
  const samples = names.map((n): SegmentationSample => {
    const mask = join(masks, `${basename(n, extname(n))}.png`)
    if (!existsSync(mask)) throw formatError(join(images, n), `has no mask ${JSON.stringify(mask)}`)
    return { file: join(images, n), mask }
  })
  const classesFile = join(root, 'classes.json')
  let classes: string[] | undefined
  if (existsSync(classesFile)) {
    const doc = readJson(classesFile)
    if (!Array.isArray(doc) || doc.some((c) => typeof c !== 'string')) throw formatError(classesFile, 'must be a JSON array of class names')
    classes = doc as string[]
  }
  return { root, classes, samples }
}

/** True when the folder holds a detection set. */
export function isDetectionSet(root: string): boolean {
  return root.endsWith('.json') || existsSync(join(root, 'annotations.json'))
}

/** True when the folder holds a segmentation set. */
export function isSegmentationSet(root: string): boolean {
  return existsSync(join(root, 'images')) && existsSync(join(root, 'masks'))
}
