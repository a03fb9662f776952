import Fluent
import SQLKit

/// The enrollment hot path: provider staff are looked up by provider on every application (for the notification of
/// a new application); without an index that reads the whole users table, and every parent is a user.
///
/// This migration also used to create `navigator_apply`; the database functions are code now
/// (`Database/Functions`), installed or replaced after the migrations whenever their text changes.
struct M0011_EnrollmentHotPath: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.sql.create(index: "ix_users_provider").on("users").column("provider_id").run()
    }

    func revert(on db: any Database) async throws {
        if db.sql.dialect.name == "postgresql" {
            try await db.sql.raw("DROP FUNCTION IF EXISTS navigator_apply").run()
        }
        try await db.sql.drop(index: "ix_users_provider").run()
    }
}
