import Domain
import Fluent
import Foundation
import Vapor

/// The registry of providers: registration with a staff account, the card, moderation by the operator
/// (approve, refuse with a reason, ban), and the issuing points a municipality names.
struct RegistryService: Sendable {
    let store: Store
    let clock: AppClock
    let auth: AuthService
    let catalog: CatalogAccess
    let agreements: AgreementService

    func apply(_ v: ProviderInput.Valid, to p: ProviderModel) {
        p.fullName = v.fullName
        p.shortName = v.shortName
        p.kind = v.kind.rawValue
        p.ownership = v.ownership.rawValue
        p.inn = v.inn
        p.ogrn = v.ogrn
        p.kpp = v.kpp
        p.licenceNumber = v.licenceNumber
        p.licenceDate = v.licenceDate?.iso
        p.legalAddress = v.legalAddress
        p.actualAddress = v.actualAddress
        p.phone = v.phone
        p.email = v.email
        p.website = v.website
        p.bankName = v.bankName
        p.bankBIK = v.bankBIK
        p.bankAccount = v.bankAccount
        p.bankCorrespondentAccount = v.bankCorrespondentAccount
    }

    private func checkUnique(_ v: ProviderInput.Valid, except id: UUID?, on db: any Database) async throws {
        var errors: [FieldError] = []
        if let other = try await ProviderModel.query(on: db).filter(\.$inn == v.inn).first(), other.id != id {
            errors.append(FieldError(field: "inn", message: "Поставщик с таким ИНН уже зарегистрирован."))
        }
        if let other = try await ProviderModel.query(on: db).filter(\.$ogrn == v.ogrn).first(), other.id != id {
            errors.append(FieldError(field: "ogrn", message: "Поставщик с таким ОГРН уже зарегистрирован."))
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }

    /// Registers a provider (status «на модерации») and its first staff account.
    func register(_ input: ProviderInput, municipalityID: UUID?, staffEmail: String, staffPassword: String,
                  staffSurname: String, staffName: String) async throws -> (ProviderModel, UserModel) {
        let db = store.db
        var errors: [FieldError] = []
        let municipality: MunicipalityModel? = if let municipalityID { try await MunicipalityModel.find(municipalityID, on: db) } else { nil }
        if municipality == nil { errors.append(FieldError(field: "municipality", message: "Выберите муниципалитет из списка.")) }
        let today = CertificateService.today(region: municipality?.regionCode ?? "42", at: clock.now())
        var valid: ProviderInput.Valid? = nil
        switch input.validate(today: today) {
        case .success(let v): valid = v
        case .failure(let e): errors += e.errors
        }
        var email = ""
        switch Validation.email(staffEmail, field: "staffEmail") {
        case .success(let e): email = e
        case .failure(let e): errors.append(e)
        }
        if let e = Validation.newPassword(staffPassword, field: "staffPassword") { errors.append(e) }
        for (value, field, label) in [(staffSurname, "staffSurname", "фамилию сотрудника"), (staffName, "staffName", "имя сотрудника")] {
            if case .failure(let e) = Validation.personName(value, field: field, label: label, required: true) { errors.append(e) }
        }
        if !email.isEmpty, try await UserModel.query(on: db).filter(\.$email == email).first() != nil {
            errors.append(FieldError(field: "staffEmail", message: "Учётная запись с таким адресом уже есть."))
        }
        if let v = valid {
            do { try await checkUnique(v, except: nil, on: db) } catch let e as ValidationFailure { errors += e.errors }
        }
        guard errors.isEmpty, let v = valid, let municipality else { throw ValidationFailure(errors) }
        let hash = try await auth.hashPassword(staffPassword, pool: store.threadPool)
        let login = email
        return try await db.transaction { tx in
            let p = ProviderModel()
            apply(v, to: p)
            p.regionCode = municipality.regionCode
            p.municipalityID = municipality.id!
            p.status = .new
            p.isIssuingPoint = false
            try await p.create(on: tx)
            let u = UserModel()
            u.email = login
            u.passwordHash = hash
            u.surname = staffSurname.trimmingCharacters(in: .whitespaces)
            u.name = staffName.trimmingCharacters(in: .whitespaces)
            u.patronymic = ""
            u.role = Role.provider
            u.regionCode = municipality.regionCode
            u.municipalityID = municipality.id
            u.providerID = p.id
            u.mayConfirmCertificates = false
            u.isActive = true
            try await u.create(on: tx)
            return (p, u)
        }
    }

    /// Saves the card; a refused provider's card goes back to moderation.
    func update(_ p: ProviderModel, input: ProviderInput) async throws {
        let today = CertificateService.today(region: p.regionCode, at: clock.now())
        let v = try input.validate(today: today).get()
        try await checkUnique(v, except: p.id, on: store.db)
        let status = try ProviderLifecycle.next(p.status, .edit, by: .provider).get()
        apply(v, to: p)
        if status != p.status {
            p.status = status
            p.statusReason = nil
        }
        try await saveAndPublish(p)
    }

    /// Saves the card with its programs marked changed for the catalogue (name and status show there).
    private func saveAndPublish(_ p: ProviderModel) async throws {
        try await store.db.transaction { tx in
            try await p.save(on: tx)
            try await CatalogService.providerChanged(p.requireID(), on: tx)
        }
        try await catalog.refresh()
    }

    enum Decision: String { case approve, refuse, ban }

    func moderate(_ p: ProviderModel, _ decision: Decision, reason: String) async throws {
        let text = ModerationRules.reason(reason)
        let event: ProviderEvent = switch decision {
        case .approve: .approve
        case .refuse: .refuse(reason: text)
        case .ban: .ban(reason: text)
        }
        p.status = try ProviderLifecycle.next(p.status, event, by: .operator_).get()
        p.statusReason = decision == .approve ? nil : text
        if decision == .ban { p.isIssuingPoint = false }
        try await saveAndPublish(p)
        if decision == .approve { try await agreements.concludeHome(p, on: store.db) }
    }

    func setIssuingPoint(_ p: ProviderModel, _ value: Bool) async throws {
        guard !value || p.status == .active else {
            throw AppError(status: .conflict, code: "not_active", reason: "Пунктом выдачи может быть только действующий поставщик.")
        }
        p.isIssuingPoint = value
        try await p.save(on: store.db)
        // Its staff may confirm certificates while it is an issuing point.
        try await UserModel.query(on: store.db).filter(\.$providerID == p.requireID()).set(\.$mayConfirmCertificates, to: value).update()
    }
}
