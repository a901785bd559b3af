import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureSceneDataset, ensureSceneModels, type SceneDataset, type SceneModels } from '../../fixtures/accuracy/index.js'
import { ACCURACY_MATCHERS } from '../../src/matchers/accuracy.js'
import { classColour, colourSegmenter, constantDetector, maskPng, pngBytes, put, workDir } from './helpers.js'

expect.extend(ACCURACY_MATCHERS)

let data: SceneDataset
let models: SceneModels
let png: string
const work = workDir('acc-matchers')
afterAll(work.remove)

beforeAll(() => {
  data = ensureSceneDataset()
  models = ensureSceneModels()
  png = relative(process.cwd(), data.png)
})

/** A failure message with the measured figures (which vary run to run) replaced by placeholders. */
function normalize(message: string): string {
  return message
    .replace(/\x1b\[\d+m/g, '')
    .replace(/ran [\d.]+× faster/g, 'ran S× faster')
    .replace(/median [\d.]+ (µs|ms) vs [\d.]+ (µs|ms)/g, 'median A vs B')
    .replace(/95 % CI [\d.]+–[\d.]+×, \d+ interleaved rounds/g, '95 % CI L–H×, R interleaved rounds')
    .replace(/decoder (sharp@\S+ \(libvips [^)]*\)|pngjs@\S+ \+ jpeg-js@\S+)/g, 'decoder D')
}

async function failureOf(assertion: Promise<unknown>): Promise<string> {
  try {
    await assertion
  } catch (error) {
    return normalize((error as Error).message)
  }
  throw new Error('the assertion passed')
}

describe('toHaveAccuracyAbove', () => {
  it('passes when the top-1 accuracy reaches the threshold, and says by how much it misses otherwise', async () => {
    await expect(models.light).toHaveAccuracyAbove(0.99, { dataset: png })
    expect(await failureOf(expect(models.light).toHaveAccuracyAbove(0.995, { dataset: png }))).toContain(
      'reached 99.14 % top-1 accuracy on 350/350 samples of',
    )
    expect(await failureOf(expect(models.light).toHaveAccuracyAbove(0.995, { dataset: png }))).toContain('below the required 99.5 % by 0.357 points.')
  })

  it('holds top-5 when asked, and reads .not', async () => {
    await expect(models.light).toHaveAccuracyAbove(0.997, { dataset: png, topK: 5 })
    await expect(models.light).not.toHaveAccuracyAbove(0.9972, { dataset: png, topK: 5 })
    expect(await failureOf(expect(models.heavy).not.toHaveAccuracyAbove(0.925, { dataset: png }))).toContain('at least the required 92.5 %; expected less than that.')
  })

  it('refuses a call without a data set, and a detection set: E_GATE_OPTION', async () => {
    expect(() => expect(models.light).toHaveAccuracyAbove(0.9, {} as never)).toThrow(expect.objectContaining({ code: 'E_GATE_OPTION' }))
    const det = join(work.dir, 'det')
    put(join(det, 'a.png'), pngBytes(16, 16, () => [1, 1, 1]))
    put(join(det, 'annotations.json'), JSON.stringify({ classes: ['x'], images: [{ file: 'a.png', objects: [] }] }))
    await expect(expect(models.light).toHaveAccuracyAbove(0.9, { dataset: det })).rejects.toMatchObject({ code: 'E_GATE_OPTION' })
  })
})

describe('toBeBetterTradeoffThan', () => {
  const bounds = { maxAccuracyDrop: 0.01, minSpeedup: 3, time: 400 }

  it('passes for the light model against the heavy one: 0.857 points lost (≤ 1), ≥ 3× faster', async () => {
    await expect(models.light).toBeBetterTradeoffThan(models.heavy, { dataset: png, ...bounds })
  })

  it('fails with both figures when the accuracy drop exceeds its bound', async () => {
    const message = await failureOf(expect(models.light).toBeBetterTradeoffThan(models.heavy, { dataset: png, ...bounds, maxAccuracyDrop: 0.005 }))
    expect(message.split('\n').slice(2).join('\n')).toMatchInlineSnapshot(`
      "fixtures/.cache/accuracy/models-v1/scene-light.onnx reached 99.14 % top-1 accuracy against 100 % for fixtures/.cache/accuracy/models-v1/scene-heavy.onnx (350/350 samples of fixtures/.cache/accuracy/scenes-v1/png, decoder D): a drop of 0.857 points, over the allowed 0.5 points;
      it ran S× faster (median A vs B, 95 % CI L–H×, R interleaved rounds), at least the required 3×.
      The trade-off misses the accuracy bound."
    `)
  })

  it('fails with both figures when the speed-up misses its bound', async () => {
    const message = await failureOf(expect(models.light).toBeBetterTradeoffThan(models.heavy, { dataset: png, ...bounds, minSpeedup: 10_000 }))
    expect(message).toContain('a drop of 0.857 points, within the allowed 1 point;')
    expect(message).toContain('below the required 10000×.\nThe trade-off misses the speed-up bound.')
  })

  it('fails under .not when both bounds hold, and refuses a negative drop bound', async () => {
    expect(await failureOf(expect(models.light).not.toBeBetterTradeoffThan(models.heavy, { dataset: png, ...bounds }))).toContain('Expected the trade-off to miss a bound.')
    expect(() => expect(models.light).toBeBetterTradeoffThan(models.heavy, { dataset: png, maxAccuracyDrop: -1, minSpeedup: 2 })).toThrow(/maxAccuracyDrop must be a number ≥ 0/)
  })
})

describe('toHaveMapAbove and toHaveMiouAbove', () => {
  it('hold detection mAP (COCO or @0.5) and segmentation mIoU to a threshold', async () => {
    const det = join(work.dir, 'det2')
    put(join(det, 'images', 'a.png'), pngBytes(32, 32, () => [40, 40, 40]))
    put(join(det, 'annotations.json'), JSON.stringify({ classes: ['car'], images: [{ file: 'images/a.png', objects: [{ box: [0, 0, 16, 12], label: 0 }] }] }))
    // the detection [0,0,16,16] (×2 from 8×8 input px) has IoU 0.75 with the object: a hit up to the 0.75 threshold → AP 6/10
    const detector = constantDetector(join(work.dir, 'det.onnx'), [[0, 0, 8, 8, 0.9, 0]])
    await expect(detector).toHaveMapAbove(0.59, { dataset: det, decoder: 'pure-js' })
    await expect(detector).not.toHaveMapAbove(0.61, { dataset: det, decoder: 'pure-js' })
    await expect(detector).toHaveMapAbove(0.99, { dataset: det, decoder: 'pure-js', iou: 0.5 })

    const seg = join(work.dir, 'seg')
    put(join(seg, 'images', 'a.png'), pngBytes(8, 8, (x) => classColour(x < 4 ? 0 : 2)))
    put(join(seg, 'masks', 'a.png'), maskPng(8, 8, (x) => (x < 4 ? 0 : 2)))
    const segmenter = colourSegmenter(join(work.dir, 'seg.onnx'))
    await expect(segmenter).toHaveMiouAbove(0.99, { dataset: seg, decoder: 'pure-js' })
    expect(await failureOf(expect(segmenter).not.toHaveMiouAbove(0.5, { dataset: seg, decoder: 'pure-js' }))).toContain('reached 100 % mIoU on 1/1 samples')
  })
})
