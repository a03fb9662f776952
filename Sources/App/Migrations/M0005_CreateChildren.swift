import Fluent

struct M0005_CreateChildren: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("children")
            .id()
            .field("family_id", .uuid, .required, .references("users", "id"))
            .field("region_code", .string, .required, .references("regions", "code"))
            .field("municipality_id", .uuid, .required, .references("municipalities", "id"))
            .field("surname", .string, .required)
            .field("name", .string, .required)
            .field("patronymic", .string, .required)
            .field("birth_date", .string, .required)
            .field("sex", .string, .required)
            .field("snils", .string, .required)
            .field("birth_certificate_series", .string)
            .field("birth_certificate_number", .string)
            .field("created_at", .datetime)
            .unique(on: "snils")
            .check("ck_children_sex", "sex IN ('male', 'female')")
            .check("ck_children_snils", "length(snils) = 11")
            .check("ck_children_birth_date", "length(birth_date) = 10")
            .create()
        try await db.createIndex("ix_children_family", on: "children", "family_id")
        try await db.createIndex("ix_children_municipality", on: "children", "municipality_id")
    }

    func revert(on db: any Database) async throws {
        try await db.schema("children").delete()
    }
}
