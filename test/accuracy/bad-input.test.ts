import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { evaluateModel, type DatasetSpec, type EvaluateOptions } from '../../src/accuracy/index.js'
import { isModelgateError } from '../../src/index.js'
import { classColour, colourClassifier, constantDetector, colourSegmenter, identityClassifier, maskPng, pngBytes, put, workDir } from './helpers.js'

const work = workDir('acc-bad')
afterAll(work.remove)
const model3 = colourClassifier(join(work.dir, 'colour3.onnx'))
const DATA = join(import.meta.dirname, 'data')

/** The error an evaluation throws: its code, file and message. */
async function failure(model: string, dataset: DatasetSpec | string, options: EvaluateOptions = {}): Promise<{ code: string; file: string | undefined; message: string }> {
  try {
    await evaluateModel(model, dataset, { progress: false, ...options })
  } catch (error) {
    if (!isModelgateError(error)) throw error
    return { code: error.code, file: error.file, message: error.message }
  }
  throw new Error('the evaluation did not fail')
}

function imageFolder(name: string, classes: Readonly<Record<string, number>>): string {
  const root = join(work.dir, name)
  for (const [cls, n] of Object.entries(classes)) {
    mkdirSync(join(root, cls), { recursive: true })
    for (let i = 0; i < n; i++) put(join(root, cls, `${i}.png`), pngBytes(8, 8, () => classColour(Object.keys(classes).indexOf(cls), i)))
  }
  return root
}

describe('bad data is a ModelgateError with a stable code naming the file', () => {
  it('refuses an empty folder: E_DATASET_EMPTY', async () => {
    const root = join(work.dir, 'empty')
    mkdirSync(root)
    const e = await failure(model3, root)
    expect(e.code).toBe('E_DATASET_EMPTY')
    expect(e.file).toBe(root)
    expect(e.message).toContain(root)
  })

  it('says so when the images lie directly in the root, without class folders', async () => {
    const root = join(work.dir, 'flat')
    put(join(root, 'a.png'), pngBytes(8, 8, () => [1, 2, 3]))
    expect((await failure(model3, root)).message).toContain('1 image(s) directly')
  })

  it('refuses a class folder without images: E_DATASET_CLASS_EMPTY', async () => {
    const root = imageFolder('class-empty', { a: 2, b: 0, c: 2 })
    put(join(root, 'b', 'notes.txt'), 'not an image')
    const e = await failure(model3, root)
    expect(e.code).toBe('E_DATASET_CLASS_EMPTY')
    expect(e.file).toBe(join(root, 'b'))
    expect(e.message).toContain(join(root, 'b'))
  })

  for (const decoder of ['sharp', 'pure-js'] as const) {
    it(`refuses a truncated PNG and a JPEG that is not one, through ${decoder}: E_IMAGE_DECODE`, async () => {
      const root = imageFolder(`corrupt-${decoder}`, { a: 2, b: 2, c: 2 })
      const good = pngBytes(8, 8, () => classColour(1))
      const truncated = put(join(root, 'b', '1.png'), good.subarray(0, good.length - 30))
      const e = await failure(model3, root, { decoder })
      expect(e).toMatchObject({ code: 'E_IMAGE_DECODE', file: truncated })
      expect(e.message).toContain(truncated)
      put(truncated, good)
      const fake = put(join(root, 'c', 'photo.jpg'), 'GIF89a this is no JPEG')
      expect(await failure(model3, root, { decoder })).toMatchObject({ code: 'E_IMAGE_DECODE', file: fake })
    })
  }

  it('refuses a label out of range in a tensor set: E_LABEL_RANGE naming labels.npy', async () => {
    const model = identityClassifier(join(work.dir, 'identity.onnx'))
    const e = await failure(model, join(DATA, 'bad-labels'))
    expect(e.code).toBe('E_LABEL_RANGE')
    expect(e.file).toBe(join(DATA, 'bad-labels', 'labels.npy'))
    expect(e.message).toContain('Label 4')
    expect(e.message).toContain('is 7, outside [0, 3)')
  })

  it('refuses a box label out of range in a detection set: E_LABEL_RANGE naming annotations.json', async () => {
    const root = join(work.dir, 'det-bad')
    put(join(root, 'images', 'a.png'), pngBytes(16, 16, () => [9, 9, 9]))
    const file = put(join(root, 'annotations.json'), JSON.stringify({ classes: ['car', 'tree'], images: [{ file: 'images/a.png', objects: [{ box: [0, 0, 4, 4], label: 5 }] }] }))
    const e = await failure(constantDetector(join(work.dir, 'det.onnx'), [[0, 0, 4, 4, 0.9, 0]]), root)
    expect(e).toMatchObject({ code: 'E_LABEL_RANGE', file })
    expect(e.message).toContain('images[0].objects[0]')
  })

  it('refuses a mask value that is neither a class nor the ignore index: E_LABEL_RANGE naming the mask', async () => {
    const root = join(work.dir, 'seg-bad')
    put(join(root, 'images', 'a.png'), pngBytes(8, 8, () => classColour(0)))
    const mask = put(join(root, 'masks', 'a.png'), maskPng(8, 8, (x) => (x === 3 ? 9 : 0)))
    const e = await failure(colourSegmenter(join(work.dir, 'seg.onnx')), root)
    expect(e).toMatchObject({ code: 'E_LABEL_RANGE', file: mask })
  })

  it('refuses a model whose output does not fit the number of classes: E_MODEL_OUTPUT naming the model', async () => {
    const root = imageFolder('three', { a: 1, b: 1, c: 1 })
    const wide = colourClassifier(join(work.dir, 'colour10.onnx'), { classes: 10 })
    const e = await failure(wide, root)
    expect(e.code).toBe('E_MODEL_OUTPUT')
    expect(e.file).toBe(wide)
    expect(e.message).toContain('has dims [N, 10]: 10 score(s) per sample, but the data set has 3 classes ([N, 3] expected)')
  })

  it('refuses it also when the model does not declare its output shape (the engine infers it): E_MODEL_OUTPUT', async () => {
    const root = imageFolder('three-b', { a: 1, b: 1, c: 1 })
    const path = colourClassifier(join(work.dir, 'colour5.onnx'), { classes: 5, undeclaredOutput: true })
    const e = await failure(path, root)
    expect(e.code).toBe('E_MODEL_OUTPUT')
    expect(e.message).toContain('has dims [N, 5]: 5 score(s) per sample')
  })

  it('refuses a data set path that does not exist: E_FILE_NOT_FOUND', async () => {
    expect((await failure(model3, join(work.dir, 'nowhere'))).code).toBe('E_FILE_NOT_FOUND')
  })

  it('refuses an RGB mask: E_DATASET_FORMAT', async () => {
    const root = join(work.dir, 'seg-rgb')
    put(join(root, 'images', 'a.png'), pngBytes(8, 8, () => classColour(0)))
    const mask = put(join(root, 'masks', 'a.png'), pngBytes(8, 8, () => [0, 0, 0]))
    expect(await failure(colourSegmenter(join(work.dir, 'seg2.onnx')), root)).toMatchObject({ code: 'E_DATASET_FORMAT', file: mask })
  })
})
