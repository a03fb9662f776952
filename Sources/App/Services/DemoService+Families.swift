import Domain
import Fluent
import SQLKit
import Vapor

extension DemoService {
    /// Certificates of a batch of children, with numbers from the municipality counters and the period's
    /// grant for every ПФ one (an entry and its balance, exactly as the ledger service would write them).
    func insertCertificates(_ items: [CertificateItem], program: [String: Program], on tx: any Database) async throws {
        guard !program.isEmpty else { return }
        let sql = tx.sql
        let now = clock.now()
        var counters: [UUID: Int] = [:]
        for p in program.values {
            try await sql.insert(into: "certificate_numbers").columns("municipality_id", "last")
                .values(SQLBind(p.municipalityID), SQLBind(0)).ignoringConflicts(with: ["municipality_id"]).run()
            counters[p.municipalityID] = try await sql.select().column("last").from("certificate_numbers")
                .where("municipality_id", .equal, p.municipalityID).first()?.decode(column: "last", as: Int.self) ?? 0
        }
        var certRows: [[any SQLExpression]] = []
        var entryRows: [[any SQLExpression]] = []
        var balanceRows: [[any SQLExpression]] = []
        for item in items where item.state != .none {
            guard let p = program[item.programKey] else { continue }
            let id = UUID()
            var number: String? = nil
            if item.state != .pending {
                counters[p.municipalityID, default: 0] += 1
                number = CertificateRules.number(region: p.regionCode, municipality: p.code, serial: counters[p.municipalityID]!)
            }
            let financing = item.state == .financing
            certRows.append([SQLBind(id), SQLBind(item.childID), SQLBind(item.familyID), SQLBind(p.regionCode), SQLBind(p.municipalityID),
                             SQLBind(number), SQLBind((financing ? CertificateKind.financing : .accounting).rawValue),
                             SQLBind((item.state == .pending ? CertificateStatus.pending : .active).rawValue), SQLBind(false),
                             SQLBind(financing ? p.groupID : nil), SQLBind(financing ? now : nil),
                             SQLBind(CertificateRules.closesOn(birth: item.birth).iso), SQLBind(item.state == .pending ? nil : now), SQLBind(now)])
            if financing {
                entryRows.append([SQLBind(UUID()), SQLBind(id), SQLBind(p.periodID), SQLBind(LedgerKind.grant.rawValue), SQLBind(p.nominal),
                                  SQLBind("period-grant:\(id):\(p.periodID)"), SQLBind("Номинал периода"), SQLBind(now), SQLBind(Int64(1))])
                balanceRows.append([SQLBind(UUID()), SQLBind(id), SQLBind(p.periodID), SQLBind(p.nominal), SQLBind(Int64(0)), SQLBind(Int64(0)),
                                    SQLBind(Int64(0)), SQLBind(Int64(1))])
            }
        }
        for chunk in stride(from: 0, to: certRows.count, by: Self.rowsPerStatement) {
            try await sql.insert(into: "certificates")
                .columns("id", "child_id", "family_id", "region_code", "municipality_id", "number", "kind", "status", "frozen",
                         "group_id", "financing_since", "closes_on", "confirmed_at", "created_at")
                .rows(certRows[chunk..<min(certRows.count, chunk + Self.rowsPerStatement)]).run()
        }
        for chunk in stride(from: 0, to: entryRows.count, by: Self.rowsPerStatement) {
            try await sql.insert(into: "ledger_entries")
                .columns("id", "certificate_id", "period_id", "kind", "amount", "operation_key", "note", "created_at", "seq")
                .rows(entryRows[chunk..<min(entryRows.count, chunk + Self.rowsPerStatement)]).run()
            try await sql.insert(into: "ledger_balances")
                .columns("id", "certificate_id", "period_id", "granted", "reserved", "spent", "expired", "seq")
                .rows(balanceRows[chunk..<min(balanceRows.count, chunk + Self.rowsPerStatement)]).run()
        }
        for (muni, last) in counters {
            try await sql.update("certificate_numbers").set("last", to: last).where("municipality_id", .equal, muni).run()
        }
    }

