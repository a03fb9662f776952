@testable import App
import Domain
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

/// Every write path of enrollment writes the same rows.
///
/// The same random sequence of applications (one by one and several at once), offers, rejections, withdrawals,
/// acceptances, notices, waiting lists, deadlines and a period rollover with prolongations runs through each write
/// path of the database under test — SQLite: the statements on the pool and the direct writer; PostgreSQL: the
/// statements, `navigator_apply` one by one and `navigator_apply_batch` — each on a fresh database with the same clock
/// and the same identifiers. The resulting contracts, places, ledger (entries, balances, contract amounts),
/// notifications, waiting lists and every answer (the contract made or the refusal's code) must be identical.
/// With `NAVIGATOR_DIFF_DIR` set (the test command sets it for both suites), the first database's result is kept
/// there and the other database's run must match it too.
@Suite struct WritePathTests {
    static var paths: [String] { TestDatabase.isPostgres ? ["statements", "function", "batch"] : ["statements", "direct"] }

    @Test func everyWritePathWritesTheSameRows() async throws {
        var all: [String] = []
        for seed: UInt64 in [11, 12, 13] {
            var results: [(path: String, lines: [String])] = []
            for path in Self.paths {
                results.append((path, try await Scenario.run(seed: seed, path: path)))
            }
            let (firstPath, first) = results[0]
            all += first
            let lines = first.count
            #expect(lines > 100, "seed \(seed): the scenario did too little: \(lines) lines")
            for (path, lines) in results.dropFirst() {
                let same = lines == first
                #expect(same, "seed \(seed): \(path) differs from \(firstPath):\n\(Self.difference(first, lines))")
            }
            // Across databases: the other suite's run of the same scenario.
            if let dir = ProcessInfo.processInfo.environment["NAVIGATOR_DIFF_DIR"], !dir.isEmpty {
                let file = URL(fileURLWithPath: dir).appendingPathComponent("write-paths-\(seed).txt")
                if let kept = try? String(contentsOf: file, encoding: .utf8) {
                    let other = kept.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                    let same = other == first
                    #expect(same, "seed \(seed): this database differs from the other one:\n\(Self.difference(other, first))")
                } else {
                    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                    try first.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
                }
            }
        }
        // The scenarios reach what matters: full groups, waiting lists, contracts that ran to their end, prolongations.
        #expect(all.contains { $0.hasPrefix("answer ") && $0.contains("group_full") }, "no application met a full group")
        #expect(all.contains { $0.hasPrefix("answer wait") && $0.hasSuffix(" ok") }, "nobody joined a waiting list")
        #expect(all.contains { $0.hasPrefix("contract ") && $0.contains("status=terminated") }, "no contract ran to its end")
        #expect(all.contains { $0.hasPrefix("contract ") && $0.contains("previous=K") }, "no contract was prolonged")
        #expect(all.contains { $0.hasPrefix("answer apply*") && $0.contains("duplicate") }, "no duplicate in a batch")
    }

    static func difference(_ a: [String], _ b: [String]) -> String {
        let onlyA = a.filter { !b.contains($0) }.prefix(8), onlyB = b.filter { !a.contains($0) }.prefix(8)
        return (onlyA.map { "- " + $0 } + onlyB.map { "+ " + $0 }).joined(separator: "\n")
    }
}

/// One run of the scenario on one write path: the answers, then every row the enrollment writes, with identifiers
/// replaced by labels that mean the same thing on every run.
private final class Scenario {
    let app: Application
    let clock: TestClock
    var random: SeededRandom
    var labels: [UUID: String] = [:]
    /// Certificate numbers (the fixture's are random).
    var numbers: [String: String] = [:]
    var answers: [String] = []
    var made: [UUID] = []
    var kids: [ChildModel] = []
    var groups: [UUID] = []
    let family: Principal
    let provider: Principal
    let fixture: EnrollmentFixture

