import type { Db } from '../db/index.ts'
import type { Env } from '../env.ts'

/** What services need from the outside world; tests pass a fixed clock. */
export interface Deps {
  env: Env
  db: Db
  now: () => Date
}
