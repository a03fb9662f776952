import Fluent
import SQLKit

struct M0001_CreateReferenceTables: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("regions")
            .field("code", .string, .identifier(auto: false))
            .field("name", .string, .required)
            .field("time_zone", .string, .required)
            .check("ck_regions_code", "length(code) = 2")
            .create()
        try await db.schema("municipalities")
            .id()
            .field("region_code", .string, .required, .references("regions", "code"))
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("children_count", .int)
            .field("children_is_estimate", .bool, .required)
            .unique(on: "region_code", "code")
            .check("ck_municipalities_code", "length(code) = 2")
            .check("ck_municipalities_kind", "kind IN ('district', 'cityDistrict')")
            .check("ck_municipalities_children", "children_count IS NULL OR children_count >= 0")
            .create()
        try await db.schema("directions")
            .field("code", .string, .identifier(auto: false))
            .field("title", .string, .required)
            .field("position", .int, .required)
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("directions").delete()
        try await db.schema("municipalities").delete()
        try await db.schema("regions").delete()
    }
}
