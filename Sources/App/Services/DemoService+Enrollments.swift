import Domain
import Fluent
import SQLKit
import Vapor

extension DemoService {
    /// Applications and contracts of demo families in every state of §7, made through the enrollment
    /// service itself (places, holds, notifications and all). The named families come first. A rerun after
    /// an interruption finds the contracts made and stops.
    func loadEnrollments() async throws {
        guard try await ContractModel.query(on: db).count() == 0 else { return }
        let enrollment = app.navigator.enrollment
        let service = enrollment.steps
        let today = self.today
        let named = try await UserModel.query(on: db).filter(\.$email ~~ ["parent@osinniki.example", "parent@barnaul.example"]).all().compactMap(\.id)
        let namedCerts = try await CertificateModel.query(on: db).filter(\.$familyID ~~ named).filter(\.$status == .active).all()
        let others = try await CertificateModel.query(on: db).filter(\.$status == .active).filter(\.$frozen == false)
            .sort(\.$number).limit(300).all().filter { !named.contains($0.familyID) }
        let programs = Dictionary(uniqueKeysWithValues: try await ProgramModel.query(on: db).filter(\.$status == ProgramStatus.certified)
            .all().map { ($0.id!, $0) })
        let groups = try await GroupModel.query(on: db).filter(\.$status == GroupStatus.open).sort(\.$name).all()
            .filter { programs[$0.programID] != nil && $0.endsOn > today.iso && $0.taken < $0.capacity }
        var staff: [UUID: UUID] = [:]
        for u in try await UserModel.query(on: db).filter(\.$role == Role.provider).all() {
            if let p = u.providerID, staff[p] == nil { staff[p] = u.id }
        }
        /// Whether a child with this certificate may enroll in the group (region, certificate type, age at the start).
        func fits(_ g: GroupModel, _ cert: CertificateModel, _ birth: LocalDate) -> Bool {
            guard let p = programs[g.programID], p.regionCode == cert.regionCode, let gs = LocalDate(iso: g.startsOn) else { return false }
            let age = EnrollmentRules.ageInMonths(birth: birth, on: max(gs, today))
            return (p.funding != .certificate || cert.kind == .financing) && (p.ageFrom...p.ageTo).contains(age)
        }
        let plan: [ContractStatus] = [.active, .applied, .offered, .terminating, .rejected, .withdrawn, .expired, .terminated]
        var made = 0
        for (i, cert) in (namedCerts + others).enumerated() where made < 3 * plan.count {
            guard let child = try await ChildModel.find(cert.childID, on: db), let birth = LocalDate(iso: child.birthDate) else { continue }
            let fitting = groups.filter { fits($0, cert, birth) }
            guard !fitting.isEmpty else { continue }
            let target = plan[made % plan.count]
            let group = fitting[(i * 7) % fitting.count]
            // A contract ended before its first day needs a start after this month.
            var start: LocalDate? = nil
            if target == .terminated {
                let next = EnrollmentRules.lastOfMonth(today).adding(days: 1)
                guard let ge = LocalDate(iso: group.endsOn), next <= ge, next.year == today.year else { continue }
                start = max(next, LocalDate(iso: group.startsOn) ?? next)
            }
            let c: ContractRow
            do {
                c = try await enrollment.applications.apply(.init(childID: child.requireID(), family: nil, groupID: group.requireID(), start: start))
            } catch is Refusal { continue }
            let id = c.id
            let family = Principal(userID: c.familyID, role: .parent, regionCode: c.regionCode)
            let provider = Principal(userID: staff[c.providerID] ?? UUID(), role: .provider, regionCode: c.regionCode, providerID: c.providerID)
            switch target {
            case .applied: break
            case .offered: try await service.step(id, .offer, by: provider)
            case .active:
                try await service.step(id, .offer, by: provider)
                try await service.step(id, .accept, by: family)
            case .terminating, .terminated:
                try await service.step(id, .offer, by: provider)
                try await service.step(id, .accept, by: family)
                try await service.step(id, .notice, by: family)
            case .rejected: try await service.step(id, .reject(reason: "Группа укомплектована детьми другого уровня подготовки."), by: provider)
            case .withdrawn: try await service.step(id, .withdraw, by: family)
            case .expired:
                // An application the provider left unanswered: its deadline is moved to the past, the sweep closes it.
                try await db.sql.update("contracts").set("answer_due", to: clock.now().addingTimeInterval(-60)).where("id", .equal, id).run()
                try await service.step(id, .expire, by: nil)
            }
            made += 1
        }
        // A full group with a waiting list: the open group with the fewest free places that enough children
        // fit fills up with their applications, and two more children queue for it.
        var births: [UUID: LocalDate] = [:]
        for c in try await ChildModel.query(on: db).filter(\.$id ~~ others.map(\.childID)).all() { births[c.id!] = LocalDate(iso: c.birthDate) }
        func eligible(_ g: GroupModel) -> [CertificateModel] {
            others.filter { cert in births[cert.childID].map { fits(g, cert, $0) } ?? false }
        }
        let fresh = try await GroupModel.query(on: db).filter(\.$id ~~ groups.map { $0.id! }).all()
        guard let (target, children) = fresh.sorted(by: { $0.capacity - $0.taken < $1.capacity - $1.taken })
            .lazy.map({ ($0, eligible($0)) }).first(where: { g, e in e.count >= g.capacity - g.taken + 4 }) else { return }
        var queued = 0
        for cert in children.reversed() where queued < 2 {
            guard let child = try await ChildModel.find(cert.childID, on: db) else { continue }
            let full = try await GroupModel.find(target.requireID(), on: db).map { $0.taken >= $0.capacity } ?? true
            do {
                if full {
                    let plan = try await enrollment.reader.plan(child: child, groupID: target.requireID(), start: nil, now: clock.now(), on: db)
                    _ = try await enrollment.waitingLists.join(child: child, plan: plan)
                    queued += 1
                } else {
                    _ = try await enrollment.applications.apply(.init(childID: child.requireID(), family: nil, groupID: target.requireID(), start: nil))
                }
            } catch is Refusal { continue }
        }
    }

    var today: LocalDate {
        LocalDate(clock.now(), in: TimeZone(identifier: "Asia/Novokuznetsk")!)
    }
}
