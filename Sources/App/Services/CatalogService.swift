import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// The program registry (domain.md §3): programs, modules and groups kept by provider staff; certification
/// by the operator with the normative cost and the regional price cap. Every change raises the catalogue
/// counter in its transaction and refreshes this instance's catalogue after the commit.
struct CatalogService: Sendable {
    let store: Store
    let clock: AppClock
    let catalog: CatalogAccess

    private var db: any Database { store.db }

    // MARK: regional settings

    func priceCap(region: String, on db: any Database) async throws -> Int {
        try await db.sql.select().column("price_cap_percent").from("region_settings").where("region_code", .equal, region)
            .first()?.decode(column: "price_cap_percent", as: Int.self) ?? PriceCap.defaultPercent
    }

    /// The operator sets the cap; certified prices stay as they are (nothing is changed retroactively),
    /// the new cap applies to every later price and certification.
    func setPriceCap(region: String, raw: String) async throws {
        guard let p = Int(raw.trimmingCharacters(in: .whitespaces)), PriceCap.allowedPercents.contains(p) else {
            throw ValidationFailure([FieldError(field: "priceCapPercent", message: "Предельная цена — от 50 до 300 % нормативной стоимости, целым числом.")])
        }
        try await db.sql.update("region_settings").set("price_cap_percent", to: p).set("updated_at", to: clock.now())
            .where("region_code", .equal, region).run()
    }

    // MARK: programs

    private func apply(_ v: ProgramInput.Valid, to p: ProgramModel) {
        p.name = v.name
        p.annotation = v.annotation
        p.direction = v.direction.rawValue
        p.activityKinds = v.activityKinds.joined(separator: ",")
        p.level = v.level.rawValue
        p.form = v.form.rawValue
        p.distance = v.distance
        p.ageFrom = v.ageFrom
        p.ageTo = v.ageTo
        p.disabilities = v.disabilities.map(\.rawValue).joined(separator: ",")
        p.funding = v.funding
    }

    /// Runs a registry change in one transaction with the catalogue counter, then refreshes the catalogue.
    private func change<T: Sendable>(_ body: @escaping @Sendable (any Database, Int64) async throws -> T) async throws -> T {
        let result = try await db.transaction { tx in
            let seq = try await CatalogStore.bump(tx)
            return try await body(tx, seq)
        }
        try await catalog.refresh()
        return result
    }

    func createProgram(provider: ProviderModel, input: ProgramInput) async throws -> ProgramModel {
        guard provider.status != .banned else {
            throw AppError(status: .forbidden, code: "provider_banned", reason: "Поставщик исключён из реестра: добавлять программы нельзя.")
        }
        let v = try input.validate().get()
        return try await change { tx, seq in
            let p = ProgramModel()
            self.apply(v, to: p)
            p.providerID = provider.id!
            p.regionCode = provider.regionCode
            p.municipalityID = provider.municipalityID
            p.status = ProgramStatus.draft
            p.wasPublished = false
            p.changeSeq = seq
            try await p.create(on: tx)
            return p
        }
    }

    /// Edits the card. Changing the funding kind of a certified program sends it back to certification.
    func updateProgram(_ program: ProgramModel, input: ProgramInput) async throws {
        guard program.status.mayEdit else {
            throw AppError(status: .conflict, code: "archived", reason: "Программа в архиве: её нельзя изменить.")
        }
        let v = try input.validate().get()
        let id = try program.requireID()
        try await change { tx, seq in
            guard let p = try await ProgramModel.find(id, on: tx) else { throw Abort(.notFound) }
            let moneyChanged = p.funding != v.funding
            self.apply(v, to: p)
            if moneyChanged && (p.status == .certified || p.status == .certification) {
                p.status = try ProgramLifecycle.next(p.status, .moneyChanged, by: .provider, true).get()
                p.statusReason = "Изменён вид финансирования: программа снова на сертификации."
                if v.funding == .free {
                    try await ModuleModel.query(on: tx).filter(\.$programID == id).set(\.$price, to: 0).update()
                }
            }
            p.changeSeq = seq
            try await p.save(on: tx)
        }
    }

