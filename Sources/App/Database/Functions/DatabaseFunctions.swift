import Vapor
import Fluent
import Foundation
import SQLKit

/// A PL/pgSQL function the server installs on PostgreSQL: one source file per function, its text generated from the
/// same statements and rules the other write paths run. Functions are code, not schema: they are installed — or
/// replaced — after the migrations, whenever their text changed (`DatabaseFunctions.install`).
protocol DatabaseFunction {
    static var name: String { get }
    /// The whole `CREATE OR REPLACE FUNCTION …` statement.
    static var definition: String { get }
}

enum DatabaseFunctions {
    static var all: [any DatabaseFunction.Type] { [NavigatorApply.self, NavigatorApplyBatch.self] }

    /// The fingerprint stored as the function's comment: its text's SHA-256.
    static func fingerprint(_ definition: String) -> String {
        "navigator:" + SHA256.hash(data: Data(definition.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Installs every function whose text changed (nothing on SQLite). One transaction under an advisory lock, so
    /// that instances starting at once do not race; every other overload of a name is dropped first, so that a
    /// changed parameter list replaces the function instead of adding one beside it.
    static func install(on db: any Database) async throws {
        guard db.sql.dialect.name == "postgresql" else { return }
        try await db.transaction { tx in
            let sql = tx.sql
            try await sql.raw("SELECT pg_advisory_xact_lock(hashtext('navigator:functions'))").run()
            for f in all {
                let fingerprint = fingerprint(f.definition)
                let installed = try await sql.raw("""
                    SELECT p.oid::regprocedure::text AS signature, COALESCE(obj_description(p.oid, 'pg_proc'), '') AS note
                    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                    WHERE p.proname = \(bind: f.name) AND n.nspname = current_schema()
                    """).all()
                let current = try installed.map { (try $0.decode(column: "signature", as: String.self), try $0.decode(column: "note", as: String.self)) }
                if current.count == 1 && current[0].1 == fingerprint { continue }
                for (signature, _) in current { try await sql.raw("DROP FUNCTION \(unsafeRaw: signature)").run() }
                try await sql.raw(SQLQueryString(f.definition)).run()
                let signature = try await sql.raw("""
                    SELECT p.oid::regprocedure::text AS signature FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                    WHERE p.proname = \(bind: f.name) AND n.nspname = current_schema()
                    """).first()?.decode(column: "signature", as: String.self)
                guard let signature else { throw DatabaseFunctionMissing(name: f.name) }
                try await sql.raw("COMMENT ON FUNCTION \(unsafeRaw: signature) IS \(unsafeRaw: "'" + fingerprint + "'")").run()
            }
        }
    }
}

struct DatabaseFunctionMissing: Error, CustomStringConvertible {
    let name: String
    var description: String { "the function \(name) was not created" }
}

extension Application {
    /// The schema: the migrations, then the database functions.
    func migrateSchema() async throws {
        try await autoMigrate()
        try await DatabaseFunctions.install(on: db)
    }
}
