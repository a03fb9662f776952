import Domain
import Fluent
import Foundation
import SQLKit
import Vapor

/// The municipal certificate programme: periods, certificate groups, nominals and caps, contracting
/// switches, and the period rollover (grants of the new period, expiry of the old one's leftovers).
struct ProgramService: Sendable {
    let clock: AppClock
    let ledger: LedgerService
    let notifications: NotificationService
    let prolongations: Prolongations
    let audit: AuditLog

    // MARK: periods

    func createPeriod(municipalityID: UUID, startsOn: String, endsOn: String, on db: any Database) async throws -> PeriodModel {
        var errors: [FieldError] = []
        let start = LocalDate(iso: startsOn) ?? ChildInput.russianDate(startsOn)
        let end = LocalDate(iso: endsOn) ?? ChildInput.russianDate(endsOn)
        if start == nil { errors.append(FieldError(field: "startsOn", message: "Дата начала периода указана неверно.")) }
        if end == nil { errors.append(FieldError(field: "endsOn", message: "Дата окончания периода указана неверно.")) }
        if let start, let end {
            if end < start { errors.append(FieldError(field: "endsOn", message: "Период заканчивается раньше, чем начинается.")) }
            else if end.dayNumber - start.dayNumber > 400 { errors.append(FieldError(field: "endsOn", message: "Период не может быть длиннее 13 месяцев.")) }
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        let periods = try await PeriodModel.query(on: db).filter(\.$municipalityID == municipalityID).all()
        for p in periods where p.status != .closed {
            if let ps = LocalDate(iso: p.startsOn), let pe = LocalDate(iso: p.endsOn), !(end! < ps || start! > pe) {
                throw FieldError(field: "startsOn", message: "Период пересекается с периодом \(ps.russian)–\(pe.russian).")
            }
        }
        let open = periods.filter { $0.status != .closed }
        if open.count >= 2 {
            throw FieldError(field: "startsOn", message: "У муниципалитета уже есть текущий и следующий периоды.")
        }
        let p = PeriodModel()
        p.municipalityID = municipalityID
        p.startsOn = start!.iso
        p.endsOn = end!.iso
        p.status = PeriodLifecycle.start(hasCurrent: open.contains { $0.status == .current })
        if p.status == .next, let cur = open.first, let curEnd = LocalDate(iso: cur.endsOn), start! <= curEnd {
            throw FieldError(field: "startsOn", message: "Следующий период должен начинаться после текущего.")
        }
        p.contractingOpen = false
        try await p.create(on: db)
        return p
    }

    func setContracting(_ periodID: UUID, open: Bool, municipalityID: UUID, on db: any Database) async throws {
        guard let p = try await PeriodModel.find(periodID, on: db), p.municipalityID == municipalityID else { throw Abort(.notFound) }
        p.status = try PeriodLifecycle.next(p.status, .contracting(open: open), by: .municipality, try await context(of: p, on: db)).get()
        p.contractingOpen = open
        try await p.save(on: db)
    }

    /// The other periods of the municipality, as the period lifecycle looks at them.
    func context(of period: PeriodModel, on db: any Database) async throws -> PeriodContext {
        let others = try await PeriodModel.query(on: db).filter(\.$municipalityID == period.municipalityID).filter(\.$status != .closed).all()
            .filter { $0.id != period.id }
        return PeriodContext(hasCurrent: others.contains { $0.status == .current }, hasNext: others.contains { $0.status == .next })
    }

    // MARK: groups and nominals

    func saveGroup(_ existing: CertificateGroupModel?, municipalityID: UUID, input: CertificateGroupInput, on db: any Database) async throws -> CertificateGroupModel {
        let v = try input.validate().get()
        let g = existing ?? CertificateGroupModel()
        if existing == nil {
            g.municipalityID = municipalityID
            g.version = 0
        } else {
            // Caps can be lowered only down to what is already used.
            let count = try await CertificateModel.query(on: db).filter(\.$groupID == g.requireID()).filter(\.$kind == .financing).count()
            if v.capCount < count {
                throw FieldError(field: "capCount", message: "В группе уже \(count) сертификатов ПФ: лимит не может быть меньше.")
            }
        }
        g.name = v.name
        g.capCount = v.capCount
        g.capSum = v.capSum
        g.returnAfterDays = v.returnAfterDays
        g.carryOver = v.carryOver
        g.prorate = v.prorate
        do { try await g.save(on: db) } catch where LedgerService.isUniqueViolation(error) {
            throw FieldError(field: "name", message: "Группа с таким названием уже есть.")
        }
        return g
    }

    /// Sets a group's nominal for a period. For a period that has started, every ПФ certificate of the
    /// group gets the difference (granted, or taken back); lowering never goes below what a certificate
    /// has already committed (held or spent), and the sum cap is respected.
    func setNominal(groupID: UUID, periodID: UUID, nominalText: String, municipalityID: UUID, on db: any Database) async throws {
        guard let nominal = Roubles.parse(nominalText), nominal <= KopecksInput.max else {
            throw FieldError(field: "nominal", message: "Номинал — сумма в рублях не больше \(Money(kopecks: KopecksInput.max).formatted), например 12 000,00.")
        }
        try await db.transaction { tx in
            try await tx.sql.lockRow("certificate_groups", id: groupID)
            guard let group = try await CertificateGroupModel.find(groupID, on: tx), group.municipalityID == municipalityID,
                  let period = try await PeriodModel.find(periodID, on: tx), period.municipalityID == municipalityID else {
                throw Abort(.notFound)
            }
            guard period.status != .closed else { throw AppError(status: .conflict, code: "closed", reason: "Период закрыт.") }
            let row = try await GroupNominalModel.query(on: tx).filter(\.$groupID == groupID).filter(\.$periodID == periodID).first()
            let old = row?.nominal ?? 0
            let certs = try await CertificateModel.query(on: tx).filter(\.$groupID == groupID).filter(\.$kind == .financing).all()
            if Int64(certs.count) * nominal > group.capSum {
                throw FieldError(field: "nominal", message: "Сумма номиналов (\(Money(kopecks: Int64(certs.count) * nominal).formatted)) превысит лимит группы \(Money(kopecks: group.capSum).formatted).")
            }
            group.version += 1
            try await group.save(on: tx)
            if period.status == .current && nominal != old {
                for cert in certs {
                    let b = try await ledger.balance(certificateID: cert.requireID(), periodID: periodID, on: tx)
                    if nominal < old {
                        let diff = old - nominal
                        if diff > b.available {
                            throw FieldError(field: "nominal", message: "Номинал нельзя снизить до \(Money(kopecks: nominal).formatted): по сертификату № \(cert.number ?? "") уже зарезервировано и списано \(Money(kopecks: b.reserved + b.spent).formatted).")
                        }
                        _ = try await ledger.post(.init(certificateID: cert.requireID(), periodID: periodID, kind: .grantReduction, amount: diff,
                                                        key: "nominal:\(groupID):\(periodID):\(group.version):\(cert.id!)", note: "Номинал снижен"), inTransaction: tx)
                    } else {
                        _ = try await ledger.post(.init(certificateID: cert.requireID(), periodID: periodID, kind: .grant, amount: nominal - old,
                                                        key: "nominal:\(groupID):\(periodID):\(group.version):\(cert.id!)", note: "Номинал повышен"), inTransaction: tx)
                    }
                }
            }
            let r = row ?? GroupNominalModel()
            r.groupID = groupID
            r.periodID = periodID
            r.nominal = nominal
            try await r.save(on: tx)
        }
    }

    // MARK: rollover

    struct RolloverResult: Sendable, Equatable {
        var certificates = 0
        var posted = 0
        /// Contracts prolonged into the opened period (in force, and waiting for the parent's acceptance).
        var prolonged = 0
        var awaitingConsent = 0
    }

    /// Closes the current period: expires what is left available on every certificate (or, where the
    /// group carries leftovers over, moves them into the next period), then marks it closed. Batches of
    /// certificates are separate transactions with ledger keys, so an interrupted close finishes when run
    /// again and nothing is posted twice.
    func closePeriod(municipalityID: UUID, override: Bool = false, by actor: AuditActor = .commandLine,
                     progress: ((Int, Int) -> Void)? = nil, on db: any Database) async throws -> RolloverResult {
        let check = try await closeCheck(municipalityID: municipalityID, on: db)
        let period = check.period
        if let refusal = check.refusal {
            guard override else { throw AppError(Refusal(refusal.code, field: refusal.field, refusal.message + " " + check.expiring.text, kind: .conflict)) }
            try await audit.record(actor, "period-close-override", municipalityID: municipalityID, amount: check.expiring.amount,
                                   "Период \(period.startsOn)–\(period.endsOn) закрывается досрочно (\(refusal.message)) \(check.expiring.text)", on: db.sql)
        }
        let next = try await PeriodModel.query(on: db).filter(\.$municipalityID == municipalityID).filter(\.$status == .next).first()
        let groups = Dictionary(uniqueKeysWithValues: try await CertificateGroupModel.query(on: db)
            .filter(\.$municipalityID == municipalityID).all().map { ($0.id!, $0) })
        var result = RolloverResult()
        let rows = try await db.sql.select().columns("certificate_id", "granted", "reserved", "spent", "expired").from("ledger_balances")
            .where("period_id", .equal, period.requireID()).all()
        let total = rows.count
        for chunk in stride(from: 0, to: rows.count, by: 500) {
            let part = rows[chunk..<min(rows.count, chunk + 500)]
            let posted = try await db.transaction { tx -> Int in
                var posted = 0
                for r in part {
                    let certID = try r.decode(column: "certificate_id", as: UUID.self)
                    let b = try await ledger.balance(certificateID: certID, periodID: period.requireID(), on: tx)
                    guard b.available > 0 else { continue }
                    let cert = try await CertificateModel.find(certID, on: tx)
                    let carry = cert?.groupID.flatMap { groups[$0] }?.carryOver == true && next != nil
                    let outcome = try await ledger.post(.init(certificateID: certID, periodID: period.requireID(), kind: .expiry,
                                                              amount: b.available, key: "expiry:\(certID):\(period.id!)",
                                                              note: carry ? "Остаток перенесён в следующий период" : "Период закрыт"), inTransaction: tx)
                    if case .applied = outcome { posted += 1 }
                    if carry, let next {
                        _ = try await ledger.post(.init(certificateID: certID, periodID: next.requireID(), kind: .grant, amount: b.available,
                                                        key: "carry:\(certID):\(period.id!)", note: "Остаток прошлого периода"), inTransaction: tx)
                    }
                }
                return posted
            }
            result.posted += posted
            result.certificates += part.count
            progress?(result.certificates, total)
        }
        period.status = try PeriodLifecycle.next(period.status, .close, by: .system, try await context(of: period, on: db)).get()
        period.contractingOpen = false
        try await period.save(on: db)
        try await audit.record(actor, "period-close", municipalityID: municipalityID, amount: check.expiring.amount,
                               "Период \(period.startsOn)–\(period.endsOn) закрыт: сертификатов \(result.certificates), операций списания \(result.posted).", on: db.sql)
        return result
    }

    /// What expires when the current period closes: the sum left available and on how many certificates.
    struct Expiring: Sendable, Hashable {
        let certificates: Int
        let amount: Int64
        var text: String {
            "Будет списан остаток \(Money(kopecks: amount).formatted) на \(certificates) сертификатах (в группах с переносом остатка он перейдёт в следующий период)."
        }
    }

    struct CloseCheck: Sendable {
        let period: PeriodModel
        let refusal: Refusal?
        let expiring: Expiring
    }

    /// Whether the current period may close now (after its last day and its last month's close), and what would expire.
    func closeCheck(municipalityID: UUID, on db: any Database) async throws -> CloseCheck {
        guard let period = try await PeriodModel.query(on: db).filter(\.$municipalityID == municipalityID)
            .filter(\.$status == .current).first() else {
            throw AppError(status: .conflict, code: "no_current_period", reason: "Нет текущего периода для закрытия.")
        }
        guard let m = try await MunicipalityModel.find(municipalityID, on: db),
              let start = LocalDate(iso: period.startsOn), let end = LocalDate(iso: period.endsOn) else { throw Abort(.notFound) }
        let today = CertificateService.today(region: m.regionCode, at: clock.now())
        let lastMonthClosed = try await db.sql.select().column("status").from("month_closes").where("municipality_id", .equal, municipalityID)
            .where("month", .equal, Month(end).key).first()?.decode(column: "status", as: String.self) == "done"
        let available = SQLRaw("granted - reserved - spent - expired")
        let row = try await db.sql.select()
            .column(SQLFunction("count", args: SQLLiteral.all), as: "n")
            .column(SQLRaw("CAST(coalesce(sum(granted - reserved - spent - expired), 0) AS BIGINT)"), as: "total")
            .from("ledger_balances").where("period_id", .equal, period.requireID()).where(available, .greaterThan, SQLLiteral.numeric("0")).first()
        let expiring = Expiring(certificates: try row?.decode(column: "n", as: Int.self) ?? 0, amount: try row?.decode(column: "total", as: Int64.self) ?? 0)
        return CloseCheck(period: period, refusal: PeriodDates.mayClose(startsOn: start, endsOn: end, today: today, lastMonthClosed: lastMonthClosed),
                          expiring: expiring)
    }

    /// Opens the next period: it becomes current, every ПФ certificate gets its group's nominal for it, and the
    /// contracts of the closed period whose groups go on are prolonged into it (domain §7). Run again after an
    /// interruption (the period already current), it grants and prolongs what is still missing.
    func openPeriod(municipalityID: UUID, override: Bool = false, by actor: AuditActor = .commandLine,
                    progress: ((Int, Int) -> Void)? = nil, on db: any Database) async throws -> RolloverResult {
        let periods = try await PeriodModel.query(on: db).filter(\.$municipalityID == municipalityID).filter(\.$status != .closed).all()
        let period: PeriodModel
        if let candidate = periods.first(where: { $0.status == .current }) ?? periods.first(where: { $0.status == .next }) {
            if candidate.status == .next, let start = LocalDate(iso: candidate.startsOn),
               let m = try await MunicipalityModel.find(municipalityID, on: db),
               let refusal = PeriodDates.mayOpen(startsOn: start, today: CertificateService.today(region: m.regionCode, at: clock.now())) {
                guard override else { throw AppError(refusal) }
                try await audit.record(actor, "period-open-override", municipalityID: municipalityID,
                                       "Период \(candidate.startsOn)–\(candidate.endsOn) открывается досрочно: \(refusal.message)", on: db.sql)
            }
            // A current period: an interrupted opening, which grants what is still missing.
            candidate.status = try PeriodLifecycle.next(candidate.status, .open, by: .system, try await context(of: candidate, on: db)).get()
            try await candidate.save(on: db)
            period = candidate
        } else {
            throw AppError(status: .conflict, code: "no_next_period", reason: "Следующий период не задан.")
        }
        var result = try await grantPeriod(period, progress: progress, on: db)
        let p = try await prolongations.prolong(municipalityID: municipalityID, progress: progress)
        result.prolonged = p.prolonged
        result.awaitingConsent = p.awaitingConsent
        try await audit.record(actor, "period-open", municipalityID: municipalityID,
                               "Период \(period.startsOn)–\(period.endsOn) открыт: начислено номиналов \(result.posted), продлено договоров \(result.prolonged).", on: db.sql)
        return result
    }

    /// Grants the period's nominal to every ПФ certificate of the municipality that has not had it yet.
    func grantPeriod(_ period: PeriodModel, progress: ((Int, Int) -> Void)? = nil, on db: any Database) async throws -> RolloverResult {
        var result = RolloverResult()
        let groups = try await CertificateGroupModel.query(on: db).filter(\.$municipalityID == period.municipalityID).all()
        var all: [(CertificateModel, Int64)] = []
        for g in groups {
            guard let nominal = try await GroupNominalModel.query(on: db).filter(\.$groupID == g.requireID())
                .filter(\.$periodID == period.requireID()).first()?.nominal, nominal > 0 else { continue }
            for c in try await CertificateModel.query(on: db).filter(\.$groupID == g.requireID()).filter(\.$kind == .financing)
                .filter(\.$status == .active).all() {
                all.append((c, nominal))
            }
        }
        for chunk in stride(from: 0, to: all.count, by: 500) {
            let part = all[chunk..<min(all.count, chunk + 500)]
            let granted = try await db.transaction { tx -> [CertificateModel] in
                var granted: [CertificateModel] = []
                for (cert, nominal) in part {
                    let outcome = try await ledger.post(.init(certificateID: cert.requireID(), periodID: period.requireID(), kind: .grant,
                                                              amount: nominal, key: "period-grant:\(cert.id!):\(period.id!)",
                                                              note: "Номинал периода"), inTransaction: tx)
                    if case .applied = outcome { granted.append(cert) }
                }
                return granted
            }
            result.posted += granted.count
            for cert in granted {
                try await notifications.notify(cert.familyID, .periodGranted,
                                               "Начислен номинал нового периода на сертификат № \(cert.number ?? "").",
                                               link: SiteRoute.familyChild(cert.childID).url,
                                               dedupe: "period-grant:\(cert.id!):\(period.id!)", on: db)
            }
            result.certificates += part.count
            progress?(result.certificates, all.count)
        }
        return result
    }
}
