/**
 * Pairs of numbers — a piece's offset and length, a message's start and end — in one typed list grown by doubling:
 * what the wire scanner and the decoder collect per field of a large model.
 */
import { keepHiddenClass } from '../_hidden-classes.js'

/**
 * Pair i is `at[2i]`, `at[2i + 1]`; pairs `[0, count)` are in use, and setting `count` cuts the list back without
 * dropping its storage (an array cut back by setting its length drops it; pushing onto arrays of tens of thousands
 * of numbers, two at a time, showed in the profile of a 50,000-node graph). Float64: offsets may pass 2^31.
 */
export class PairList {
  at = new Float64Array(2048)
  count = 0

  push(first: number, second: number): void {
    if (2 * this.count === this.at.length) {
      const grown = new Float64Array(this.at.length * 2)
      grown.set(this.at)
      this.at = grown
    }
    this.at[2 * this.count] = first
    this.at[2 * this.count + 1] = second
    this.count++
  }
}
keepHiddenClass(() => new PairList())
