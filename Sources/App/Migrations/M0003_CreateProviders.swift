import Fluent

struct M0003_CreateProviders: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("providers")
            .id()
            .field("region_code", .string, .required, .references("regions", "code"))
            .field("municipality_id", .uuid, .required, .references("municipalities", "id"))
            .field("full_name", .string, .required)
            .field("short_name", .string, .required)
            .field("kind", .string, .required)
            .field("ownership", .string, .required)
            .field("inn", .string, .required)
            .field("ogrn", .string, .required)
            .field("kpp", .string)
            .field("licence_number", .string)
            .field("licence_date", .string)
            .field("legal_address", .string, .required)
            .field("actual_address", .string, .required)
            .field("phone", .string)
            .field("email", .string)
            .field("website", .string)
            .field("bank_name", .string)
            .field("bank_bik", .string)
            .field("bank_account", .string)
            .field("bank_correspondent_account", .string)
            .field("status", .string, .required)
            .field("status_reason", .string)
            .field("is_issuing_point", .bool, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "inn")
            .unique(on: "ogrn")
            .check("ck_providers_kind", "kind IN ('educational', 'training', 'sole-with-staff', 'sole-alone')")
            .check("ck_providers_ownership", "ownership IN ('state', 'municipal', 'private')")
            .check("ck_providers_status", "status IN ('new', 'active', 'refused', 'banned')")
            .check("ck_providers_inn", "length(inn) IN (10, 12)")
            .check("ck_providers_ogrn", "length(ogrn) IN (13, 15)")
            .create()
        try await db.createIndex("ix_providers_municipality", on: "providers", "municipality_id")
    }

    func revert(on db: any Database) async throws {
        try await db.schema("providers").delete()
    }
}