    init(app: Application, clock: TestClock, random: SeededRandom, kids: [ChildModel], groups: [UUID], family: Principal, provider: Principal,
         fixture: EnrollmentFixture) {
        self.app = app
        self.clock = clock
        self.random = random
        self.kids = kids
        self.groups = groups
        self.family = family
        self.provider = provider
        self.fixture = fixture
    }

    static func run(seed: UInt64, path: String) async throws -> [String] {
        let clock = TestClock()
        return try await withNavigator(demoChildren: 0, clock: clock, ids: .seeded(seed), adjust: {
            $0.enrollmentWritePath = path
            $0.applyBatchSize = path == "batch" ? 64 : 0
        }) { app in
            #expect(app.navigator.enrollment.writer.path.rawValue == path)
            let s = try await Scenario.make(app, clock: clock, seed: seed)
            try await s.play()
            return try await s.dump()
        }
    }

    static func make(_ app: Application, clock: TestClock, seed: UInt64) async throws -> Scenario {
        // Four groups: certified with 2 and 3 places, free with 2, paid with 4.
        let a = try await EnrollmentFixture.make(app, capacity: 2)
        let b = try await EnrollmentFixture.make(app, capacity: 3, price: 2_400_000, normative: 2_000_000)
        let free = try await EnrollmentFixture.make(app, capacity: 2, funding: .free)
        let paid = try await EnrollmentFixture.make(app, capacity: 4, funding: .paid, price: 900_000)
        // Kids: ПФ with a full balance, ПФ with a small one, учёта.
        var kids = try await a.children(app, 4, balance: 1_000_000)
        kids += try await a.children(app, 2, balance: 150_000)
        kids += try await a.children(app, 2, financing: false)
        let staff = try #require(try await UserModel.query(on: app.db).filter(\.$email == "syut@osinniki.example").first())
        let s = Scenario(app: app, clock: clock, random: SeededRandom(seed: seed), kids: kids,
                         groups: [a.groupID, b.groupID, free.groupID, paid.groupID],
                         family: Principal(userID: a.familyID, role: .parent, regionCode: "42"),
                         provider: Principal(userID: staff.id!, role: .provider, regionCode: "42", municipalityID: a.municipalityID,
                                             providerID: staff.providerID),
                         fixture: a)
        for (i, g) in s.groups.enumerated() { s.labels[g] = "G\(i)" }
        for f in [a, b, free, paid] {
            s.labels[f.programID] = "P\(s.groups.firstIndex(of: f.groupID)!)"
            s.labels[f.moduleID] = "M\(s.groups.firstIndex(of: f.groupID)!)"
        }
        for (i, k) in kids.enumerated() {
            s.labels[k.id!] = "C\(i)"
            if let cert = try await CertificateModel.query(on: app.db).filter(\.$childID == k.id!).first() { s.labels[cert.id!] = "S\(i)" }
        }
        s.labels[a.familyID] = "family"
        s.labels[staff.id!] = "staff"
        s.labels[staff.providerID!] = "provider"
        s.labels[a.municipalityID] = "municipality"
        // Everything else the scenario may touch, by a natural key.
        for m in try await MunicipalityModel.query(on: app.db).all() where s.labels[m.id!] == nil { s.labels[m.id!] = "m-\(m.regionCode)-\(m.code)" }
        for p in try await PeriodModel.query(on: app.db).all() {
            s.labels[p.id!] = (p.municipalityID == a.municipalityID ? "period-" : "period-\(s.label(p.municipalityID))-") + p.startsOn.prefix(4)
        }
        for u in try await UserModel.query(on: app.db).all() where s.labels[u.id!] == nil { s.labels[u.id!] = "user-" + u.email }
        for c in try await ChildModel.query(on: app.db).all() where s.labels[c.id!] == nil { s.labels[c.id!] = "child-" + c.snils }
        for c in try await CertificateModel.query(on: app.db).all() {
            if s.labels[c.id!] == nil { s.labels[c.id!] = "cert-" + s.label(c.childID) }
            if let n = c.number { s.numbers[n] = "№" + s.label(c.id!) }
        }
        return s
    }

