import Domain
import Foundation
import PostgresNIO

/// `navigator_apply_batch`: many prepared applications written in one call and one transaction, with a handful of
/// set-based statements instead of the five of `navigator_apply` each (on enrollment day PostgreSQL spends most on
/// statements and commits, not rows — docs/performance.md). The conditions are the same rules (`RuleSQL`), the rows
/// the same column lists (`ContractRow.columns`, `LedgerEntryColumns`, `NotificationRow.columns`).
///
/// It locks the groups, then the balances, each in the order of their ids, so that concurrent batches queue instead
/// of deadlocking; decides which items still fit — per group the first items up to its free places, per balance the
/// first items it covers, only with an open group, a usable certificate and a period that takes contracts (an item
/// refused for one reason still counts against the other: conservative, the caller reads it again and retries);
/// inserts their contracts, skipping (not raising on) a second live application of a child in a module; and then
/// takes the places, the holds (consecutive `seq` per balance), the ledger rows and the notifications of the inserted
/// ones. Each item comes back `ok`, `duplicate` or `changed`.
enum NavigatorApplyBatch: DatabaseFunction {
    static let name = "navigator_apply_batch"

    /// The per-item parameters besides the contract's columns.
    static let extras: [(name: String, type: SQLType)] = [("require_financing", .boolean), ("e_id", .uuid), ("e_operation_key", .text), ("e_note", .text)]

    enum Outcome: String { case ok, duplicate, changed }

    static var definition: String {
        let contract = ContractRow.columns.map(\.name)
        let notification = NotificationRow.columns.map(\.name)
        let params = ContractRow.columns.map { "p_c_\($0.name) \($0.type.rawValue)[]" }
            + extras.map { "p_\($0.name) \($0.type.rawValue)[]" }
            + ["p_n_item integer[]"] + NotificationRow.columns.map { "p_n_\($0.name) \($0.type.rawValue)[]" }
        let entry: [String: String] = [
            "id": "p_e_id[d.i]", "certificate_id": "d.c", "period_id": "d.p", "contract_id": "p_c_id[d.i]",
            "kind": LedgerKind.hold.sqlLiteral, "amount": "d.a", "operation_key": "p_e_operation_key[d.i]", "note": "p_e_note[d.i]",
            "created_at": "p_c_created_at[d.i]", "seq": "b.seq - d.cnt + d.rn",
        ]
        return """
            CREATE OR REPLACE FUNCTION \(name)(
                \(params.joined(separator: ",\n    "))
            ) RETURNS TABLE (item integer, outcome text) LANGUAGE plpgsql AS $fn$
            DECLARE
                accepted integer[];
                done integer[];
            BEGIN
                -- Locks in a fixed order (groups, then balances, each by id), so that concurrent batches never deadlock.
                PERFORM 1 FROM program_groups WHERE id = ANY(p_c_group_id) ORDER BY id FOR UPDATE;
                PERFORM 1 FROM ledger_balances b
                  WHERE (b.certificate_id, b.period_id) IN (
                        SELECT x.c, x.p FROM unnest(p_c_certificate_id, p_c_period_id, p_c_certificate_amount) AS x(c, p, a) WHERE x.a > 0)
                  ORDER BY b.id FOR UPDATE;
                -- What fits: in each group the first items up to its free places, on each balance the first items it covers.
                SELECT array_agg(s.i) INTO accepted FROM (
                    SELECT x.i, x.a,
                           row_number() OVER (PARTITION BY x.g ORDER BY x.i) AS rank, \(RuleSQL.freePlaces("g.")) AS free,
                           sum(x.a) OVER (PARTITION BY x.c, x.p ORDER BY x.i) AS held,
                           (SELECT \(RuleSQL.available("b.")) FROM ledger_balances b WHERE b.certificate_id = x.c AND b.period_id = x.p) AS available
                      FROM unnest(p_c_group_id, p_c_certificate_id, p_c_period_id, p_c_certificate_amount, p_require_financing)
                           WITH ORDINALITY AS x(g, c, p, a, f, i)
                      JOIN program_groups g ON g.id = x.g AND \(RuleSQL.groupOpen("g."))
                      JOIN certificates ce ON ce.id = x.c AND \(RuleSQL.certificateUsable("ce.", requireFinancing: "x.f"))
                      JOIN periods pe ON pe.id = x.p AND \(RuleSQL.periodAllows("pe."))
                ) s WHERE s.rank <= s.free AND (s.a = 0 OR s.held <= s.available);
                IF accepted IS NULL THEN
                    RETURN QUERY SELECT g.n::integer, '\(Outcome.changed.rawValue)'::text FROM generate_series(1, cardinality(p_c_id)) AS g(n);
                    RETURN;
                END IF;
                -- The contracts; one live application per child and module (a duplicate is skipped, not raised).
                WITH ins AS (
                    INSERT INTO contracts (\(contract.joined(separator: ", ")))
                    SELECT \(contract.map { "x." + $0 }.joined(separator: ", "))
                      FROM unnest(\(contract.map { "p_c_" + $0 }.joined(separator: ", ")))
                           WITH ORDINALITY AS x(\(contract.joined(separator: ", ")), i)
                     WHERE x.i = ANY(accepted)
                     ORDER BY x.i
                    ON CONFLICT (child_id, module_id) WHERE \(RuleSQL.live("status")) DO NOTHING
                    RETURNING id)
                SELECT array_agg(x.i) INTO done FROM unnest(p_c_id) WITH ORDINALITY AS x(id, i) JOIN ins ON ins.id = x.id;
                IF done IS NOT NULL THEN
                    UPDATE program_groups g SET taken = g.taken + d.n, updated_at = d.at
                      FROM (SELECT x.g, count(*) AS n, max(x.at) AS at FROM unnest(p_c_group_id, p_c_created_at) WITH ORDINALITY AS x(g, at, i)
                             WHERE x.i = ANY(done) GROUP BY x.g) d
                     WHERE g.id = d.g;
                    WITH d AS (
                        SELECT x.c, x.p, x.a, x.i, row_number() OVER (PARTITION BY x.c, x.p ORDER BY x.i) AS rn,
                               count(*) OVER (PARTITION BY x.c, x.p) AS cnt
                          FROM unnest(p_c_certificate_id, p_c_period_id, p_c_certificate_amount) WITH ORDINALITY AS x(c, p, a, i)
                         WHERE x.i = ANY(done) AND x.a > 0),
                    b AS (
                        UPDATE ledger_balances lb SET reserved = lb.reserved + s.total, seq = lb.seq + s.cnt
                          FROM (SELECT d.c, d.p, sum(d.a) AS total, count(*) AS cnt FROM d GROUP BY d.c, d.p) s
                         WHERE lb.certificate_id = s.c AND lb.period_id = s.p
                        RETURNING lb.certificate_id, lb.period_id, lb.seq),
                    e AS (
                        INSERT INTO ledger_entries (\(LedgerEntryColumns.names.joined(separator: ", ")))
                        SELECT \(LedgerEntryColumns.names.map { entry[$0]! }.joined(separator: ", "))
                          FROM d JOIN b ON b.certificate_id = d.c AND b.period_id = d.p)
                    INSERT INTO ledger_contracts (contract_id, certificate_id, period_id, held, released, charged, corrected)
                    SELECT p_c_id[d.i], d.c, d.p, d.a, 0, 0, 0 FROM d;
                    INSERT INTO notifications (\(notification.joined(separator: ", ")))
                    SELECT \(notification.map { "n." + $0 }.joined(separator: ", "))
                      FROM unnest(p_n_item, \(notification.map { "p_n_" + $0 }.joined(separator: ", "))) AS n(item, \(notification.joined(separator: ", ")))
                     WHERE n.item = ANY(done);
                END IF;
                RETURN QUERY SELECT g.n::integer,
                       CASE WHEN g.n = ANY(done) THEN '\(Outcome.ok.rawValue)' WHEN g.n = ANY(accepted) THEN '\(Outcome.duplicate.rawValue)'
                            ELSE '\(Outcome.changed.rawValue)' END
                  FROM generate_series(1, cardinality(p_c_id)) AS g(n);
            END
            $fn$
            """
    }

