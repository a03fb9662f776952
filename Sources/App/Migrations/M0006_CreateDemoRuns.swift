import Fluent

struct M0006_CreateDemoRuns: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("demo_runs")
            .field("id", .int, .identifier(auto: false))
            .field("seed", .int64, .required)
            .field("children", .int, .required)
            .field("programs", .int, .required)
            .field("stage", .string, .required)
            .field("next_batch", .int, .required)
            .field("finished_at", .datetime)
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("demo_runs").delete()
    }
}
