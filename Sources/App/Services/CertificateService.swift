import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

extension SQLDatabase {
    /// Takes the row's lock for the rest of the transaction: a row lock on PostgreSQL, the write lock on
    /// SQLite (so the transaction never has to upgrade a read lock, which SQLite may refuse).
    func lockRow(_ table: String, id: UUID) async throws {
        try await raw("UPDATE \(ident: table) SET id = id WHERE id = \(bind: id)").run()
    }
}

/// Children, certificates and their issuance (domain.md §4): applying, confirming at an issuing point or
/// by the municipality, numbers, ПФ and учёта, freezing, use-it-or-lose-it, closing at 18.
struct CertificateService: Sendable {
    let clock: AppClock
    let ledger: LedgerService
    let notifications: NotificationService

    init(clock: AppClock, ledger: LedgerService, notifications: NotificationService) {
        self.clock = clock
        self.ledger = ledger
        self.notifications = notifications
    }

    static func today(region: String, at instant: Date) -> LocalDate { ReferenceData.localDate(region: region, at: instant) }

    func today(_ region: String) -> LocalDate { Self.today(region: region, at: clock.now()) }

    // MARK: children

    func addChild(family: UserModel, input: ChildInput, on db: any Database) async throws -> ChildModel {
        let valid = try input.validate(today: today(family.regionCode)).get()
        guard let municipality = family.municipalityID else {
            throw FieldError(field: "municipality", message: "Укажите муниципалитет проживания в профиле семьи.")
        }
        if try await ChildModel.query(on: db).filter(\.$snils == valid.snils).first() != nil {
            throw FieldError(field: "snils", message: "Ребёнок с таким СНИЛС уже зарегистрирован в системе. Если это ваш ребёнок, обратитесь в муниципалитет.")
        }
        let c = ChildModel()
        c.familyID = try family.requireID()
        c.regionCode = family.regionCode
        c.municipalityID = municipality
        apply(valid, to: c)
        do { try await c.create(on: db) } catch where LedgerService.isUniqueViolation(error) {
            throw FieldError(field: "snils", message: "Ребёнок с таким СНИЛС уже зарегистрирован в системе.")
        }
        return c
    }

    private func apply(_ v: ChildInput.Valid, to c: ChildModel) {
        c.surname = v.surname
        c.name = v.name
        c.patronymic = v.patronymic
        c.birthDate = v.birthDate.iso
        c.sex = v.sex.rawValue
        c.snils = v.snils
        c.birthCertificateSeries = v.birthCertificateSeries
        c.birthCertificateNumber = v.birthCertificateNumber
    }

    func certificate(ofChild id: UUID, on db: any Database) async throws -> CertificateModel? {
        try await CertificateModel.query(on: db).filter(\.$childID == id).first()
    }

    /// Editing and removing are allowed while the child has no certificate (a rejected one does not count).
    private func requireNoCertificate(_ child: ChildModel, on db: any Database) async throws {
        if let cert = try await certificate(ofChild: child.requireID(), on: db), cert.status != .rejected {
            throw AppError(status: .conflict, code: "has_certificate",
                           reason: "У ребёнка есть сертификат: изменить или удалить данные можно только через муниципалитет.")
        }
    }

    func updateChild(_ child: ChildModel, input: ChildInput, on db: any Database) async throws {
        try await requireNoCertificate(child, on: db)
        let valid = try input.validate(today: today(child.regionCode)).get()
        if valid.snils != child.snils, try await ChildModel.query(on: db).filter(\.$snils == valid.snils).first() != nil {
            throw FieldError(field: "snils", message: "Ребёнок с таким СНИЛС уже зарегистрирован в системе.")
        }
        apply(valid, to: child)
        try await child.save(on: db)
    }

    func removeChild(_ child: ChildModel, on db: any Database) async throws {
        try await requireNoCertificate(child, on: db)
        try await db.transaction { tx in
            try await CertificateModel.query(on: tx).filter(\.$childID == child.requireID()).delete()
            try await child.delete(on: tx)
        }
    }

    // MARK: issuance

