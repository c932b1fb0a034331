import { Id, Instant, Role } from './common.ts'
import { z } from './zod.ts'

export const StaffUser = z.object({
  id: Id,
  name: z.string().min(1).max(100),
  login: z.string().min(1).max(64),
  phone: z.string().max(32).nullable(),
  role: Role,
  /** Communities a worker may collect in (empty for evaluators and admins). */
  communityIds: z.array(Id),
  disabled: z.boolean().default(false),
})
export type StaffUser = z.infer<typeof StaffUser>

export const StaffUserInput = z.object({
  name: z.string().min(1).max(100),
  login: z.string().regex(/^[a-zA-Z0-9_.-]{1,64}$/),
  phone: z.string().max(32).nullable().default(null),
  role: Role,
  communityIds: z.array(Id).default([]),
  password: z.string().min(8).max(200),
})
export type StaffUserInput = z.input<typeof StaffUserInput>

/** `POST /api/v1/auth/login` */
export const LoginRequest = z.object({ login: z.string().min(1).max(64), password: z.string().min(1).max(200) })
export type LoginRequest = z.infer<typeof LoginRequest>
export const LoginResponse = z.object({
  token: z.string(),
  expiresAt: Instant,
  user: z.object({ id: Id, role: Role, name: z.string().optional(), communityIds: z.array(Id).optional() }),
})
export type LoginResponse = z.infer<typeof LoginResponse>

/**
 * `POST /api/v1/staff/:id/enrolment` (admin): a one-time code for a worker's phone, valid 24 hours,
 * shown in the console as a QR code of `url` (the code rides in the URL fragment, which browsers never
 * send to a server or put in a Referer). Shown once; only its hash is kept.
 */
export const ENROLMENT_TTL_HOURS = 24
export const EnrolmentCode = z.object({ code: z.string(), url: z.string(), expiresAt: Instant })
export type EnrolmentCode = z.infer<typeof EnrolmentCode>

/** `POST /api/v1/auth/enrol`: the worker app trades an enrolment code for a bearer session (answer: LoginResponse). */
export const EnrolRequest = z.object({ code: z.string().min(16).max(128) })
export type EnrolRequest = z.infer<typeof EnrolRequest>

/** A device as the server knows it (C2: evaluators see devices still holding unsent data). */
export const Device = z.object({
  id: z.string().min(8).max(64),
  appVersion: z.string().max(64),
  lastSeenAt: Instant,
  outboxSize: z.number().int().min(0),
  userId: Id.nullable(),
})
export type Device = z.infer<typeof Device>

/** Read-only API tokens for statistics pulls. */
export const ApiTokenInput = z.object({ name: z.string().min(1).max(100) })

/** `PATCH /api/v1/staff/:id`: any subset. `disabled: true` also revokes every session of the user. */
export const StaffUserUpdate = z
  .object({
    name: z.string().min(1).max(100),
    phone: z.string().max(32).nullable(),
    role: Role,
    communityIds: z.array(Id),
    disabled: z.boolean(),
  })
  .partial()
export type StaffUserUpdate = z.infer<typeof StaffUserUpdate>

/** `POST /api/v1/staff/:id/sessions/revoke`: how many live sessions were ended. */
export const SessionsRevoked = z.object({ revoked: z.number().int().min(0) })
export type SessionsRevoked = z.infer<typeof SessionsRevoked>

/** `POST /api/v1/staff/:id/password`: an admin sets a new password; the user's sessions are revoked. */
export const PasswordReset = z.object({ password: z.string().min(8).max(200) })
export type PasswordReset = z.infer<typeof PasswordReset>

/** A session's id: the sha256 (hex) of its token, never the token itself. */
export const SessionId = z.string().regex(/^[0-9a-f]{64}$/, 'expected a session id')

/** A live login session, as an admin sees it before revoking one (a lost phone). */
export const StaffSession = z.object({
  id: SessionId,
  kind: z.enum(['cookie', 'bearer']),
  createdAt: Instant,
  expiresAt: Instant,
  lastUsedAt: Instant.nullable(),
  userAgent: z.string().nullable(),
})
export type StaffSession = z.infer<typeof StaffSession>

/** `GET /api/v1/auth/me` */
export const MeResponse = z.object({
  user: StaffUser,
  session: z.object({ id: z.string(), via: z.enum(['cookie', 'bearer']), expiresAt: Instant }),
})
export type MeResponse = z.infer<typeof MeResponse>

/** A read-only API token as listed (never its secret). */
export const ApiToken = z.object({
  id: Id,
  name: z.string(),
  createdBy: Id,
  createdAt: Instant,
  revokedAt: Instant.nullable(),
  lastUsedAt: Instant.nullable(),
})
export type ApiToken = z.infer<typeof ApiToken>
/** `POST /api/v1/tokens` answer: the only time the secret is shown. */
export const ApiTokenCreated = ApiToken.extend({ token: z.string() })
export type ApiTokenCreated = z.infer<typeof ApiTokenCreated>