    /// The call for prepared applications, prepared once per connection; a row per item.
    struct Call: HotStatement {
        static let sql = "SELECT item, outcome FROM \(NavigatorApplyBatch.name)("
            + (1...(ContractRow.columns.count + NavigatorApplyBatch.extras.count + 1 + NotificationRow.columns.count)).map { "$\($0)" }
                .joined(separator: ", ") + ")"
        let bindings: PostgresBindings

        init(_ items: [PreparedApplication]) {
            var b = PostgresBindings(capacity: ContractRow.columns.count + NavigatorApplyBatch.extras.count + 1 + NotificationRow.columns.count)
            for c in ContractRow.columns {
                var a = ColumnArray(type: c.type, capacity: items.count)
                for p in items { a.append(c.value(p.contract)) }
                a.append(to: &b)
            }
            for x in NavigatorApplyBatch.extras {
                let binder = ApplyStatements.parameter(x.name).value
                var a = ColumnArray(type: x.type, capacity: items.count)
                for p in items { a.append(binder(p)) }
                a.append(to: &b)
            }
            var item = ColumnArray(type: .integer)
            var notices = NotificationRow.columns.map { ColumnArray(type: $0.type) }
            for (n, p) in items.enumerated() {
                for row in p.notices {
                    item.append(.int(Int64(n + 1)))
                    for (k, c) in NotificationRow.columns.enumerated() { notices[k].append(c.value(row)) }
                }
            }
            item.append(to: &b)
            for a in notices { a.append(to: &b) }
            bindings = b
        }
    }
}
