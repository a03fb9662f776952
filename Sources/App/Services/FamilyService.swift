import Domain
import Fluent
import Foundation
import Vapor

/// Family accounts: a parent's own registration, and the assisted issuance at an issuing point or the municipality
/// (the parent's account found or made, the child added, the certificate applied for and confirmed at once).
struct FamilyService: Sendable {
    let store: Store
    let auth: AuthService
    let certificates: CertificateService

    /// Registers a parent. Refusals come all at once (`ValidationFailure`), the taken e-mail once the rest is right.
    func register(_ input: FamilyRegistrationInput, on db: any Database) async throws -> UserModel {
        let municipality: MunicipalityModel? = if let id = input.municipality { try await MunicipalityModel.find(id, on: db) } else { nil }
        let v = try input.validate(municipalityFound: municipality != nil).get()
        guard let municipality else { throw ValidationFailure([FamilyRegistrationInput.noMunicipality]) }
        if try await UserModel.query(on: db).filter(\.$email == v.email).first() != nil {
            throw ValidationFailure([FieldError(field: "email", message: "Учётная запись с таким адресом уже есть. Войдите или восстановите пароль.")])
        }
        let user = UserModel()
        user.email = v.email
        user.passwordHash = try await auth.hashPassword(v.password, pool: store.threadPool)
        user.surname = v.surname
        user.name = v.name
        user.patronymic = v.patronymic
        user.phone = v.phone
        user.role = Role.parent
        user.regionCode = municipality.regionCode
        user.municipalityID = municipality.id
        user.mayConfirmCertificates = false
        user.isActive = true
        do { try await user.create(on: db) } catch where LedgerService.isUniqueViolation(error) {
            throw ValidationFailure([FieldError(field: "email", message: "Учётная запись с таким адресом уже есть.")])
        }
        return user
    }

    /// Assisted issuance by `principal` for its municipality: finds the family account by e-mail (a parent of the same
    /// region) or makes one with the temporary password, adds the child, applies and confirms. Returns the confirmed
    /// certificate; refusals name their fields (`ValidationFailure`, or `FieldError` from adding the child).
    func assist(_ input: AssistedIssuanceInput, municipalityID: UUID, by principal: Principal,
                on db: any Database) async throws -> CertificateModel {
        let checked = input.check(today: certificates.today(principal.regionCode))
        let parent = checked.parent
        var errors = checked.errors
        var existing: UserModel? = nil
        if !parent.email.isEmpty {
            existing = try await UserModel.query(on: db).filter(\.$email == parent.email).first()
            if let u = existing, u.role != Role.parent || u.regionCode != principal.regionCode {
                errors.append(FieldError(field: "parentEmail",
                                         message: "Этот адрес принадлежит учётной записи, которая не является учётной записью семьи этого региона."))
            }
            if existing == nil, let e = Validation.newPassword(input.parentPassword, field: "parentPassword") { errors.append(e) }
        }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        let family: UserModel
        if let existing {
            family = existing
        } else {
            family = UserModel()
            family.email = parent.email
            family.passwordHash = try await auth.hashPassword(input.parentPassword, pool: store.threadPool)
            family.surname = parent.surname
            family.name = parent.name
            family.patronymic = parent.patronymic
            family.phone = parent.phone
            family.role = Role.parent
            family.regionCode = principal.regionCode
            family.municipalityID = municipalityID
            family.mayConfirmCertificates = false
            family.isActive = true
            try await family.create(on: db)
        }
        let child = try await certificates.addChild(family: family, input: input.child, on: db)
        let cert = try await certificates.apply(for: child, on: db)
        return try await certificates.confirm(cert.requireID(), by: principal, on: db)
    }
}