    /// The parent applies: a pending certificate of type учёта, waiting for the identity check.
    func apply(for child: ChildModel, on db: any Database) async throws -> CertificateModel {
        guard let birth = LocalDate(iso: child.birthDate) else { throw Abort(.internalServerError) }
        if let refusal = CertificateRules.ageRefusal(birth: birth, today: today(child.regionCode)) { throw refusal }
        let existing = try await certificate(ofChild: child.requireID(), on: db)
        let state = try CertificateLifecycle.next(existing?.state, .apply, by: .parent).get()
        let cert: CertificateModel
        if let existing {
            cert = existing
            cert.rejectionReason = nil
        } else {
            cert = CertificateModel()
            cert.childID = try child.requireID()
            cert.familyID = child.familyID
            cert.regionCode = child.regionCode
            cert.municipalityID = child.municipalityID
            cert.closesOn = CertificateRules.closesOn(birth: birth).iso
        }
        cert.state = state
        do { try await cert.save(on: db) } catch where LedgerService.isUniqueViolation(error) {
            throw AppError(status: .conflict, code: "certificate_exists", reason: "Заявление на сертификат уже подано.")
        }
        try await notifications.notify(child.familyID, .certificateApplied,
                                       "Заявление на сертификат для ребёнка \(child.fullName) принято. Подтвердите личность ребёнка в пункте выдачи сертификатов или в муниципалитете: возьмите свидетельство о рождении и СНИЛС.",
                                       link: SiteRoute.familyChild(child.id!).url, on: db)
        return cert
    }

    /// Whether `principal` may confirm certificates of `municipalityID`: its municipality's staff, or the
    /// staff of an issuing point of that municipality allowed to confirm.
    func mayConfirm(_ principal: Principal, municipalityID: UUID, on db: any Database) async throws -> Bool {
        switch principal.role {
        case .municipality:
            return principal.municipalityID == municipalityID
        case .provider:
            guard principal.mayConfirmCertificates, let pid = principal.providerID,
                  let provider = try await ProviderModel.find(pid, on: db) else { return false }
            return provider.isIssuingPoint && provider.status == .active && provider.municipalityID == municipalityID
        default:
            return false
        }
    }

    func confirm(_ certID: UUID, by principal: Principal, on db: any Database) async throws -> CertificateModel {
        let cert = try await db.transaction { tx -> CertificateModel in
            try await tx.sql.lockRow("certificates", id: certID)
            guard let cert = try await CertificateModel.find(certID, on: tx) else { throw Abort(.notFound) }
            guard try await mayConfirm(principal, municipalityID: cert.municipalityID, on: tx) else {
                throw AppError(status: .forbidden, code: "not_issuing_point",
                               reason: "Подтверждать сертификаты могут только пункты выдачи сертификатов и муниципалитет этой территории.")
            }
            cert.state = try CertificateLifecycle.next(cert.state, .confirm, by: Actor(principal)).get()
            cert.number = try await allocateNumber(for: cert, on: tx)
            cert.confirmedBy = principal.userID
            cert.confirmedAt = clock.now()
            try await cert.save(on: tx)
            return cert
        }
        try await notifications.notify(cert.familyID, .certificateConfirmed,
                                       "Сертификат дополнительного образования № \(cert.number ?? "") подтверждён. Теперь им можно пользоваться.",
                                       link: SiteRoute.familyChild(cert.childID).url, on: db)
        return cert
    }

    func reject(_ certID: UUID, reason: String, by principal: Principal, on db: any Database) async throws -> CertificateModel {
        let text = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        let cert = try await db.transaction { tx -> CertificateModel in
            try await tx.sql.lockRow("certificates", id: certID)
            guard let cert = try await CertificateModel.find(certID, on: tx) else { throw Abort(.notFound) }
            guard try await mayConfirm(principal, municipalityID: cert.municipalityID, on: tx) else {
                throw AppError(status: .forbidden, code: "not_issuing_point",
                               reason: "Отклонять заявления могут только пункты выдачи сертификатов и муниципалитет этой территории.")
            }
            cert.state = try CertificateLifecycle.next(cert.state, .reject(reason: text), by: Actor(principal)).get()
            cert.rejectionReason = text
            try await cert.save(on: tx)
            return cert
        }
        try await notifications.notify(cert.familyID, .certificateRejected,
                                       "Заявление на сертификат отклонено. Причина: \(text)",
                                       link: SiteRoute.familyChild(cert.childID).url, on: db)
        return cert
    }