    func modules(of programID: UUID, on db: any Database) async throws -> [ModuleModel] {
        try await ModuleModel.query(on: db).filter(\.$programID == programID).sort(\.$position).all()
    }

    /// Adds or edits a module. A price above the regional cap of a module's normative cost is refused; a change of
    /// price, months or hours of a certified program sends it back to certification (contracts keep their terms).
    func saveModule(_ existing: ModuleModel?, program: ProgramModel, input: ModuleInput) async throws -> ModuleModel {
        guard program.status.mayEdit else {
            throw AppError(status: .conflict, code: "archived", reason: "Программа в архиве: её нельзя изменить.")
        }
        let v = try input.validate(funding: program.funding).get()
        let cap = try await priceCap(region: program.regionCode, on: db)
        if let n = existing?.normative, program.funding == .certificate, let e = PriceCap.check(price: v.price, normative: n, percent: cap) {
            throw ValidationFailure([e])
        }
        if let existing {
            let taken = try await GroupModel.query(on: db).filter(\.$moduleID == existing.requireID()).max(\.$capacity) ?? 0
            if v.maxChildren < taken {
                throw ValidationFailure([FieldError(field: "maxChildren", message: "В группе модуля \(taken) мест: максимальная наполняемость не может быть меньше.")])
            }
        }
        let programID = try program.requireID()
        return try await change { tx, seq in
            guard let p = try await ProgramModel.find(programID, on: tx) else { throw Abort(.notFound) }
            let m: ModuleModel
            if let existing, let found = try await ModuleModel.find(existing.requireID(), on: tx) {
                m = found
            } else {
                m = ModuleModel()
                m.programID = programID
                m.providerID = p.providerID
                m.regionCode = p.regionCode
                m.municipalityID = p.municipalityID
                m.position = (try await ModuleModel.query(on: tx).filter(\.$programID == programID).max(\.$position) ?? -1) + 1
                m.normative = nil
            }
            let moneyChanged = existing == nil || m.price != v.price || m.months != v.months || m.hours != v.hours
            m.name = v.name
            m.months = v.months
            m.hours = v.hours
            m.minChildren = v.minChildren
            m.maxChildren = v.maxChildren
            m.price = v.price
            if moneyChanged && p.status == .certified {
                p.status = try ProgramLifecycle.next(p.status, .moneyChanged, by: .provider, true).get()
                p.statusReason = "Изменены цена или объём модуля «\(v.name)»: программа снова на сертификации. Заключённые договоры не меняются."
            }
            p.changeSeq = seq
            try await p.save(on: tx)
            try await m.save(on: tx)
            return m
        }
    }

    func groups(of programID: UUID, on db: any Database) async throws -> [GroupModel] {
        try await GroupModel.query(on: db).filter(\.$programID == programID).sort(\.$startsOn).sort(\.$name).all()
    }

