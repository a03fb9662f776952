import Fluent
import SQLKit

/// The municipal certificate programme (groups, nominals per period, caps), the certificate number
/// counters, and the notifications of the cabinets.
struct M0008_CreateMunicipalProgram: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("certificate_groups")
            .id()
            .field("municipality_id", .uuid, .required, .references("municipalities", "id"))
            .field("name", .string, .required)
            .field("cap_count", .int, .required)
            .field("cap_sum", .int64, .required)
            .field("return_after_days", .int, .required)
            .field("carry_over", .bool, .required)
            .field("prorate", .bool, .required)
            .field("version", .int64, .required)
            .field("created_at", .datetime)
            .unique(on: "municipality_id", "name")
            .check("ck_certificate_groups_caps", "cap_count >= 0 AND cap_sum >= 0")
            .check("ck_certificate_groups_days", "return_after_days BETWEEN 1 AND 365")
            .create()
        try await db.schema("certificate_group_nominals")
            .id()
            .field("group_id", .uuid, .required, .references("certificate_groups", "id"))
            .field("period_id", .uuid, .required, .references("periods", "id"))
            .field("nominal", .int64, .required)
            .unique(on: "group_id", "period_id")
            .check("ck_certificate_group_nominals", "nominal >= 0")
            .create()
        try await db.schema("certificate_numbers")
            .field("municipality_id", .uuid, .identifier(auto: false), .references("municipalities", "id"))
            .field("last", .int, .required)
            .check("ck_certificate_numbers", "last BETWEEN 0 AND 999999")
            .create()
        try await db.schema("notifications")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("text", .string, .required)
            .field("link", .string)
            .field("dedupe_key", .string)
            .field("created_at", .datetime, .required)
            .field("read_at", .datetime)
            .unique(on: "dedupe_key")
            .create()
        try await db.createIndex("ix_notifications_user", on: "notifications", "user_id", "created_at")
    }

    func revert(on db: any Database) async throws {
        for t in ["notifications", "certificate_numbers", "certificate_group_nominals", "certificate_groups"] {
            try await db.schema(t).delete()
        }
    }
}