    /// The next free number of the municipality: region (2) + municipality (2) + 6 digits.
    private func allocateNumber(for cert: CertificateModel, on tx: any Database) async throws -> String {
        guard let m = try await MunicipalityModel.find(cert.municipalityID, on: tx) else { throw Abort(.internalServerError) }
        let sql = tx.sql
        try await sql.insert(into: "certificate_numbers").columns("municipality_id", "last")
            .values(SQLBind(cert.municipalityID), SQLBind(0)).ignoringConflicts(with: ["municipality_id"]).run()
        guard let row = try await sql.update("certificate_numbers")
            .set(SQLIdentifier("last"), to: SQLBinaryExpression(SQLIdentifier("last"), .add, SQLLiteral.numeric("1")))
            .where("municipality_id", .equal, cert.municipalityID).returning("last").first() else { throw Abort(.internalServerError) }
        let serial = try row.decode(column: "last", as: Int.self)
        guard let number = CertificateRules.number(region: m.regionCode, municipality: m.code, serial: serial) else {
            throw AppError(status: .conflict, code: "numbers_exhausted", reason: "Номера сертификатов муниципалитета исчерпаны.")
        }
        return number
    }


    // MARK: ПФ and учёта

    /// Makes a confirmed certificate ПФ when a group of its municipality has a vacancy, and grants the
    /// nominal of the current period (full, or prorated as the group says). The group row is locked, so
    /// that two certificates never take the last place together.
    func makeFinancing(_ certID: UUID, on db: any Database) async throws -> CertificateModel {
        let (cert, granted) = try await db.transaction { tx -> (CertificateModel, Int64) in
            try await tx.sql.lockRow("certificates", id: certID)
            guard let cert = try await CertificateModel.find(certID, on: tx) else { throw Abort(.notFound) }
            if cert.kind == .financing && cert.state.usable { return (cert, 0) }
            let financing = try CertificateLifecycle.next(cert.state, .toFinancing, by: .system).get()
            guard let period = try await currentPeriod(cert.municipalityID, on: tx) else {
                throw AppError(status: .conflict, code: "no_period", reason: "В муниципалитете не открыт текущий период.")
            }
            let groups = try await CertificateGroupModel.query(on: tx).filter(\.$municipalityID == cert.municipalityID)
                .sort(\.$name).all()
            for group in groups {
                try await tx.sql.lockRow("certificate_groups", id: group.requireID())
                guard let nominal = try await nominal(group: group.requireID(), period: period.requireID(), on: tx), nominal > 0 else { continue }
                let count = try await CertificateModel.query(on: tx).filter(\.$groupID == group.requireID())
                    .filter(\.$kind == .financing).count()
                guard CertificateRules.hasVacancy(financingCount: count, nominalSum: Int64(count) * nominal, nominal: nominal,
                                                  capCount: group.capCount, capSum: group.capSum) else { continue }
                cert.state = financing
                cert.groupID = group.id
                cert.financingSince = clock.now()
                try await cert.save(on: tx)
                guard let start = LocalDate(iso: period.startsOn), let end = LocalDate(iso: period.endsOn) else { throw Abort(.internalServerError) }
                let amount = CertificateRules.grant(nominal: nominal, periodStart: start, periodEnd: end,
                                                    day: today(cert.regionCode), prorate: group.prorate)
                if amount > 0 {
                    _ = try await ledger.post(.init(certificateID: certID, periodID: period.requireID(), kind: .grant, amount: amount,
                                                    key: "grant:\(certID):\(period.id!):\(Int(cert.financingSince!.timeIntervalSince1970))",
                                                    note: "Номинал группы «\(group.name)»"), inTransaction: tx)
                }
                return (cert, amount)
            }
            throw AppError(status: .conflict, code: "no_vacancy",
                           reason: "В группах сертификатов муниципалитета нет свободных мест: сертификат остаётся сертификатом учёта. Место может освободиться позже.")
        }
        if granted > 0 {
            try await notifications.notify(cert.familyID, .financingGranted,
                                           "Сертификат № \(cert.number ?? "") стал сертификатом персонифицированного финансирования: начислено \(Money(kopecks: granted).formatted).",
                                           link: SiteRoute.familyChild(cert.childID).url, on: db)
        }
        return cert
    }

    func currentPeriod(_ municipalityID: UUID, on db: any Database) async throws -> PeriodModel? {
        try await PeriodModel.query(on: db).filter(\.$municipalityID == municipalityID).filter(\.$status == .current).first()
    }

    func nominal(group: UUID, period: UUID, on db: any Database) async throws -> Int64? {
        try await GroupNominalModel.query(on: db).filter(\.$groupID == group).filter(\.$periodID == period).first()?.nominal
    }