    var enrollment: EnrollmentServices { app.navigator.enrollment }

    func pick<T>(_ items: [T]) -> T? { items.isEmpty ? nil : items[Int.random(in: 0..<items.count, using: &random)] }

    func answer(_ what: String, _ body: () async throws -> ContractRow?) async throws {
        do {
            if let row = try await body() {
                made.append(row.id)
                answers.append("\(what) ok #\(made.count)")
            } else {
                answers.append("\(what) ok")
            }
        } catch let r as Refusal {
            answers.append("\(what) refused \(r.code)")
        }
    }

    func contracts(_ statuses: [ContractStatus]) async throws -> [UUID] {
        let rows = try await ContractModel.query(on: app.db).filter(\.$id ~~ made).filter(\.$status ~~ statuses).all()
        let have = Set(rows.map { $0.id! })
        return made.filter { have.contains($0) }
    }

    func play() async throws {
        for _ in 0..<48 {
            clock.advance(Double(Int.random(in: 1...5, using: &random)) * 3600)
            switch Int.random(in: 0..<12, using: &random) {
            case 0...3:
                let k = Int.random(in: 0..<kids.count, using: &random), g = Int.random(in: 0..<groups.count, using: &random)
                let request = ApplicationService.Request(childID: kids[k].id!, family: family.userID, groupID: groups[g], start: nil)
                try await answer("apply C\(k) G\(g)") { try await enrollment.applications.apply(request) }
            case 4:
                // Several at once: the batch path writes them in one call, the others one by one in the same order.
                var requests: [(String, ApplicationService.Request)] = []
                for _ in 0..<Int.random(in: 2...4, using: &random) {
                    let k = Int.random(in: 0..<kids.count, using: &random), g = Int.random(in: 0..<groups.count, using: &random)
                    requests.append(("apply* C\(k) G\(g)", .init(childID: kids[k].id!, family: family.userID, groupID: groups[g], start: nil)))
                }
                try await applyTogether(requests)
            case 5:
                if let id = pick(try await contracts([.applied])) { try await answer("offer #\(index(id))") { try await step(id, .offer, provider) } }
            case 6:
                if let id = pick(try await contracts([.offered])) { try await answer("accept #\(index(id))") { try await step(id, .accept, family) } }
            case 7:
                if let id = pick(try await contracts([.applied, .offered])) { try await answer("withdraw #\(index(id))") { try await step(id, .withdraw, family) } }
            case 8:
                if let id = pick(try await contracts([.applied])) {
                    try await answer("reject #\(index(id))") { try await step(id, .reject(reason: "Группа собрана"), provider) }
                }
            case 9:
                if let id = pick(try await contracts([.active])) {
                    let who = Bool.random(using: &random) ? family : provider
                    try await answer("notice #\(index(id))") { try await step(id, .notice, who) }
                }
            case 10:
                let k = Int.random(in: 0..<kids.count, using: &random), g = Int.random(in: 0..<groups.count, using: &random)
                let child = kids[k], group = groups[g], enrollment = enrollment, now = clock.now, db = app.db
                try await answer("wait C\(k) G\(g)") {
                    let plan = try await enrollment.reader.plan(child: child, groupID: group, start: nil, now: now, on: db)
                    _ = try await enrollment.waitingLists.join(child: child, plan: plan)
                    return nil
                }
            default:
                // Deadlines pass now and then.
                clock.advance(Double(Int.random(in: 1...6, using: &random)) * 86_400)
                let r = try await enrollment.sweep.run()
                answers.append("sweep expired=\(r.expired) finished=\(r.finished) told=\(r.announced)")
            }
        }
        // To the end of the period, and the rollover with the prolongations.
        for id in try await contracts([.applied]) { _ = try? await step(id, .offer, provider) }
        for id in try await contracts([.offered]) { _ = try? await step(id, .accept, family) }
        if let id = pick(try await contracts([.active])) { _ = try? await enrollment.prolongations.choose(id, prolong: false, by: family) }
        let sweep = try await enrollment.sweep.run()
        answers.append("sweep expired=\(sweep.expired) finished=\(sweep.finished) told=\(sweep.announced)")
        clock.advance(40 * 86_400)
        let programme = app.navigator.programme
        _ = try await programme.closePeriod(municipalityID: fixture.municipalityID, override: true, on: app.db)
        let opened = try await programme.openPeriod(municipalityID: fixture.municipalityID, override: true, on: app.db)
        answers.append("rollover prolonged=\(opened.prolonged) awaiting=\(opened.awaitingConsent)")
        let after = try await enrollment.sweep.run()
        answers.append("sweep expired=\(after.expired) finished=\(after.finished) told=\(after.announced)")
    }

