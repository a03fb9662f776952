import Domain
import Foundation

extension ChildInput {
    /// The one mapping of a child's data: the family's child form (and the child part of the assisted issuance form),
    /// the API's `POST /api/v1/children`.
    init(_ b: InputBody) throws {
        self.init(surname: try b.text("surname") ?? "", name: try b.text("name") ?? "", patronymic: try b.text("patronymic") ?? "",
                  birthDate: try b.text("birthDate") ?? "", sex: try b.text("sex") ?? "", snils: try b.text("snils") ?? "",
                  birthCertificateSeries: try b.text("birthCertificateSeries") ?? "",
                  birthCertificateNumber: try b.text("birthCertificateNumber") ?? "")
    }

    /// A stored child as its edit form shows it.
    init(_ c: ChildModel) {
        self.init(surname: c.surname, name: c.name, patronymic: c.patronymic, birthDate: c.birthDate, sex: c.sex,
                  snils: Identifiers.formatSNILS(c.snils), birthCertificateSeries: c.birthCertificateSeries ?? "",
                  birthCertificateNumber: c.birthCertificateNumber ?? "")
    }
}

extension FamilyRegistrationInput {
    /// The registration form of a parent (`/register`).
    init(_ b: InputBody) throws {
        self.init(surname: try b.text("surname") ?? "", name: try b.text("name") ?? "", patronymic: try b.text("patronymic") ?? "",
                  email: try b.text("email") ?? "", phone: try b.text("phone") ?? "", municipality: try b.uuid("municipality"),
                  password: try b.text("password") ?? "", repeatPassword: try b.text("repeatPassword") ?? "")
    }
}
