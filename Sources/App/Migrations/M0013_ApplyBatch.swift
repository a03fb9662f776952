import Fluent
import SQLKit

/// Group commit of applications on PostgreSQL.
///
/// `navigator_apply_batch` writes many prepared applications in one call and one transaction, with a
/// handful of set-based statements instead of six per application: on enrollment day the per-statement and
/// per-commit work, not the rows, is what PostgreSQL spends most on (docs/performance.md). It locks the
/// groups, then the balances, each in the order of their ids, so that concurrent batches queue instead of
/// deadlocking; decides which items still fit — per group the first items up to its free places, per balance
/// the first items it covers, only with a usable certificate and an open period (an item refused for one
/// reason still counts against the other: conservative, the caller reads again and retries it); inserts their
/// contracts, skipping (not raising on) a second live application of a child in a module; and then takes the
/// places, the holds (consecutive `seq` per balance), the ledger rows and the notifications of the inserted
/// ones. Each item comes back `ok`, `duplicate` or `changed`.
struct M0013_ApplyBatch: AsyncMigration {
    func prepare(on db: any Database) async throws {
        guard db.sql.dialect.name == "postgresql" else { return }
        try await db.sql.raw(SQLQueryString(Self.function)).run()
    }

    func revert(on db: any Database) async throws {
        guard db.sql.dialect.name == "postgresql" else { return }
        try await db.sql.raw("DROP FUNCTION IF EXISTS navigator_apply_batch").run()
    }

