import Fluent
import SQLKit

/// Group commit of applications on PostgreSQL. This migration used to create `navigator_apply_batch`; the database
/// functions are code now (`Database/Functions/NavigatorApplyBatch.swift`), installed or replaced after the
/// migrations whenever their text changes (`DatabaseFunctions.install`). Kept, empty, so that the list of applied
/// migrations stays the same on existing databases.
struct M0013_ApplyBatch: AsyncMigration {
    func prepare(on db: any Database) async throws {}

    func revert(on db: any Database) async throws {
        guard db.sql.dialect.name == "postgresql" else { return }
        try await db.sql.raw("DROP FUNCTION IF EXISTS navigator_apply_batch").run()
    }
}
