import { fileURLToPath } from 'node:url'
import { z } from 'zod'

/** The environment, parsed once. Nothing else in the server reads `process.env`. */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default('0.0.0.0'),
  /** When set (postgres://…), PostgreSQL; otherwise the embedded SQLite file. */
  DATABASE_URL: z.string().optional(),
  SQLITE_PATH: z.string().default('data/minyi.sqlite'),
  ADMIN_PASSWORD: z.string().min(8).optional(),
  /** Public origin used in QR links and the Origin check, e.g. https://minyi.example.org */
  PUBLIC_URL: z.string().url().optional(),
  CLIENT_DIST: z.string().default(fileURLToPath(new URL('../../client/dist', import.meta.url))),
  LOG_LEVEL: z.enum(['silent', 'info', 'debug']).default('info'),
})

export type Env = z.infer<typeof EnvSchema> & { demo: boolean }

export function loadEnv(source: Record<string, string | undefined> = process.env, argv: string[] = process.argv): Env {
  return { ...EnvSchema.parse(source), demo: !argv.includes('--no-demo') }
}
