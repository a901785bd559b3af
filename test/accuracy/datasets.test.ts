import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { onnx } from '../../fixtures/builder/index.js'
import { evaluateModel, loadTensorSet, resolveDatasetSpec, scanImageFolder, type ClassificationEvaluation, type EvaluationResult } from '../../src/accuracy/index.js'
import { readClassOutput } from '../../src/accuracy/outputs.js'
import { naturalCompare } from '../../src/accuracy/tensor-set.js'
import { isModelgateError } from '../../src/index.js'
import { classColour, colourClassifier, identityClassifier, pngBytes, put, workDir } from './helpers.js'

const work = workDir('acc-sets')
afterAll(work.remove)
const DATA = join(import.meta.dirname, 'data')
const identity = identityClassifier(join(work.dir, 'identity.onnx'))
const SAMPLES = [[0.9, 0.05, 0.05], [0.1, 0.8, 0.1], [0.2, 0.1, 0.7], [0.6, 0.3, 0.1], [0.1, 0.2, 0.7], [0.3, 0.4, 0.3]]
const LABELS = [0, 1, 2, 0, 2, 0]

function classification(r: EvaluationResult): ClassificationEvaluation {
  if (r.task !== 'classification') throw new Error(r.task)
  return r
}

/** A TensorProto file of float32 values (raw_data). */
function tensorProto(path: string, dims: readonly number[], values: readonly number[]): string {
  const raw = new Uint8Array(Float32Array.from(values).buffer)
  return put(path, onnx.TensorProto.encode({ name: 'x', dataType: 1, dims: [...dims], rawData: raw }).finish())
}

describe('tensor sets', () => {
  // With logits = x, arg-max predicts [0, 1, 2, 0, 2, 1]: 5 of 6; top-2 6 of 6 (see test/accuracy/data/README.md).
  for (const [what, path] of [
    ['inputs.npy + labels.npy', join(DATA, 'npy-set')],
    ['an .npz written by np.savez (x, y; zip64 local headers)', join(DATA, 'stored.npz')],
    ['an .npz written by np.savez_compressed (float64 inputs, int32 labels)', join(DATA, 'compressed.npz')],
  ] as const) {
    it(`reads ${what} and scores it exactly`, async () => {
      const r = classification(await evaluateModel(identity, path, { topK: [1, 2], progress: false }))
      expect(r.metrics.topK).toEqual({ '1': 5 / 6, '2': 1 })
      expect(r.decoder).toBeNull()
      expect(r.preprocessing).toBeNull()
      expect(r.dataset.kind).toBe('tensors')
    })
  }

  it('reads a folder of TensorProto .pb files in natural order, with labels.json and classes.json', async () => {
    const dir = join(work.dir, 'pb-set')
    // written in an order that plain string sorting would get wrong (input_10 before input_2)
    SAMPLES.forEach((s, i) => tensorProto(join(dir, `input_${i * 5}.pb`), [1, 3], s))
    put(join(dir, 'labels.json'), JSON.stringify(LABELS))
    put(join(dir, 'classes.json'), JSON.stringify(['red', 'green', 'blue']))
    const r = classification(await evaluateModel(identity, dir, { progress: false }))
    expect(r.metrics.top1).toBe(5 / 6)
    expect(r.metrics.perClass.map((c) => [c.name, c.samples, c.correct])).toEqual([['red', 3, 2], ['green', 1, 1], ['blue', 2, 2]])
  })

  it('reads the ONNX test-data layout test_data_set_*/input_0.pb', async () => {
    const dir = join(work.dir, 'onnx-layout')
    SAMPLES.forEach((s, i) => tensorProto(join(dir, `test_data_set_${i}`, 'input_0.pb'), [3], s))
    put(join(dir, 'labels.json'), JSON.stringify(LABELS))
    expect(loadTensorSet(dir).inputs.dims).toEqual([6, 3])
    expect(classification(await evaluateModel(identity, dir, { progress: false })).metrics.top1).toBe(5 / 6)
  })

  it('refuses samples whose dims do not fit the model input: E_RUN_INPUT naming both', async () => {
    const wide = identityClassifier(join(work.dir, 'identity4.onnx'), 4)
    const error: unknown = await evaluateModel(wide, join(DATA, 'npy-set'), { progress: false }).catch((e: unknown) => e)
    expect(isModelgateError(error) && error.code).toBe('E_RUN_INPUT')
    expect((error as Error).message).toContain('have dims [3], but the model input "x" wants [N, 4]')
  })

  it('sorts names naturally', () => {
    expect(['input_10.pb', 'input_2.pb', 'input_1.pb'].sort(naturalCompare)).toEqual(['input_1.pb', 'input_2.pb', 'input_10.pb'])
  })
})

describe('image folders', () => {
  const root = join(work.dir, 'folder')
  // class folders created out of order, one nested, plus files that are not images and a hidden folder
  put(join(root, 'c_blue', 'x.PNG'), pngBytes(8, 8, () => classColour(2)))
  put(join(root, 'a_red', 'deep', 'y.png'), pngBytes(8, 8, () => classColour(0)))
  put(join(root, 'a_red', 'z.png'), pngBytes(8, 8, () => classColour(0, 5)))
  put(join(root, 'b_green', 'w.png'), pngBytes(8, 8, () => classColour(1)))
  put(join(root, 'b_green', 'readme.txt'), 'not an image')
  put(join(root, '.cache', 'junk.png'), pngBytes(8, 8, () => classColour(2)))

  it('numbers the classes in sorted folder order and finds images recursively, any case of extension', () => {
    const index = scanImageFolder(root)
    expect(index.classes).toEqual(['a_red', 'b_green', 'c_blue'])
    expect(index.samples.map((s) => [s.file.slice(root.length + 1), s.label])).toEqual([['a_red/deep/y.png', 0], ['a_red/z.png', 0], ['b_green/w.png', 1], ['c_blue/x.PNG', 2]])
  })

  it('is detected from a plain path and evaluated by colour', async () => {
    expect(resolveDatasetSpec(root).kind).toBe('image-folder')
    const r = classification(await evaluateModel(colourClassifier(join(work.dir, 'colour.onnx')), root, { progress: false, decoder: 'pure-js' }))
    expect(r.accuracy).toBe(1)
    expect(r.input).toEqual({ name: 'input', dtype: 'float32', dims: [32, 3, 8, 8] })
  })

  it('feeds a fixed-batch model in batches of its size, padding the last batch', async () => {
    const fixed = colourClassifier(join(work.dir, 'colour-b3.onnx'), { batch: 3 })
    const r = await evaluateModel(fixed, root, { progress: false, decoder: 'pure-js' })
    expect([r.evaluated, r.batchSize, r.throughput.batches]).toEqual([4, 3, 2])
    expect(classification(r).accuracy).toBe(1)
  })
})

describe('outputs read at run time', () => {
  it('takes one integer label per sample (ai.onnx.ml classifiers) as the prediction', () => {
    const ctx = { model: 'm', file: '/m.onnx' }
    expect(readClassOutput({ data: new BigInt64Array([2n, 0n]), dims: [2], dtype: 'int64' }, 'label', 2, 3, ctx).kind).toBe('labels')
    expect(() => readClassOutput({ data: new Float32Array(10), dims: [2, 5], dtype: 'float32' }, 'out', 2, 3, ctx)).toThrow(/5 score\(s\) per sample, but the data set has 3 classes/)
  })
})
