import type { Migration } from 'kysely'
import { coreMigration } from './0001-core.ts'
import { authMigration } from './0002-auth.ts'
import { aggregateCellsMigration } from './0003-aggregate-cells.ts'
import { symposiumSheetsMigration } from './0004-symposium-sheets.ts'
import { communityActivityMigration } from './0005-community-activity.ts'
import { workerCellsMigration } from './0006-worker-cells.ts'
import { enrolmentCodesMigration } from './0007-enrolment-codes.ts'
import { visitsMigration } from './0008-visits.ts'
import { paperSerialMigration } from './0009-paper-serial.ts'
import { ledgerMigration } from './0010-ledger.ts'
import { auditLogMigration } from './0011-audit-log.ts'
import { signedHeadsMigration } from './0012-signed-heads.ts'
import { retentionMigration } from './0013-retention.ts'
import { networkWindowsMigration } from './0014-network-windows.ts'

/** Ordered by name; forward-only. Add a new numbered file for every change of a persisted shape. */
export const migrations: Record<string, Migration> = {
  '0001-core': coreMigration,
  '0002-auth': authMigration,
  '0003-aggregate-cells': aggregateCellsMigration,
  '0004-symposium-sheets': symposiumSheetsMigration,
  '0005-community-activity': communityActivityMigration,
  '0006-worker-cells': workerCellsMigration,
  '0007-enrolment-codes': enrolmentCodesMigration,
  '0009-paper-serial': paperSerialMigration,
  '0008-visits': visitsMigration,
  '0010-ledger': ledgerMigration,
  '0011-audit-log': auditLogMigration,
  '0012-signed-heads': signedHeadsMigration,
  '0013-retention': retentionMigration,
  '0014-network-windows': networkWindowsMigration,
}
