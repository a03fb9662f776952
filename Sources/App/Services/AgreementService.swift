import Domain
import Fluent
import SQLKit
import Vapor

/// Agreements between municipalities and providers (domain §7). A municipality concludes one with any
/// approved provider of its region and may end it: contracts in force go on, new applications for certified
/// programs from its children are refused. A provider approved by the operator gets one with its own
/// municipality at once.
struct AgreementService: Sendable {
    let store: Store
    let clock: AppClock
    let notifications: NotificationService

    struct Row: Sendable {
        let provider: ProviderModel
        let agreement: AgreementModel?
    }

    /// The approved providers of the municipality's region with the municipality's agreement, if any.
    func list(municipalityID: UUID, on db: any Database) async throws -> [Row] {
        guard let m = try await MunicipalityModel.find(municipalityID, on: db) else { throw Abort(.notFound) }
        let providers = try await ProviderModel.query(on: db).filter(\.$regionCode == m.regionCode).filter(\.$status == .active)
            .sort(\.$shortName).all()
        var byProvider: [UUID: AgreementModel] = [:]
        for a in try await AgreementModel.query(on: db).filter(\.$municipalityID == municipalityID).all() { byProvider[a.providerID] = a }
        return providers.map { Row(provider: $0, agreement: byProvider[$0.id!]) }
    }

    /// Concludes (or renews a terminated) agreement of the municipality with the provider.
    @discardableResult
    func conclude(providerID: UUID, municipalityID: UUID) async throws -> AgreementModel {
        let db = store.db
        guard let m = try await MunicipalityModel.find(municipalityID, on: db) else { throw Abort(.notFound) }
        guard let p = try await ProviderModel.find(providerID, on: db), p.regionCode == m.regionCode else {
            throw Self.providerError(.notFound, "not_found", "Поставщик не найден в вашем регионе.")
        }
        guard p.status == .active else {
            throw Self.providerError(.conflict, "provider_not_active", "Соглашение заключается только с действующим (прошедшим модерацию) поставщиком.")
        }
        let now = clock.now()
        let today = CertificateService.today(region: m.regionCode, at: now).iso
        let agreement: AgreementModel
        if let a = try await AgreementModel.query(on: db).filter(\.$municipalityID == municipalityID).filter(\.$providerID == providerID).first() {
            a.status = try AgreementLifecycle.next(a.status, .conclude, by: .municipality).get()
            a.concludedOn = today
            a.terminatedOn = nil
            a.updatedAt = now
            try await a.save(on: db)
            agreement = a
        } else {
            let a = AgreementModel(region: m.regionCode, municipalityID: municipalityID, providerID: providerID, concludedOn: today, at: now)
            a.status = try AgreementLifecycle.next(nil, .conclude, by: .municipality).get()
            do {
                try await a.create(on: db)
            } catch let e where LedgerService.isUniqueViolation(e) {
                throw Self.providerError(.conflict, "already_active", "Соглашение с этим поставщиком уже действует.")
            }
            agreement = a
        }
        await tell(p, "Муниципалитет «\(m.name)» заключил с организацией соглашение \(agreement.number): дети с его сертификатами могут записываться на ваши сертифицированные программы.")
        return agreement
    }

    /// Ends an agreement of the municipality.
    @discardableResult
    func terminate(agreementID: UUID, municipalityID: UUID) async throws -> AgreementModel {
        let db = store.db
        guard let a = try await AgreementModel.find(agreementID, on: db), a.municipalityID == municipalityID else { throw Abort(.notFound) }
        let now = clock.now()
        a.status = try AgreementLifecycle.next(a.status, .terminate, by: .municipality).get()
        a.terminatedOn = CertificateService.today(region: a.regionCode, at: now).iso
        a.updatedAt = now
        try await a.save(on: db)
        if let p = try await ProviderModel.find(a.providerID, on: db), let m = try await MunicipalityModel.find(municipalityID, on: db) {
            await tell(p, "Муниципалитет «\(m.name)» расторг соглашение \(a.number): новые заявки по сертификатам его детей не принимаются, заключённые договоры действуют до окончания.")
        }
        return a
    }

    /// The agreement of a newly approved provider with its own municipality (nothing when it exists).
    func concludeHome(_ p: ProviderModel, on db: any Database) async throws {
        guard try await AgreementModel.query(on: db).filter(\.$municipalityID == p.municipalityID).filter(\.$providerID == p.requireID()).first() == nil
        else { return }
        let now = clock.now()
        try await AgreementModel(region: p.regionCode, municipalityID: p.municipalityID, providerID: try p.requireID(),
                                 concludedOn: CertificateService.today(region: p.regionCode, at: now).iso, at: now).create(on: db)
    }

    /// A refusal about the chosen provider, naming the field.
    private static func providerError(_ status: HTTPResponseStatus, _ code: String, _ reason: String) -> AppError {
        AppError(status: status, code: code, reason: reason, fields: [FieldError(field: "provider", message: reason)])
    }

    private func tell(_ p: ProviderModel, _ text: String) async {
        do {
            for u in try await UserModel.query(on: store.db).filter(\.$providerID == p.requireID()).filter(\.$isActive == true).all() {
                try await notifications.notify(u.requireID(), .agreement, text, link: SiteRoute.providerCard.url, on: store.db)
            }
        } catch {
            store.logger.error("notification failed", metadata: ["error": .string(String(describing: error))])
        }
    }
}
