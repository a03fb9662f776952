import Fluent
import SQLKit

/// Enrollment (domain.md §7): the contracts table holds an application, then its offer, then the
/// contract; the waiting lists; and the answers remembered for `Idempotency-Key`. A partial unique index
/// keeps one live application or contract per child and module even when two requests race.
struct M0010_CreateEnrollment: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("contracts")
            .id()
            .field("region_code", .string, .required, .references("regions", "code"))
            .field("municipality_id", .uuid, .required, .references("municipalities", "id"))
            .field("provider_id", .uuid, .required, .references("providers", "id"))
            .field("program_id", .uuid, .required, .references("programs", "id"))
            .field("module_id", .uuid, .required, .references("program_modules", "id"))
            .field("group_id", .uuid, .required, .references("program_groups", "id"))
            .field("child_id", .uuid, .required, .references("children", "id"))
            .field("family_id", .uuid, .required, .references("users", "id"))
            .field("certificate_id", .uuid, .required, .references("certificates", "id"))
            .field("period_id", .uuid, .required, .references("periods", "id"))
            .field("funding", .string, .required)
            .field("status", .string, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string, .required)
            .field("planned_ends_on", .string, .required)
            .field("full_amount", .int64, .required)
            .field("certificate_amount", .int64, .required)
            .field("parent_amount", .int64, .required)
            .field("months", .string, .required)
            .field("reason", .string)
            .field("answer_due", .datetime)
            .field("from_waitlist", .bool, .required)
            .field("created_at", .datetime, .required)
            .field("offered_at", .datetime)
            .field("activated_at", .datetime)
            .field("notice_at", .datetime)
            .field("notice_by", .string)
            .field("closed_at", .datetime)
            .check("ck_contracts_status",
                   "status IN ('applied', 'offered', 'active', 'terminating', 'terminated', 'rejected', 'withdrawn', 'expired')")
            .check("ck_contracts_funding", "funding IN ('certificate', 'free', 'paid')")
            .check("ck_contracts_amounts",
                   "full_amount >= 0 AND certificate_amount >= 0 AND parent_amount >= 0 AND certificate_amount + parent_amount = full_amount")
            .check("ck_contracts_dates", "length(starts_on) = 10 AND length(ends_on) = 10 AND starts_on <= planned_ends_on")
            .create()
        try await db.sql.raw("""
            CREATE UNIQUE INDEX ux_contracts_live_module ON contracts (child_id, module_id)
            WHERE status IN ('applied', 'offered', 'active', 'terminating')
            """).run()
        try await db.createIndex("ix_contracts_group", on: "contracts", "group_id", "status")
        try await db.createIndex("ix_contracts_family", on: "contracts", "family_id")
        try await db.createIndex("ix_contracts_provider", on: "contracts", "provider_id", "status")
        try await db.createIndex("ix_contracts_municipality", on: "contracts", "municipality_id", "status")
        try await db.createIndex("ix_contracts_due", on: "contracts", "status", "answer_due")

        // Every instance re-reads the free places of groups changed in the last seconds.
        try await db.createIndex("ix_groups_updated", on: "program_groups", "updated_at")

        try await db.schema("waitlist_entries")
            .id()
            .field("group_id", .uuid, .required, .references("program_groups", "id"))
            .field("region_code", .string, .required)
            .field("municipality_id", .uuid, .required)
            .field("provider_id", .uuid, .required)
            .field("child_id", .uuid, .required, .references("children", "id"))
            .field("family_id", .uuid, .required, .references("users", "id"))
            .field("starts_on", .string, .required)
            .field("status", .string, .required)
            .field("contract_id", .uuid)
            .field("reason", .string)
            .field("seq", .int64, .required)
            .field("created_at", .datetime, .required)
            .check("ck_waitlist_status", "status IN ('waiting', 'offered', 'enrolled', 'left', 'dropped')")
            .create()
        try await db.sql.raw("""
            CREATE UNIQUE INDEX ux_waitlist_live ON waitlist_entries (group_id, child_id) WHERE status IN ('waiting', 'offered')
            """).run()
        try await db.createIndex("ix_waitlist_group", on: "waitlist_entries", "group_id", "status", "seq")

        try await db.schema("idempotency_keys")
            .field("user_id", .uuid, .required)
            .field("key", .string, .required)
            .field("method", .string, .required)
            .field("path", .string, .required)
            .field("request_hash", .string, .required)
            .field("status", .int)
            .field("content_type", .string)
            .field("body", .data)
            .field("created_at", .datetime, .required)
            .unique(on: "user_id", "key")
            .create()
        try await db.createIndex("ix_idempotency_created", on: "idempotency_keys", "created_at")
    }

    func revert(on db: any Database) async throws {
        for t in ["idempotency_keys", "waitlist_entries", "contracts"] {
            try await db.schema(t).delete()
        }
    }
}
