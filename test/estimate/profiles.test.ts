import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FIXTURES_DIR } from '../../fixtures/build.js'
import { BUILT_IN_PROFILES, calibrateThisMachine, estimateLatency, validateProfile } from '../../src/estimate/index.js'

const good = { id: 'x', name: 'x', peakFlops: { float32: 1e9 }, cores: 1, memoryBandwidth: 1e9, nodeOverheadUs: 1, runOverheadUs: 0, sources: {} }

describe('device profiles', () => {
  it('every built-in profile validates and names a source for each of its numbers', () => {
    expect(BUILT_IN_PROFILES.map((p) => p.id)).toEqual(['raspberry-pi-5', 'jetson-orin-nano', 'phone-big-core', 'apple-m2'])
    for (const p of BUILT_IN_PROFILES) {
      expect(validateProfile(p)).toEqual(p)
      for (const field of ['peakFlops', 'cores', 'memoryBandwidth', 'nodeOverheadUs', 'runOverheadUs']) expect(p.sources[field]?.length ?? 0, `${p.id}.${field}`).toBeGreaterThan(20)
    }
  })

  it('the Raspberry Pi 5 figures follow from its data: 2.4 GHz × 16 FLOP/cycle, 4267 MT/s × 4 bytes', () => {
    const pi = BUILT_IN_PROFILES[0]!
    expect(pi.peakFlops.float32).toBeCloseTo(2.4e9 * 16, -3)
    expect(pi.memoryBandwidth).toBeCloseTo(4267e6 * 4, -7)
  })

  it.each([
    [{ ...good, memoryBandwidth: -1 }, 'memoryBandwidth'],
    [{ ...good, memoryBandwidth: Number.NaN }, 'memoryBandwidth'],
    [{ ...good, peakFlops: { float16: 1e9 } }, 'float32 is required'],
    [{ ...good, peakFlops: { float32: 1e9, fp8: 1 } }, 'peakFlops.fp8'],
    [{ ...good, cores: 1.5 }, 'cores'],
    [{ ...good, nodeOverheadUs: '1' }, 'nodeOverheadUs'],
    [{ ...good, id: '' }, 'id'],
    [null, 'object'],
    [{ ...good, bandwidthCurve: [{ bytes: 2, bytesPerSec: 1 }, { bytes: 1, bytesPerSec: 1 }] }, 'sorted'],
    [{ ...good, bandwidthCurve: [{ bytes: 1, bytesPerSec: 0 }] }, 'bandwidthCurve[0].bytesPerSec'],
  ])('a bad profile is E_DEVICE_PROFILE naming the field (%#)', (profile, field) => {
    expect(() => validateProfile(profile)).toThrow(expect.objectContaining({ code: 'E_DEVICE_PROFILE', message: expect.stringContaining(field) as string }) as Error)
  })

  it('an unknown device id is E_DEVICE_PROFILE listing the known ones', async () => {
    await expect(estimateLatency(join(FIXTURES_DIR, 'conv', 'model.onnx'), { device: 'pi-6' })).rejects.toThrow(/Unknown device "pi-6"; known: raspberry-pi-5, jetson-orin-nano, phone-big-core, apple-m2, this-machine/)
  })

  it('this-machine is measured through the engine once, then read from the cache keyed by threads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelgate-cal-'))
    try {
      const first = await calibrateThisMachine({ cacheDir: dir })
      expect(first.id).toBe('this-machine')
      expect(validateProfile(first)).toEqual(first)
      expect(first.name).toMatch(/onnxruntime-node \d+\.\d+\.\d+ \(cpu\), 1 thread/)
      expect(first.sources.peakFlops).toMatch(/MatMul 256³ .* and 512³/)
      expect(readdirSync(dir)).toHaveLength(1)
      expect(await calibrateThisMachine({ cacheDir: dir })).toEqual(first)
      expect(readdirSync(dir)).toHaveLength(1)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
