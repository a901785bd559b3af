import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  HARD_IMAGES, SCENE_CLASSES, SCENE_KNOWN_ACCURACY, SCENE_MODEL_FIGURES, drawScene, encodeSceneJpeg, encodeScenePng, ensureSceneDataset, ensureSceneModels,
  sceneLightModel, type SceneDataset, type SceneModels,
} from '../../fixtures/accuracy/index.js'
import { evaluateModel, loadImageDecoder, type ClassificationEvaluation, type EvaluationResult } from '../../src/accuracy/index.js'
import { analyzeModel } from '../../src/index.js'

let data: SceneDataset
let models: SceneModels

beforeAll(() => {
  data = ensureSceneDataset()
  models = ensureSceneModels()
})

function classification(r: EvaluationResult): ClassificationEvaluation {
  if (r.task !== 'classification') throw new Error(`expected a classification result, got ${r.task}`)
  return r
}

/** The light model's confusion matrix by construction: the hard images go to river-lake, all else is right. */
function lightConfusion(): number[][] {
  return SCENE_CLASSES.map((cls, t) =>
    SCENE_CLASSES.map((_, p) => {
      const hard = HARD_IMAGES.filter(([c]) => c === cls).length
      return p === t ? 50 - hard : p === SCENE_CLASSES.length - 1 ? hard : 0
    }),
  )
}

describe('the scene fixture set', () => {
  it('holds 7 classes × 50 images in a PNG tree and a JPEG tree, 3 of them hard', () => {
    expect(data.images).toHaveLength(350)
    expect(data.images.filter((i) => i.hard).map((i) => i.name)).toEqual(['field-07', 'industry-23', 'parking-41'])
    expect(readFileSync(join(data.png, 'field', 'field-00.png')).subarray(1, 4).toString()).toBe('PNG')
    expect(readFileSync(join(data.jpeg, 'field', 'field-00.jpg'))[0]).toBe(0xff)
  })

  it('is deterministic: the same pixels, files and model bytes on every build', () => {
    const a = drawScene('parking', 41)
    const b = drawScene('parking', 41)
    expect(b).toEqual(a)
    expect(a.image).toMatchObject({ hard: true, phase: Math.PI / 2 })
    expect(encodeScenePng(b.rgb)).toEqual(readFileSync(join(data.png, 'parking', 'parking-41.png')))
    expect(encodeSceneJpeg(b.rgb)).toEqual(readFileSync(join(data.jpeg, 'parking', 'parking-41.jpg')))
    expect(sceneLightModel().toBytes()).toEqual(new Uint8Array(readFileSync(models.light)))
  })

  it('has the params and MACs worked out in the README (checked with the analyzer)', async () => {
    for (const [which, path] of [['heavy', models.heavy], ['light', models.light]] as const) {
      const report = await analyzeModel(path, { dims: { N: 1 } })
      expect(report.params.learnable).toBe(SCENE_MODEL_FIGURES[which].params)
      expect(report.macs).toBe(SCENE_MODEL_FIGURES[which].macs)
    }
  })
})

describe('the scene classifiers reach exactly their known accuracy', () => {
  // PNG is decoded identically by both decoders; JPEG differs by a few levels per pixel, which the texture design
  // keeps far from every decision (scores ≥ 0.32 against biases ≤ 0.1), so the accuracy is exact for JPEG too.
  for (const decoder of ['sharp', 'pure-js'] as const) {
    for (const format of ['png', 'jpeg'] as const) {
      it(`gets ${format.toUpperCase()} images through ${decoder}: heavy 350/350, light 347/350 top-1 and 349/350 top-5`, async () => {
        const root = format === 'png' ? data.png : data.jpeg
        const heavy = classification(await evaluateModel(models.heavy, root, { decoder, progress: false }))
        const light = classification(await evaluateModel(models.light, root, { decoder, progress: false }))
        expect(heavy.decoder?.name).toBe(decoder)
        expect(heavy.metrics.topK).toEqual({ '1': SCENE_KNOWN_ACCURACY.heavy.top1, '5': SCENE_KNOWN_ACCURACY.heavy.top5 })
        expect(light.metrics.topK).toEqual({ '1': SCENE_KNOWN_ACCURACY.light.top1, '5': SCENE_KNOWN_ACCURACY.light.top5 })
        expect(light.accuracy).toBe(347 / 350)
        expect(light.metrics.confusion).toEqual(lightConfusion())
        expect(light.dataset.classes).toEqual([...SCENE_CLASSES])
      })
    }
  }
})

describe('the two decoders', () => {
  it('decode every PNG of the set to identical pixels, and every JPEG within 8 levels', async () => {
    const sharp = await loadImageDecoder('sharp')
    const pure = await loadImageDecoder('pure-js')
    let pngMax = 0
    let jpegMax = 0
    for (const image of data.images) {
      for (const [root, ext] of [[data.png, 'png'], [data.jpeg, 'jpg']] as const) {
        const file = join(root, image.cls, `${image.name}.${ext}`)
        const bytes = readFileSync(file)
        const a = await sharp.decode(bytes, file)
        const b = await pure.decode(bytes, file)
        expect([a.width, a.height]).toEqual([b.width, b.height])
        let max = 0
        for (let i = 0; i < a.data.length; i++) max = Math.max(max, Math.abs(a.data[i]! - b.data[i]!))
        if (ext === 'png') pngMax = Math.max(pngMax, max)
        else jpegMax = Math.max(jpegMax, max)
      }
    }
    expect(pngMax).toBe(0)
    expect(jpegMax).toBeGreaterThan(0)
    expect(jpegMax).toBeLessThanOrEqual(8)
  })

  it('are recorded in the result with their versions', async () => {
    const r = await evaluateModel(models.light, data.png, { decoder: 'pure-js', limit: 7, progress: false })
    expect(r.decoder).toEqual({ name: 'pure-js', versions: { pngjs: expect.any(String), 'jpeg-js': expect.any(String) }, label: expect.stringMatching(/^pngjs@\S+ \+ jpeg-js@\S+$/) })
    const s = await evaluateModel(models.light, data.png, { decoder: 'sharp', limit: 7, progress: false })
    expect(s.decoder?.label).toMatch(/^sharp@\S+ \(libvips \S+\)$/)
  })
})

describe('a partial evaluation', () => {
  it('spreads a limit over the classes (one image of each for a limit of 7) and says it stopped', async () => {
    const r = classification(await evaluateModel(models.light, data.png, { limit: 7, decoder: 'pure-js', progress: false }))
    expect(r.metrics.perClass.map((c) => c.samples)).toEqual([1, 1, 1, 1, 1, 1, 1])
    expect([r.evaluated, r.complete, r.stoppedBy]).toEqual([7, false, 'limit'])
  })

  it('stops starting batches when the time budget is spent, after at least one batch', async () => {
    const r = await evaluateModel(models.light, data.png, { timeBudgetMs: 0, batchSize: 10, decoder: 'pure-js', progress: false })
    expect([r.evaluated, r.complete, r.stoppedBy, r.throughput.batches]).toEqual([10, false, 'time-budget', 1])
    expect(r.throughput.samplesPerSec).toBeGreaterThan(0)
  })
})