    func setFrozen(_ certID: UUID, _ frozen: Bool, by principal: Principal, on db: any Database) async throws {
        guard let cert = try await CertificateModel.find(certID, on: db) else { throw Abort(.notFound) }
        guard principal.role == .municipality, principal.municipalityID == cert.municipalityID else { throw Abort(.notFound) }
        cert.state = try CertificateLifecycle.next(cert.state, frozen ? .freeze : .unfreeze, by: Actor(principal)).get()
        try await cert.save(on: db)
    }

    /// Use-it-or-lose-it: a ПФ certificate without a contract `returnAfterDays` after it became ПФ returns
    /// to учёта (what was granted and not used goes back), freeing the place; the parent is warned
    /// `warningDays` before. Also closes certificates of children who turned 18. Safe to run again.
    struct SweepResult: Sendable, Equatable {
        var warned = 0
        var returned = 0
        var closed = 0
    }

    static let warningDays = 3

    func sweep(on db: any Database) async throws -> SweepResult {
        var result = SweepResult()
        let now = clock.now()
        let groups = try await CertificateGroupModel.query(on: db).all()
        for group in groups {
            // Only certificates already inside the warning window need a look.
            let cutoff = now.addingTimeInterval(-TimeInterval(group.returnAfterDays - Self.warningDays) * 86400)
            let certs = try await CertificateModel.query(on: db).filter(\.$groupID == group.requireID())
                .filter(\.$kind == .financing).filter(\.$financingSince <= cutoff).all()
            for cert in certs {
                guard let since = cert.financingSince else { continue }
                let deadline = since.addingTimeInterval(TimeInterval(group.returnAfterDays) * 86400)
                let hasContract = try await db.sql.select().column("contract_id").from("ledger_contracts")
                    .where("certificate_id", .equal, cert.requireID()).first() != nil
                if hasContract { continue }
                if now >= deadline {
                    if try await returnToAccounting(cert.requireID(), expectedSince: since, on: db) { result.returned += 1 }
                } else if now >= deadline.addingTimeInterval(-TimeInterval(Self.warningDays) * 86400) {
                    let date = Self.today(region: cert.regionCode, at: deadline)
                    let warned = try await notifications.notify(cert.familyID, .returnWarning,
                                                   "Сертификат № \(cert.number ?? "") не используется: если до \(date.russian) не записаться на программу, он вернётся в статус сертификата учёта, а средства — в муниципалитет.",
                                                   link: SiteRoute.familyChild(cert.childID).url,
                                                   dedupe: "return-warning:\(cert.id!):\(Int(since.timeIntervalSince1970))", on: db)
                    if warned { result.warned += 1 }
                }
            }
        }
        for region in ReferenceData.regions.map(\.code) {
            let today = self.today(region)
            let adults = try await CertificateModel.query(on: db).filter(\.$status == .active)
                .filter(\.$regionCode == region).filter(\.$closesOn <= today.iso).all()
            for cert in adults {
                cert.state = try CertificateLifecycle.next(cert.state, .close, by: .system).get()
                try await cert.save(on: db)
                result.closed += 1
            }
        }
        return result
    }

    /// Returns a ПФ certificate to учёта, giving back what is available in the current period.
    func returnToAccounting(_ certID: UUID, expectedSince: Date, on db: any Database) async throws -> Bool {
        let cert = try await db.transaction { tx -> CertificateModel? in
            try await tx.sql.lockRow("certificates", id: certID)
            guard let cert = try await CertificateModel.find(certID, on: tx), cert.kind == .financing,
                  cert.financingSince == expectedSince else { return nil }
            if let period = try await currentPeriod(cert.municipalityID, on: tx) {
                let b = try await ledger.balance(certificateID: certID, periodID: period.requireID(), on: tx)
                if b.reserved > 0 { return nil }
                if b.available > 0 {
                    _ = try await ledger.post(.init(certificateID: certID, periodID: period.requireID(), kind: .grantReduction,
                                                    amount: b.available, key: "return:\(certID):\(Int(expectedSince.timeIntervalSince1970))",
                                                    note: "Возврат в сертификат учёта: не использован"), inTransaction: tx)
                }
            }
            cert.state = try CertificateLifecycle.next(cert.state, .toAccounting, by: .system).get()
            cert.groupID = nil
            cert.financingSince = nil
            try await cert.save(on: tx)
            return cert
        }
        guard let cert else { return false }
        try await notifications.notify(cert.familyID, .returnedToAccounting,
                                       "Сертификат № \(cert.number ?? "") вернулся в статус сертификата учёта: он не использовался. Его можно снова перевести в ПФ, когда в группе будут места.",
                                       link: SiteRoute.familyChild(cert.childID).url, on: db)
        return true
    }
}
