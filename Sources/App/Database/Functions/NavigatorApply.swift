import Foundation
import PostgresNIO

/// `navigator_apply`: the enrollment write of one application in one round trip on PostgreSQL. Its body is
/// `ApplyStatements` — the statements the other write paths run one by one — rendered into PL/pgSQL; its parameters
/// are theirs (`p_` and the statement's parameter name), then the notifications' columns as arrays. A condition that
/// no longer holds raises SQLSTATE NV001 and the whole call is rolled back (`WriteChanged`).
enum NavigatorApply: DatabaseFunction {
    static let name = "navigator_apply"

    /// The statements' parameters in the order the function takes them (the hold's `seq` is a local variable).
    static let scalars: [String] = {
        var names: [String] = []
        for t in [ApplyStatements.takePlace, ApplyStatements.reserve, ApplyStatements.entry, ApplyStatements.contractHold, ApplyStatements.contract] {
            for n in t.names where n != "seq" && !names.contains(n) { names.append(n) }
        }
        return names
    }()

    static let changed = "RAISE EXCEPTION 'navigator: the group, the certificate, the period or the balance changed' USING ERRCODE = 'NV001'"

    static var definition: String {
        let params = scalars.map { "p_\($0) \(ApplyStatements.parameter($0).type.rawValue)" }
            + NotificationRow.columns.map { "p_n_\($0.name) \($0.type.rawValue)[]" }
        let local = { (n: String) in n == "seq" ? "v_seq" : SQLTemplate.functionParameter(n) }
        let columns = NotificationRow.columns.map(\.name)
        return """
            CREATE OR REPLACE FUNCTION \(name)(
                \(params.joined(separator: ",\n    "))
            ) RETURNS void LANGUAGE plpgsql AS $fn$
            DECLARE
                v_taken integer;
                v_seq bigint;
            BEGIN
                \(ApplyStatements.takePlace.plpgsql(into: "v_taken", name: local));
                IF NOT FOUND THEN \(changed); END IF;
                IF p_c_certificate_amount > 0 THEN
                    \(ApplyStatements.reserve.plpgsql(into: "v_seq", name: local));
                    IF NOT FOUND THEN \(changed); END IF;
                    \(ApplyStatements.entry.plpgsql(name: local));
                    \(ApplyStatements.contractHold.plpgsql(name: local));
                END IF;
                \(ApplyStatements.contract.plpgsql(name: local));
                INSERT INTO notifications (\(columns.joined(separator: ", ")))
                SELECT \(columns.map { "n." + $0 }.joined(separator: ", "))
                  FROM unnest(\(columns.map { "p_n_" + $0 }.joined(separator: ", "))) AS n(\(columns.joined(separator: ", ")));
            END
            $fn$
            """
    }

    /// The call, prepared once per connection.
    struct Call: HotStatement {
        static let sql = "SELECT 1 AS done FROM \(NavigatorApply.name)("
            + (1...(NavigatorApply.scalars.count + NotificationRow.columns.count)).map { "$\($0)" }.joined(separator: ", ") + ")"
        static let binders = NavigatorApply.scalars.map { ApplyStatements.parameter($0).value }
        let bindings: PostgresBindings

        init(_ p: PreparedApplication) {
            var b = PostgresBindings(capacity: Self.binders.count + NotificationRow.columns.count)
            for binder in Self.binders { binder(p).append(to: &b) }
            for c in NotificationRow.columns {
                var a = ColumnArray(type: c.type, capacity: p.notices.count)
                for n in p.notices { a.append(c.value(n)) }
                a.append(to: &b)
            }
            bindings = b
        }
    }
}
