import { Hono } from 'hono'
import { openApiDocument } from '../services/openapi.ts'

/** `GET /api/v1/openapi.json`: public, like any API description. */
export const openApiRoutes = new Hono().get('/', (c) => c.json(openApiDocument(), 200))
