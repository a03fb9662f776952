import Fluent
import Foundation
import SQLKit

/// Agreements between a municipality and a provider (domain §7: an application needs one for a program paid
/// from the certificate), and the links of the prolongation at the period rollover: a contract prolonged for
/// the next period names its predecessor (`previous_id`, at most one successor each), and `prolongation`
/// records what the parent was told or decided (`notified`, `declined`) and what the rollover did (`done`,
/// `skipped`).
///
/// A database that already has providers keeps working as before: every approved provider gets an agreement
/// with every municipality of its region (until now every approved provider counted as having one).
struct M0012_AgreementsAndProlongation: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("agreements")
            .id()
            .field("region_code", .string, .required, .references("regions", "code"))
            .field("municipality_id", .uuid, .required, .references("municipalities", "id"))
            .field("provider_id", .uuid, .required, .references("providers", "id"))
            .field("status", .string, .required)
            .field("concluded_on", .string, .required)
            .field("terminated_on", .string)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "municipality_id", "provider_id")
            .check("ck_agreements_status", "status IN ('active', 'terminated')")
            .create()
        try await db.createIndex("ix_agreements_provider", on: "agreements", "provider_id")

        // One column per statement: SQLite adds one at a time.
        try await db.schema("contracts").field("previous_id", .uuid).update()
        try await db.schema("contracts").field("prolongation", .string).update()
        // Partial: an application (never prolonged, never active when written) adds no entry to either.
        try await db.sql.raw("CREATE UNIQUE INDEX ux_contracts_previous ON contracts (previous_id) WHERE previous_id IS NOT NULL").run()
        try await db.sql.raw("CREATE INDEX ix_contracts_period ON contracts (period_id, ends_on) WHERE status = 'active'").run()

        struct Pair: Decodable { let provider: UUID; let municipality: UUID; let region: String }
        let pairs = try await db.sql.raw("""
            SELECT p.id AS provider, m.id AS municipality, m.region_code AS region
            FROM providers p JOIN municipalities m ON m.region_code = p.region_code WHERE p.status = 'active'
            """).all(decoding: Pair.self)
        let now = Date()
        let today = String(ISO8601DateFormatter().string(from: now).prefix(10))
        for chunk in stride(from: 0, to: pairs.count, by: 100) {
            let rows = pairs[chunk..<min(chunk + 100, pairs.count)].map { p -> [any SQLExpression] in
                [SQLBind(UUID()), SQLBind(p.region), SQLBind(p.municipality), SQLBind(p.provider), SQLBind("active"),
                 SQLBind(today), SQLBind(now), SQLBind(now)]
            }
            try await db.sql.insert(into: "agreements")
                .columns("id", "region_code", "municipality_id", "provider_id", "status", "concluded_on", "created_at", "updated_at")
                .rows(rows).run()
        }
    }

    func revert(on db: any Database) async throws {
        try await db.sql.drop(index: "ix_contracts_period").run()
        try await db.sql.drop(index: "ux_contracts_previous").run()
        try await db.schema("contracts").deleteField("prolongation").update()
        try await db.schema("contracts").deleteField("previous_id").update()
        try await db.schema("agreements").delete()
    }
}