    static let function = """
        CREATE OR REPLACE FUNCTION navigator_apply_batch(
            k_id uuid[], k_region text[], k_municipality uuid[], k_provider uuid[], k_program uuid[], k_module uuid[], k_group uuid[],
            k_child uuid[], k_family uuid[], k_certificate uuid[], k_period uuid[], k_funding text[], k_starts text[],
            k_ends text[], k_planned_ends text[], k_full bigint[], k_certificate_amount bigint[], k_parent bigint[], k_months text[],
            k_due timestamptz[], require_financing boolean[], hold_entry uuid[], hold_note text[], k_created timestamptz[],
            n_item int[], n_ids uuid[], n_users uuid[], n_kinds text[], n_texts text[], n_links text[]
        ) RETURNS TABLE (item int, outcome text) LANGUAGE plpgsql AS $fn$
        DECLARE
            accepted int[];
            done int[];
        BEGIN
            -- Locks in a fixed order (groups, then balances, each by id), so that concurrent batches never deadlock.
            PERFORM 1 FROM program_groups WHERE id = ANY(k_group) ORDER BY id FOR UPDATE;
            PERFORM 1 FROM ledger_balances b
              WHERE (b.certificate_id, b.period_id) IN (SELECT c, p FROM unnest(k_certificate, k_period, k_certificate_amount) AS x(c, p, a) WHERE a > 0)
              ORDER BY b.id FOR UPDATE;
            -- What fits: in each group the first items up to its free places, on each balance the first items it covers
            -- (an item refused for one reason still counts against the other: conservative, the caller retries it).
            SELECT array_agg(s.i) INTO accepted FROM (
                SELECT x.i, x.a,
                       row_number() OVER (PARTITION BY x.g ORDER BY x.i) AS rn, g.capacity - g.taken AS room,
                       sum(x.a) OVER (PARTITION BY x.c, x.p ORDER BY x.i) AS cum,
                       (SELECT b.granted - b.reserved - b.spent - b.expired FROM ledger_balances b WHERE b.certificate_id = x.c AND b.period_id = x.p) AS available
                  FROM unnest(k_group, k_certificate, k_period, k_certificate_amount, require_financing) WITH ORDINALITY AS x(g, c, p, a, f, i)
                  JOIN program_groups g ON g.id = x.g AND g.status = 'open'
                  JOIN certificates ce ON ce.id = x.c AND ce.status = 'active' AND NOT ce.frozen AND (NOT x.f OR ce.kind = 'financing')
                  JOIN periods pe ON pe.id = x.p AND pe.status = 'current' AND pe.contracting_open
            ) s WHERE s.rn <= s.room AND (s.a = 0 OR s.cum <= s.available);
            IF accepted IS NULL THEN
                RETURN QUERY SELECT i::int, 'changed'::text FROM generate_series(1, cardinality(k_id)) AS i;
                RETURN;
            END IF;
            -- The contracts; one live application per child and module (a duplicate is skipped, not raised).
            WITH ins AS (
                INSERT INTO contracts (id, region_code, municipality_id, provider_id, program_id, module_id, group_id, child_id, family_id,
                                       certificate_id, period_id, funding, status, starts_on, ends_on, planned_ends_on, full_amount,
                                       certificate_amount, parent_amount, months, answer_due, from_waitlist, created_at, offered_at)
                SELECT x.id, x.region, x.municipality, x.provider, x.program, x.module, x.grp, x.child, x.family, x.cert, x.period, x.funding,
                       'applied', x.starts, x.ends, x.planned, x.full_amount, x.cert_amount, x.parent, x.months, x.due, false, x.created, NULL
                  FROM unnest(k_id, k_region, k_municipality, k_provider, k_program, k_module, k_group, k_child, k_family, k_certificate, k_period,
                              k_funding, k_starts, k_ends, k_planned_ends, k_full, k_certificate_amount, k_parent, k_months, k_due, k_created)
                       WITH ORDINALITY AS x(id, region, municipality, provider, program, module, grp, child, family, cert, period, funding,
                                            starts, ends, planned, full_amount, cert_amount, parent, months, due, created, i)
                 WHERE x.i = ANY(accepted)
                 ORDER BY x.i
                ON CONFLICT (child_id, module_id) WHERE status IN ('applied', 'offered', 'active', 'terminating') DO NOTHING
                RETURNING id)
            SELECT array_agg(x.i) INTO done FROM unnest(k_id) WITH ORDINALITY AS x(id, i) JOIN ins ON ins.id = x.id;
            IF done IS NOT NULL THEN
                UPDATE program_groups g SET taken = g.taken + d.n, updated_at = d.at
                  FROM (SELECT x.g, count(*) AS n, max(x.at) AS at FROM unnest(k_group, k_created) WITH ORDINALITY AS x(g, at, i)
                         WHERE x.i = ANY(done) GROUP BY x.g) d
                 WHERE g.id = d.g;
                WITH d AS (
                    SELECT x.c, x.p, x.a, x.i, row_number() OVER (PARTITION BY x.c, x.p ORDER BY x.i) AS rn, count(*) OVER (PARTITION BY x.c, x.p) AS cnt
                      FROM unnest(k_certificate, k_period, k_certificate_amount) WITH ORDINALITY AS x(c, p, a, i)
                     WHERE x.i = ANY(done) AND x.a > 0),
                b AS (
                    UPDATE ledger_balances lb SET reserved = lb.reserved + s.total, seq = lb.seq + s.cnt
                      FROM (SELECT d.c, d.p, sum(d.a) AS total, count(*) AS cnt FROM d GROUP BY d.c, d.p) s
                     WHERE lb.certificate_id = s.c AND lb.period_id = s.p
                    RETURNING lb.certificate_id, lb.period_id, lb.seq),
                e AS (
                    INSERT INTO ledger_entries (id, certificate_id, period_id, contract_id, kind, amount, operation_key, note, created_at, seq)
                    SELECT hold_entry[d.i], d.c, d.p, k_id[d.i], 'hold', d.a, 'hold:' || k_id[d.i], hold_note[d.i], k_created[d.i], b.seq - d.cnt + d.rn
                      FROM d JOIN b ON b.certificate_id = d.c AND b.period_id = d.p)
                INSERT INTO ledger_contracts (contract_id, certificate_id, period_id, held, released, charged, corrected)
                SELECT k_id[d.i], d.c, d.p, d.a, 0, 0, 0 FROM d;
                INSERT INTO notifications (id, user_id, kind, text, link, created_at)
                SELECT n.id, n.user_id, n.kind, n.text, NULLIF(n.link, ''), k_created[n.item]
                  FROM unnest(n_item, n_ids, n_users, n_kinds, n_texts, n_links) AS n(item, id, user_id, kind, text, link)
                 WHERE n.item = ANY(done);
            END IF;
            RETURN QUERY SELECT i::int, CASE WHEN i = ANY(done) THEN 'ok' WHEN i = ANY(accepted) THEN 'duplicate' ELSE 'changed' END
              FROM generate_series(1, cardinality(k_id)) AS i;
        END
        $fn$
        """
}
