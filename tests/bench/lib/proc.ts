import { readFileSync } from 'node:fs'

/** CPU seconds (user + system) the process has used: a figure less sensitive to other load on the machine than wall time. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  // utime and stime are fields 14 and 15 of stat(5), i.e. 11 and 12 after the command name.
  return (Number(fields[11]) + Number(fields[12])) / 100
}
