import { z } from 'zod'
import { Id, Instant, Role } from './common.ts'

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
