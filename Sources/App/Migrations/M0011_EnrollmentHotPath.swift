import Fluent
import SQLKit

/// The enrollment hot path.
///
/// - Provider staff are looked up by provider on every application (for the notification of a new
///   application); without an index that reads the whole users table, and every parent is a user.
/// - On PostgreSQL, `navigator_apply` writes a prepared application in one round trip: the place (only
///   while the group has one and the certificate and the period still allow it), the hold (only while the
///   balance covers it), the ledger entry, the contract and the notifications — the same statements
///   `EnrollmentService.write` sends one by one elsewhere. A condition that no longer holds raises SQLSTATE
///   NV001 and the whole call is rolled back; the service reads again and retries.
struct M0011_EnrollmentHotPath: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.sql.create(index: "ix_users_provider").on("users").column("provider_id").run()
        guard db.sql.dialect.name == "postgresql" else { return }
        try await db.sql.raw(SQLQueryString(Self.function)).run()
    }

    func revert(on db: any Database) async throws {
        if db.sql.dialect.name == "postgresql" {
            try await db.sql.raw("DROP FUNCTION IF EXISTS navigator_apply").run()
        }
        try await db.sql.drop(index: "ix_users_provider").run()
    }

    static let function = """
        CREATE OR REPLACE FUNCTION navigator_apply(
            k_id uuid, k_region text, k_municipality uuid, k_provider uuid, k_program uuid, k_module uuid, k_group uuid,
            k_child uuid, k_family uuid, k_certificate uuid, k_period uuid, k_funding text, k_status text, k_starts text,
            k_ends text, k_planned_ends text, k_full bigint, k_certificate_amount bigint, k_parent bigint, k_months text,
            k_due timestamptz, k_from_waitlist boolean, k_created timestamptz, k_offered timestamptz,
            require_financing boolean, hold_entry uuid, hold_kind text, hold_key text, hold_note text,
            n_ids uuid[], n_users uuid[], n_kinds text[], n_texts text[], n_links text[]
        ) RETURNS void LANGUAGE plpgsql AS $fn$
        DECLARE
            s bigint;
        BEGIN
            UPDATE program_groups SET taken = taken + 1, updated_at = k_created
             WHERE id = k_group AND taken < capacity AND status = 'open'
               AND EXISTS (SELECT 1 FROM certificates WHERE id = k_certificate AND status = 'active' AND NOT frozen
                           AND (NOT require_financing OR kind = 'financing'))
               AND EXISTS (SELECT 1 FROM periods WHERE id = k_period AND status = 'current' AND contracting_open);
            IF NOT FOUND THEN
                RAISE EXCEPTION 'navigator: the group, the certificate or the period changed' USING ERRCODE = 'NV001';
            END IF;
            IF k_certificate_amount > 0 THEN
                UPDATE ledger_balances SET reserved = reserved + k_certificate_amount, seq = seq + 1
                 WHERE certificate_id = k_certificate AND period_id = k_period
                   AND granted - reserved - spent - expired >= k_certificate_amount
                RETURNING seq INTO s;
                IF NOT FOUND THEN
                    RAISE EXCEPTION 'navigator: the balance changed' USING ERRCODE = 'NV001';
                END IF;
                INSERT INTO ledger_entries (id, certificate_id, period_id, contract_id, kind, amount, operation_key, note, created_at, seq)
                VALUES (hold_entry, k_certificate, k_period, k_id, hold_kind, k_certificate_amount, hold_key, hold_note, k_created, s);
                INSERT INTO ledger_contracts (contract_id, certificate_id, period_id, held, released, charged, corrected)
                VALUES (k_id, k_certificate, k_period, k_certificate_amount, 0, 0, 0);
            END IF;
            INSERT INTO contracts (id, region_code, municipality_id, provider_id, program_id, module_id, group_id, child_id, family_id,
                                   certificate_id, period_id, funding, status, starts_on, ends_on, planned_ends_on, full_amount,
                                   certificate_amount, parent_amount, months, answer_due, from_waitlist, created_at, offered_at)
            VALUES (k_id, k_region, k_municipality, k_provider, k_program, k_module, k_group, k_child, k_family,
                    k_certificate, k_period, k_funding, k_status, k_starts, k_ends, k_planned_ends, k_full,
                    k_certificate_amount, k_parent, k_months, k_due, k_from_waitlist, k_created, k_offered);
            INSERT INTO notifications (id, user_id, kind, text, link, created_at)
            SELECT n.id, n.user_id, n.kind, n.text, NULLIF(n.link, ''), k_created
              FROM unnest(n_ids, n_users, n_kinds, n_texts, n_links) AS n(id, user_id, kind, text, link);
        END
        $fn$
        """
}