    func loadFamilies(_ plan: DemoPlan, progress: DemoProgress) async throws {
        let families = plan.familyCount
        let batches = (families + familiesPerBatch - 1) / familiesPerBatch
        guard let run = try await DemoRunModel.find(1, on: db) else { return }
        let existingHash = try await UserModel.query(on: db).filter(\.$role == Role.parent).first()?.passwordHash
        let hash: String
        if let existingHash { hash = existingHash } else { hash = try await app.authService.hashPassword(DemoPlan.password, on: app) }
        var found: [String: UUID] = [:]
        for m in DemoPlan.municipalities {
            found[m.regionCode + m.code] = try await Directory(db: db).municipalityID(region: m.regionCode, code: m.code)
        }
        let municipalities = found
        let today = self.today
        let now = clock.now()
        let program = try await loadPrograms()
        progress.start(total: plan.children, done: min(plan.children, run.nextBatch * familiesPerBatch * 2))
        var done = 0
        for batch in run.nextBatch..<max(batches, run.nextBatch) {
            if let stop = stopAfterBatches, done >= stop { throw Interrupted() }
            done += 1
            let range = (batch * familiesPerBatch)..<min(families, (batch + 1) * familiesPerBatch)
            let generated = plan.families(range, today: today)
            try await db.transaction { tx in
                let sql = tx.sql
                var userRows: [[any SQLExpression]] = []
                var childRows: [[any SQLExpression]] = []
                var certificates: [CertificateItem] = []
                for f in generated {
                    let uid = UUID()
                    let muni = municipalities[f.regionCode + f.municipalityCode]!
                    userRows.append([SQLBind(uid), SQLBind(f.email), SQLBind(hash), SQLBind(f.parent.surname),
                                     SQLBind(f.parent.name), SQLBind(f.parent.patronymic), SQLBind(f.phone),
                                     SQLBind(Role.parent.rawValue), SQLBind(f.regionCode), SQLBind(muni),
                                     SQLBind(false), SQLBind(true), SQLBind(now)])
                    for c in f.children {
                        let childID = UUID()
                        certificates.append(CertificateItem(childID: childID, familyID: uid, programKey: f.regionCode + f.municipalityCode,
                                                            birth: c.birthDate, state: c.certificate))
                        childRows.append([SQLBind(childID), SQLBind(uid), SQLBind(f.regionCode), SQLBind(muni),
                                          SQLBind(c.person.surname), SQLBind(c.person.name), SQLBind(c.person.patronymic),
                                          SQLBind(c.birthDate.iso), SQLBind(c.person.sex.rawValue), SQLBind(c.snils),
                                          SQLBind(c.birthCertificateSeries), SQLBind(c.birthCertificateNumber), SQLBind(now)])
                    }
                }
                for chunk in stride(from: 0, to: userRows.count, by: Self.rowsPerStatement) {
                    try await sql.insert(into: "users")
                        .columns("id", "email", "password_hash", "surname", "name", "patronymic", "phone", "role",
                                 "region_code", "municipality_id", "may_confirm_certificates", "is_active", "created_at")
                        .rows(userRows[chunk..<min(userRows.count, chunk + Self.rowsPerStatement)]).run()
                }
                for chunk in stride(from: 0, to: childRows.count, by: Self.rowsPerStatement) {
                    try await sql.insert(into: "children")
                        .columns("id", "family_id", "region_code", "municipality_id", "surname", "name", "patronymic",
                                 "birth_date", "sex", "snils", "birth_certificate_series", "birth_certificate_number", "created_at")
                        .rows(childRows[chunk..<min(childRows.count, chunk + Self.rowsPerStatement)]).run()
                }
                try await insertCertificates(certificates, program: program, on: tx)
                try await sql.update("demo_runs").set("next_batch", to: batch + 1).where("id", .equal, 1).run()
            }
            progress.advance(to: min(plan.children, range.upperBound * 2))
        }
        progress.finish()
    }
}
