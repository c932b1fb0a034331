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
  /**
   * Where the server's keys live, outside the database (`services/keys.ts`): the Ed25519 key that signs
   * the evidence chain heads and the secret of the keyed hashes. Created on first start; every instance
   * on one database must use the same files. Relative paths are from the working directory.
   */
  KEY_DIR: z.string().min(1).default('data/keys'),
  /** Public origin used in QR links and the Origin check, e.g. https://minyi.example.org */
  PUBLIC_URL: z.string().url().optional(),
  CLIENT_DIST: z.string().default(fileURLToPath(new URL('../../client/dist', import.meta.url))),
  LOG_LEVEL: z.enum(['silent', 'info', 'debug']).default('info'),
  /**
   * Anonymous requests per client IP per window on the public routes (sync, link lookups); 0 turns the
   * limit off. Generous by default: a whole symposium hall or a block of flats may share one carrier NAT.
   */
  RATE_LIMIT_ANON: z.coerce.number().int().min(0).default(1200),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().positive().default(60),
  /**
   * Failed staff logins per client IP per 15 minutes over all login names (sliding window); 0 turns it
   * off. Each login costs a scrypt, so a flood from one address must stop early; successful logins do
   * not count, so a training room behind one address can sign everyone in.
   */
  LOGIN_RATE_LIMIT_ADDRESS: z.coerce.number().int().min(0).default(30),
  /** Behind a reverse proxy, take the client IP from X-Forwarded-For (only then: it is forgeable otherwise). */
  TRUST_PROXY: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
  /** How long a staff login (cookie or bearer token) lasts; workers collect offline for up to 30 days. */
  SESSION_TTL_DAYS: z.coerce.number().positive().max(365).default(30),
  /** Connections in the PostgreSQL pool of this instance. */
  PG_POOL_SIZE: z.coerce.number().int().positive().default(10),
})

export type Env = z.infer<typeof EnvSchema> & { demo: boolean }

export function loadEnv(source: Record<string, string | undefined> = process.env, argv: string[] = process.argv): Env {
  return { ...EnvSchema.parse(source), demo: !argv.includes('--no-demo') }
}
