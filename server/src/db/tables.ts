import type { AuthTables } from './tables-auth.ts'
import type { CoreTables } from './tables-core.ts'
import type { LedgerTables } from './tables-ledger.ts'
import type { RetentionTables } from './tables-retention.ts'

/** Every table Kysely knows. Each area declares its own tables beside its migration. */
export interface Database extends CoreTables, AuthTables, LedgerTables, RetentionTables {}