    func index(_ id: UUID) -> Int { (made.firstIndex(of: id) ?? -1) + 1 }

    func step(_ id: UUID, _ event: ContractEvent, _ by: Principal) async throws -> ContractRow? {
        _ = try await enrollment.steps.step(id, event, by: by)
        return nil
    }

    /// Applications that arrive together: one batch on the batch path (what did not fit goes one by one, in order, as
    /// the group commit does), one by one elsewhere.
    func applyTogether(_ requests: [(String, ApplicationService.Request)]) async throws {
        guard enrollment.writer.batches else {
            for (what, r) in requests { try await answer(what) { try await enrollment.applications.applyOne(r) } }
            return
        }
        let outcomes = await enrollment.applications.applyBatch(requests.map(\.1))
        var settled: [Int: Result<ContractRow, any Error>] = [:]
        for (i, o) in outcomes.enumerated() {
            switch o {
            case .done(let row): settled[i] = .success(row)
            case .failed(let e): settled[i] = .failure(e)
            case .again, .alone: break
            }
        }
        for (i, (what, r)) in requests.enumerated() {
            if let s = settled[i] {
                try await answer(what) { try s.get() }
            } else {
                try await answer(what) { try await enrollment.applications.applyOne(r) }
            }
        }
    }

    // MARK: the rows

