/**
 * The ImageFolder layout (torchvision's, and how RSSCN7, UC Merced, AID, EuroSAT-RGB … ship):
 * `<root>/<class>/**​/*.png|jpg|jpeg`. Class index = position of the folder name in sorted order (code-point
 * order, as Python's `sorted`); images are found recursively under each class folder, in sorted path order;
 * extensions are matched case-insensitively. Folders and files whose name starts with a dot are skipped.
 */
import { readdirSync, statSync, type Dirent } from 'node:fs'
import { join } from 'node:path'
import { ModelgateError } from '../errors.js'

/** File extensions read as images. */
export const IMAGE_EXTENSIONS: readonly string[] = ['.png', '.jpg', '.jpeg']

/** One labelled image. */
export interface ImageSample {
  /** Absolute path. */
  readonly file: string
  readonly label: number
}

/** A scanned ImageFolder. */
export interface ImageFolderIndex {
  readonly root: string
  readonly classes: readonly string[]
  readonly samples: readonly ImageSample[]
}

function byName(a: Dirent, b: Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
}

function entries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((e) => !e.name.startsWith('.')).sort(byName)
  } catch (error) {
    throw new ModelgateError('E_FILE_READ', `Cannot read the folder ${JSON.stringify(dir)}.`, { file: dir, value: dir, cause: error })
  }
}

/** True for a file name with an image extension. */
export function isImageFile(name: string): boolean {
  const lower = name.toLowerCase()
  return IMAGE_EXTENSIONS.some((ext) => lower.endsWith(ext))
}

function isDirectory(dir: string, e: Dirent): boolean {
  if (e.isDirectory()) return true
  if (!e.isSymbolicLink()) return false
  try {
    return statSync(join(dir, e.name)).isDirectory()
  } catch {
    return false
  }
}

function imagesUnder(dir: string, out: string[]): void {
  for (const e of entries(dir)) {
    const path = join(dir, e.name)
    if (isDirectory(dir, e)) imagesUnder(path, out)
    else if (isImageFile(e.name)) out.push(path)
  }
}

/**
 * Lists an ImageFolder.
 * @param root the folder holding one sub-folder per class
 * @returns the class names (sorted) and every image with its class index
 * @throws ModelgateError E_FILE_NOT_FOUND, E_DATASET_EMPTY (no class folders), E_DATASET_CLASS_EMPTY (a class folder without images)
 */
export function scanImageFolder(root: string): ImageFolderIndex {
  let isDir = false
  try {
    isDir = statSync(root).isDirectory()
  } catch (error) {
    throw new ModelgateError('E_FILE_NOT_FOUND', `No data set folder at ${JSON.stringify(root)}.`, { file: root, value: root, cause: error })
  }
  if (!isDir) throw new ModelgateError('E_DATASET_FORMAT', `The data set ${JSON.stringify(root)} is a file, not a folder of class folders.`, { file: root, value: root })
  const all = entries(root)
  const classes = all.filter((e) => isDirectory(root, e)).map((e) => e.name)
  if (classes.length === 0) {
    const loose = all.filter((e) => isImageFile(e.name)).length
    const found = loose > 0 ? ` (it holds ${loose} image(s) directly, but no class folders)` : ''
    throw new ModelgateError('E_DATASET_EMPTY', `The data set folder ${JSON.stringify(root)} has no class folders${found}.`, { file: root, value: root })
  }
  const samples: ImageSample[] = []
  classes.forEach((name, label) => {
    const dir = join(root, name)
    const files: string[] = []
    imagesUnder(dir, files)
    if (files.length === 0) {
      throw new ModelgateError('E_DATASET_CLASS_EMPTY', `The class folder ${JSON.stringify(dir)} has no .png/.jpg/.jpeg images.`, { file: dir, value: name })
    }
    for (const file of files) samples.push({ file, label })
  })
  return { root, classes, samples }
}
