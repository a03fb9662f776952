import Domain
import Fluent
import SQLKit
import Vapor

extension DemoService {
    static let programsPerBatch = 2000

    /// The curated programs of the demo providers, then `plan.programs` generated ones, in batches: each batch
    /// is one transaction, and the number of programs already in the table says where a rerun resumes.
    /// Returns whether anything was added.
    func loadCatalog(_ plan: DemoPlan, progress: DemoProgress) async throws -> Bool {
        var providerIDs: [Int: (UUID, String, UUID)] = [:]
        var addresses: [Int: String] = [:]
        for (i, p) in plan.providers.enumerated() {
            guard let m = try await ProviderModel.query(on: db).filter(\.$inn == p.inn).first() else { continue }
            providerIDs[i] = (m.id!, m.regionCode, m.municipalityID)
            addresses[i] = p.address
        }
        guard !providerIDs.isEmpty else { return false }
        let providerMap = providerIDs
        let today = self.today
        let curated = DemoCatalog.curated(today: today, addresses: addresses)
        let target = curated.count + plan.programs
        let existing = try await ProgramModel.query(on: db).count()
        guard existing < target else { return false }
        let generators = providerIDs.keys.sorted().map { (index: $0, address: addresses[$0] ?? "") }
        progress.start(total: target, done: existing)
        var done = existing
        while done < target {
            let upper = min(target, done + Self.programsPerBatch)
            let range = done..<upper
            try await db.transaction { tx in
                let seq = try await CatalogStore.bump(tx)
                let now = clock.now()
                var programRows: [[any SQLExpression]] = []
                var moduleRows: [[any SQLExpression]] = []
                var groupRows: [[any SQLExpression]] = []
                for i in range {
                    let d = i < curated.count ? curated[i]
                        : DemoCatalog.generated(i - curated.count, seed: plan.seed, providers: generators, today: today)
                    guard let (providerID, region, muni) = providerMap[d.providerIndex] else { continue }
                    let pid = UUID()
                    let certified = d.status == .certified
                    programRows.append([SQLBind(pid), SQLBind(providerID), SQLBind(region), SQLBind(muni), SQLBind(d.name), SQLBind(d.annotation),
                                        SQLBind(d.direction.rawValue), SQLBind(d.activityKinds.joined(separator: ",")), SQLBind(d.level.rawValue),
                                        SQLBind(d.form.rawValue), SQLBind(false), SQLBind(d.ageFrom), SQLBind(d.ageTo),
                                        SQLBind(d.disabilities.map(\.rawValue).joined(separator: ",")), SQLBind(d.funding.rawValue),
                                        SQLBind(d.status.rawValue), SQLBind(certified), SQLBind(seq), SQLBind(now), SQLBind(now)])
                    var moduleIDs: [UUID] = []
                    for (k, m) in d.modules.enumerated() {
                        let mid = UUID()
                        moduleIDs.append(mid)
                        moduleRows.append([SQLBind(mid), SQLBind(pid), SQLBind(providerID), SQLBind(region), SQLBind(muni), SQLBind(k), SQLBind(m.name),
                                           SQLBind(m.months), SQLBind(m.hours), SQLBind(m.minChildren), SQLBind(m.maxChildren), SQLBind(m.price),
                                           SQLBind(certified ? m.normative : nil), SQLBind(now)])
                    }
                    for g in d.groups {
                        groupRows.append([SQLBind(UUID()), SQLBind(pid), SQLBind(moduleIDs[g.module]), SQLBind(providerID), SQLBind(region), SQLBind(muni),
                                          SQLBind(g.name), SQLBind(g.teacher), SQLBind(g.address), SQLBind(g.startsOn.iso), SQLBind(g.endsOn.iso),
                                          SQLBind(g.capacity), SQLBind(0), SQLBind(GroupModel.encodeSchedule(g.schedule)), SQLBind(GroupStatus.open.rawValue),
                                          SQLBind(now), SQLBind(now)])
                    }
                }
                let sql = tx.sql
                for chunk in stride(from: 0, to: programRows.count, by: 200) {
                    try await sql.insert(into: "programs")
                        .columns("id", "provider_id", "region_code", "municipality_id", "name", "annotation", "direction", "activity_kinds", "level",
                                 "form", "distance", "age_from", "age_to", "disabilities", "funding", "status", "was_published", "change_seq",
                                 "created_at", "updated_at")
                        .rows(programRows[chunk..<min(programRows.count, chunk + 200)]).run()
                }
                for chunk in stride(from: 0, to: moduleRows.count, by: 200) {
                    try await sql.insert(into: "program_modules")
                        .columns("id", "program_id", "provider_id", "region_code", "municipality_id", "position", "name", "months", "hours",
                                 "min_children", "max_children", "price", "normative", "created_at")
                        .rows(moduleRows[chunk..<min(moduleRows.count, chunk + 200)]).run()
                }
                for chunk in stride(from: 0, to: groupRows.count, by: 200) {
                    try await sql.insert(into: "program_groups")
                        .columns("id", "program_id", "module_id", "provider_id", "region_code", "municipality_id", "name", "teacher", "address",
                                 "starts_on", "ends_on", "capacity", "taken", "schedule", "status", "created_at", "updated_at")
                        .rows(groupRows[chunk..<min(groupRows.count, chunk + 200)]).run()
                }
                try await sql.update("demo_runs").set("programs", to: max(plan.programs, 0)).where("id", .equal, 1).run()
            }
            done = upper
            progress.advance(to: done)
        }
        progress.finish()
        try await app.catalogStore.reload(app)
        return true
    }
}