    func dump() async throws -> [String] {
        let sql = app.db.sql
        var contractLabels: [UUID: String] = [:]
        let contracts = try await ContractModel.query(on: app.db).all()
        for c in contracts {
            contractLabels[c.id!] = "K[\(label(c.childID))/\(label(c.groupID))/\(label(c.periodID))/#\(made.firstIndex(of: c.id!).map { "\($0 + 1)" } ?? "rollover")]"
        }
        for (id, l) in contractLabels { labels[id] = l }
        var out = answers.map { "answer " + $0 }
        out += contracts.map { c in
            "contract \(label(c.id!)) child=\(label(c.childID)) group=\(label(c.groupID)) cert=\(label(c.certificateID)) period=\(label(c.periodID)) "
                + "program=\(label(c.programID)) module=\(label(c.moduleID)) provider=\(label(c.providerID)) family=\(label(c.familyID)) "
                + "municipality=\(label(c.municipalityID)) region=\(c.regionCode) funding=\(c.funding.rawValue) status=\(c.status.rawValue) "
                + "dates=\(c.startsOn)..\(c.endsOn) planned=\(c.plannedEndsOn) amounts=\(c.fullAmount)/\(c.certificateAmount)/\(c.parentAmount) "
                + "months=\(c.months) due=\(time(c.answerDue)) waitlist=\(c.fromWaitlist) created=\(time(c.createdAt)) offered=\(time(c.offeredAt)) "
                + "activated=\(time(c.activatedAt)) notice=\(time(c.noticeAt))/\(c.noticeBy?.rawValue ?? "-") closed=\(time(c.closedAt)) "
                + "reason=\(c.reason ?? "-") previous=\(c.previousID.map(label) ?? "-") prolongation=\(c.prolongation?.rawValue ?? "-")"
        }
        for g in try await GroupModel.query(on: app.db).filter(\.$id ~~ groups).all() {
            out.append("group \(label(g.id!)) taken=\(g.taken) capacity=\(g.capacity)")
        }
        for r in try await sql.select().columns("certificate_id", "period_id", "granted", "reserved", "spent", "expired", "seq").from("ledger_balances").all() {
            out.append("balance \(label(try r.decode(column: "certificate_id", as: UUID.self)))/\(label(try r.decode(column: "period_id", as: UUID.self))) "
                + ["granted", "reserved", "spent", "expired", "seq"].map { "\($0)=\((try? r.decode(column: $0, as: Int64.self)) ?? -1)" }.joined(separator: " "))
        }
        for r in try await sql.select().columns("certificate_id", "period_id", "contract_id", "kind", "amount", "operation_key", "note", "created_at", "seq")
            .from("ledger_entries").all() {
            let contract = try r.decode(column: "contract_id", as: UUID?.self)
            out.append("entry \(label(try r.decode(column: "certificate_id", as: UUID.self)))/\(label(try r.decode(column: "period_id", as: UUID.self))) "
                + "seq=\(try r.decode(column: "seq", as: Int64.self)) kind=\(try r.decode(column: "kind", as: String.self)) "
                + "amount=\(try r.decode(column: "amount", as: Int64.self)) contract=\(contract.map(label) ?? "-") "
                + "key=\(relabel(try r.decode(column: "operation_key", as: String.self))) note=\(relabel(try r.decode(column: "note", as: String?.self) ?? "-")) "
                + "at=\(time(try r.decode(column: "created_at", as: Date.self)))")
        }
        for r in try await sql.select().columns("contract_id", "certificate_id", "period_id", "held", "released", "charged", "corrected").from("ledger_contracts").all() {
            out.append("hold \(label(try r.decode(column: "contract_id", as: UUID.self))) \(label(try r.decode(column: "certificate_id", as: UUID.self)))/"
                + "\(label(try r.decode(column: "period_id", as: UUID.self))) "
                + ["held", "released", "charged", "corrected"].map { "\($0)=\((try? r.decode(column: $0, as: Int64.self)) ?? -1)" }.joined(separator: " "))
        }
        for n in try await NotificationModel.query(on: app.db).all() {
            out.append("notice \(label(n.userID)) \(n.kind.rawValue) \(relabel(n.text)) link=\(relabel(n.link ?? "-")) at=\(time(n.createdAt)) read=\(time(n.readAt))")
        }
        for e in try await WaitlistModel.query(on: app.db).all() {
            out.append("waiting \(label(e.groupID)) \(label(e.childID)) seq=\(e.seq) status=\(e.status.rawValue) contract=\(e.contractID.map(label) ?? "-") "
                + "start=\(e.startsOn) reason=\(e.reason ?? "-")")
        }
        let head = out.prefix(answers.count)
        return Array(head) + out.dropFirst(answers.count).sorted()
    }

    func label(_ id: UUID) -> String { labels[id] ?? "?" }

    func time(_ d: Date?) -> String { d.map { String(Int($0.timeIntervalSince1970.rounded())) } ?? "-" }

    /// Identifiers and contract numbers inside texts and keys, replaced by their labels.
    func relabel(_ s: String) -> String {
        var out = s
        for (n, l) in numbers where out.contains(n) { out = out.replacingOccurrences(of: n, with: l) }
        for (id, l) in labels {
            for spelling in [id.uuidString, id.uuidString.lowercased(), ContractModel.number(id)] where out.contains(spelling) {
                out = out.replacingOccurrences(of: spelling, with: l)
            }
        }
        return out
    }
}
