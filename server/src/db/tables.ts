import type { AuthTables } from './tables-auth.ts'
import type { CoreTables } from './tables-core.ts'

/** Every table Kysely knows. Each area declares its own tables beside its migration. */
export interface Database extends CoreTables, AuthTables {}
