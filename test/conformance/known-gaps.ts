/**
 * Conformance cases modelgate does not match, each with the reason. The conformance test fails on any mismatch
 * not listed here, and on any entry that no longer matches a mismatch (so the list cannot go stale).
 */
export interface KnownGap {
  /** Matches `"<test dir> <tensor>"` or `"<test dir> (<error code>)"`. */
  readonly pattern: RegExp
  readonly reason: string
}

export const KNOWN_GAPS: readonly KnownGap[] = []
