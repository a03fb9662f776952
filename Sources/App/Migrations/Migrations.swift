import Fluent
import SQLKit

/// Every migration, in order. Append only: a released migration is never edited.
enum Migrations {
    static let all: [any Migration] = [
        M0001_CreateReferenceTables(),
        M0002_SeedReferenceData(),
        M0003_CreateProviders(),
        M0004_CreateAccounts(),
        M0005_CreateChildren(),
        M0006_CreateDemoRuns(),
        M0007_CreateCertificatesAndLedger(),
        M0008_CreateMunicipalProgram(),
        M0009_CreateProgramRegistry(),
        M0010_CreateEnrollment(),
        M0011_EnrollmentHotPath(),
        M0012_AgreementsAndProlongation(),
        M0013_ApplyBatch(),
        M0014_Payments(),
    ]
}

extension SchemaBuilder {
    /// A CHECK constraint (declared with the table: SQLite cannot add one later).
    func check(_ name: String, _ condition: String) -> Self {
        constraint(.custom(SQLRaw("CONSTRAINT \(name) CHECK (\(condition))")))
    }
}

extension Database {
    var sql: any SQLDatabase { self as! any SQLDatabase }

    func createIndex(_ name: String, on table: String, _ columns: String..., unique: Bool = false) async throws {
        var builder = sql.create(index: name).on(table)
        if unique { builder = builder.unique() }
        for c in columns { builder = builder.column(c) }
        try await builder.run()
    }
}
