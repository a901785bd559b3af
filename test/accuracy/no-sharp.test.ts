import { describe, expect, it, vi } from 'vitest'
import { loadImageDecoder } from '../../src/accuracy/index.js'

// As on a machine where the optional peer sharp is not installed.
vi.mock('sharp', () => {
  throw new Error("Cannot find package 'sharp'")
})

describe('without sharp', () => {
  it('falls back to the pure-JS decoder on auto, and records it', async () => {
    expect((await loadImageDecoder('auto')).info.name).toBe('pure-js')
  })

  it('refuses an explicit sharp: E_DECODER_MISSING', async () => {
    await expect(loadImageDecoder('sharp')).rejects.toMatchObject({ code: 'E_DECODER_MISSING' })
  })
})