    /// Adds or edits a group of a module (`input.module`, one of the program's); groups do not need certification.
    func saveGroup(_ existing: GroupModel?, program: ProgramModel, input: GroupInput) async throws -> GroupModel {
        guard program.status.mayEdit else {
            throw AppError(status: .conflict, code: "archived", reason: "Программа в архиве: её нельзя изменить.")
        }
        let programID = try program.requireID()
        let module: ModuleModel? = if let moduleID = input.module { try await ModuleModel.find(moduleID, on: db) } else { nil }
        guard let module, module.programID == programID else {
            throw ValidationFailure([FieldError(field: "module", message: "Выберите модуль программы.")])
        }
        let v = try input.validate(maxChildren: module.maxChildren, taken: existing?.taken ?? 0).get()
        return try await change { tx, seq in
            let g: GroupModel
            if let existing, let found = try await GroupModel.find(existing.requireID(), on: tx) {
                g = found
            } else {
                g = GroupModel()
                g.programID = programID
                g.providerID = program.providerID
                g.regionCode = program.regionCode
                g.municipalityID = program.municipalityID
                g.taken = 0
            }
            g.moduleID = try module.requireID()
            g.name = v.name
            g.teacher = v.teacher
            g.address = v.address
            g.latitude = v.latitude
            g.longitude = v.longitude
            g.startsOn = v.startsOn.iso
            g.endsOn = v.endsOn.iso
            g.capacity = v.capacity
            g.schedule = GroupModel.encodeSchedule(v.schedule)
            g.enrollFrom = v.enrollFrom?.iso
            g.enrollUntil = v.enrollUntil?.iso
            g.status = v.status
            try await g.save(on: tx)
            if let p = try await ProgramModel.find(programID, on: tx) {
                p.changeSeq = seq
                try await p.save(on: tx)
            }
            return g
        }
    }

    // MARK: the certification workflow

    /// The provider sends a draft (or a refused program, after fixing it) to certification.
    func submit(_ program: ProgramModel) async throws {
        let id = try program.requireID()
        let count = try await ModuleModel.query(on: db).filter(\.$programID == id).count()
        let status = try ProgramLifecycle.next(program.status, .submit, by: .provider, count > 0).get()
        try await setStatus(id, status, reason: nil)
    }

    /// The operator certifies: the normative cost of every module (for a certified program), checked against the cap.
    func certify(_ program: ProgramModel, normatives: [String]) async throws {
        _ = try ProgramLifecycle.next(program.status, .certify, by: .operator_, true).get()
        let id = try program.requireID()
        let modules = try await self.modules(of: id, on: db)
        var values: [Int64?] = modules.map { _ in nil }
        if program.funding == .certificate {
            let cap = try await priceCap(region: program.regionCode, on: db)
            values = try Certification.check(prices: modules.map(\.price), normatives: normatives, capPercent: cap).get().map { $0 }
        }
        let normativeValues = values
        try await change { tx, seq in
            for (m, n) in zip(modules, normativeValues) {
                try await ModuleModel.query(on: tx).filter(\.$id == m.requireID()).set(\.$normative, to: n).update()
            }
            guard let p = try await ProgramModel.find(id, on: tx) else { throw Abort(.notFound) }
            p.status = try ProgramLifecycle.next(p.status, .certify, by: .operator_, true).get()
            p.statusReason = nil
            p.wasPublished = true
            p.changeSeq = seq
            try await p.save(on: tx)
        }
    }

    func refuse(_ program: ProgramModel, reason raw: String) async throws {
        let reason = ModerationRules.reason(raw)
        let status = try ProgramLifecycle.next(program.status, .refuse(reason: reason), by: .operator_, true).get()
        try await setStatus(program.requireID(), status, reason: reason)
    }

    /// Archiving takes a program out of the catalogue; contracts already made run on.
    func archive(_ program: ProgramModel, by principal: Principal) async throws {
        guard program.status != .archived else { return }
        try await setStatus(program.requireID(), try ProgramLifecycle.next(program.status, .archive, by: Actor(principal), true).get(), reason: nil)
    }

    private func setStatus(_ id: UUID, _ status: ProgramStatus, reason: String?) async throws {
        try await change { tx, seq in
            guard let p = try await ProgramModel.find(id, on: tx) else { throw Abort(.notFound) }
            p.status = status
            p.statusReason = reason
            p.changeSeq = seq
            try await p.save(on: tx)
        }
    }

    /// A provider's moderation status decides whether its programs are published: mark them all changed.
    static func providerChanged(_ providerID: UUID, on tx: any Database) async throws {
        let seq = try await CatalogStore.bump(tx)
        try await ProgramModel.query(on: tx).filter(\.$providerID == providerID).set(\.$changeSeq, to: seq).update()
    }
}
