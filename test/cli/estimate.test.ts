import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, test } from 'vitest'
import type { CliIo } from '../../src/cli/io.js'
import { runCli } from '../../src/cli/run.js'

const ROOT = resolve(import.meta.dirname, '../..')
const CONV = 'fixtures/conv/model.onnx'

async function modelgate(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' }
  const io: CliIo = { stdout: { write: (s: string) => (out.stdout += s) }, stderr: { write: (s: string) => (out.stderr += s) }, cwd: ROOT, env: {} }
  const code = await runCli(argv, io)
  return { code, ...out }
}

describe('modelgate estimate', () => {
  test('prints an estimate headed as such, with the profile and the dominating nodes', async () => {
    const { code, stdout } = await modelgate('estimate', CONV, '--device', 'raspberry-pi-5')
    expect(code).toBe(0)
    expect(stdout).toMatch(/^fixtures\/conv\/model\.onnx on raspberry-pi-5 — ESTIMATED \(roofline, not a measurement\)\n/)
    expect(stdout).toContain('Raspberry Pi 5 (BCM2712)')
    expect(stdout).toMatch(/dominating nodes:\n .* Conv conv/)
    expect(stdout).toContain('It ignores operator fusion')
  })

  test('--json is one document whose latency matches the library, and --profile reads a profile file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'modelgate-profile-'))
    try {
      // 1 FLOP/ns and 1 byte/ns, no overheads: the estimate equals the slow-device sum in the matcher test.
      const file = join(dir, 'p.json')
      writeFileSync(file, JSON.stringify({ id: 'slow', name: 'slow', peakFlops: { float32: 1e9 }, cores: 1, memoryBandwidth: 1e9, nodeOverheadUs: 0, runOverheadUs: 0 }))
      const { code, stdout } = await modelgate('estimate', CONV, '--profile', file, '--json')
      expect(code).toBe(0)
      const e = JSON.parse(stdout) as { kind: string; profile: { id: string }; latencyMs: number }
      expect(e).toMatchObject({ kind: 'estimated', profile: { id: 'slow' } })
      expect(e.latencyMs).toBeGreaterThan(0.0276)
      writeFileSync(file, JSON.stringify({ id: 'bad', name: 'bad', peakFlops: { float32: -1 }, cores: 1, memoryBandwidth: 1e9, nodeOverheadUs: 0, runOverheadUs: 0 }))
      const bad = await modelgate('estimate', CONV, '--profile', file)
      expect(bad.code).toBe(1)
      expect(bad.stderr).toMatch(/^modelgate: E_DEVICE_PROFILE: Device profile "bad": peakFlops.float32 must be a positive finite number, got -1/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('an unknown device lists the known ones; --device and --profile together are a usage error', async () => {
    const unknown = await modelgate('estimate', CONV, '--device', 'pi-6')
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('known: raspberry-pi-5, jetson-orin-nano, phone-big-core, apple-m2, this-machine')
    expect((await modelgate('estimate', CONV)).code).toBe(2)
  })

  test('--list-devices prints every built-in profile with its sources', async () => {
    const { code, stdout } = await modelgate('estimate', '--list-devices')
    expect(code).toBe(0)
    for (const id of ['raspberry-pi-5', 'jetson-orin-nano', 'phone-big-core', 'apple-m2', 'this-machine']) expect(stdout).toContain(`${id}:`)
    expect(stdout).toContain('memoryBandwidth: Jetson Orin Nano series data sheet')
  })
})
