import Fluent
import SQLKit

/// Periods of a municipality, certificates, and the ledger of domain.md §5: append-only entries, the
/// cached amounts per certificate and period (checked against the entries by `navigator verify`), and
/// the cached amounts per contract. The CHECK constraints make a negative amount impossible even if a
/// service were wrong.
struct M0007_CreateCertificatesAndLedger: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("periods")
            .id()
            .field("municipality_id", .uuid, .required, .references("municipalities", "id"))
            .field("starts_on", .string, .required)
            .field("ends_on", .string, .required)
            .field("status", .string, .required)
            .field("contracting_open", .bool, .required)
            .field("created_at", .datetime)
            .unique(on: "municipality_id", "starts_on")
            .check("ck_periods_status", "status IN ('next', 'current', 'closed')")
            .check("ck_periods_dates", "length(starts_on) = 10 AND length(ends_on) = 10 AND starts_on <= ends_on")
            .create()
        try await db.schema("certificates")
            .id()
            .field("child_id", .uuid, .required, .references("children", "id"))
            .field("family_id", .uuid, .required, .references("users", "id"))
            .field("region_code", .string, .required, .references("regions", "code"))
            .field("municipality_id", .uuid, .required, .references("municipalities", "id"))
            .field("number", .string)
            .field("kind", .string, .required)
            .field("status", .string, .required)
            .field("frozen", .bool, .required)
            .field("group_id", .uuid)
            .field("financing_since", .datetime)
            .field("rejection_reason", .string)
            .field("confirmed_by", .uuid, .references("users", "id"))
            .field("confirmed_at", .datetime)
            .field("closes_on", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "child_id")
            .unique(on: "number")
            .check("ck_certificates_kind", "kind IN ('accounting', 'financing')")
            .check("ck_certificates_status", "status IN ('pending', 'active', 'rejected', 'closed')")
            .check("ck_certificates_number", "number IS NULL OR length(number) = 10")
            .create()
        try await db.createIndex("ix_certificates_municipality", on: "certificates", "municipality_id")
        try await db.createIndex("ix_certificates_family", on: "certificates", "family_id")

        try await db.schema("ledger_entries")
            .id()
            .field("certificate_id", .uuid, .required, .references("certificates", "id"))
            .field("period_id", .uuid, .required, .references("periods", "id"))
            .field("contract_id", .uuid)
            .field("kind", .string, .required)
            .field("amount", .int64, .required)
            .field("operation_key", .string, .required)
            .field("note", .string)
            .field("created_at", .datetime, .required)
            .field("seq", .int64, .required)
            .unique(on: "operation_key")
            .check("ck_ledger_entries_amount", "amount > 0")
            .check("ck_ledger_entries_kind",
                   "kind IN ('grant', 'grant-reduction', 'hold', 'release', 'charge', 'correction', 'expiry')")
            .check("ck_ledger_entries_contract",
                   "(kind IN ('hold', 'release', 'charge', 'correction')) = (contract_id IS NOT NULL)")
            .create()
        try await db.createIndex("ix_ledger_entries_account", on: "ledger_entries", "certificate_id", "period_id", "seq")
        try await db.createIndex("ix_ledger_entries_contract", on: "ledger_entries", "contract_id")

        try await db.schema("ledger_balances")
            .id()
            .field("certificate_id", .uuid, .required, .references("certificates", "id"))
            .field("period_id", .uuid, .required, .references("periods", "id"))
            .field("granted", .int64, .required)
            .field("reserved", .int64, .required)
            .field("spent", .int64, .required)
            .field("expired", .int64, .required)
            .field("seq", .int64, .required)
            .unique(on: "certificate_id", "period_id")
            .check("ck_ledger_balances_amounts",
                   "granted >= 0 AND reserved >= 0 AND spent >= 0 AND expired >= 0 AND granted - reserved - spent - expired >= 0")
            .create()
        try await db.schema("ledger_contracts")
            .field("contract_id", .uuid, .identifier(auto: false))
            .field("certificate_id", .uuid, .required, .references("certificates", "id"))
            .field("period_id", .uuid, .required, .references("periods", "id"))
            .field("held", .int64, .required)
            .field("released", .int64, .required)
            .field("charged", .int64, .required)
            .field("corrected", .int64, .required)
            .check("ck_ledger_contracts_amounts",
                   "held >= 0 AND released >= 0 AND charged >= 0 AND corrected >= 0 AND held - released - charged >= 0 AND corrected <= charged")
            .create()
    }

    func revert(on db: any Database) async throws {
        for t in ["ledger_contracts", "ledger_balances", "ledger_entries", "certificates", "periods"] {
            try await db.schema(t).delete()
        }
    }
}
