import { test } from 'vitest'
import { optionKeys } from '../../src/_options.js'

interface ExampleOptions {
  readonly threshold?: number
  readonly name: string
}

test('a key list must name every option of its type, and nothing else', () => {
  optionKeys<ExampleOptions>({ threshold: true, name: true })
  // @ts-expect-error an option added to the type but not to the list does not compile
  optionKeys<ExampleOptions>({ name: true })
  // @ts-expect-error a key that is not an option (a typo in the list itself) does not compile
  optionKeys<ExampleOptions>({ threshold: true, name: true, treshold: true })
})
