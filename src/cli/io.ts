/**
 * What a CLI command gets instead of the global process: streams, working directory, environment.
 * Tests inject their own to capture output.
 */
export interface CliIo {
  readonly stdout: { write(chunk: string): unknown; readonly isTTY?: boolean }
  readonly stderr: { write(chunk: string): unknown }
  readonly cwd: string
  readonly env: Readonly<Record<string, string | undefined>>
}
