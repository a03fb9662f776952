import Domain
import Foundation

extension CertificateRejectionInput {
    /// The one mapping of a certificate's refusal: the certificate page's form and `POST /api/v1/certificates/{id}/reject`.
    init(_ b: InputBody) throws { self.init(reason: try b.text("reason") ?? "") }
}

extension CertificateFreezeInput {
    /// The one mapping of freezing: the certificate page's form (`frozen` 1 or 0) and
    /// `POST /api/v1/municipality/certificates/{id}/freeze` (`{"frozen": true}`).
    init(_ b: InputBody) throws { self.init(frozen: try b.flag("frozen")) }
}

extension AssistedIssuanceInput {
    /// The assisted issuance form: the parent's fields and the child's (`ChildInput`'s mapping).
    init(_ b: InputBody) throws {
        self.init(parentSurname: try b.text("parentSurname") ?? "", parentName: try b.text("parentName") ?? "",
                  parentPatronymic: try b.text("parentPatronymic") ?? "", parentEmail: try b.text("parentEmail") ?? "",
                  parentPhone: try b.text("parentPhone") ?? "", parentPassword: try b.text("parentPassword") ?? "",
                  child: try ChildInput(b))
    }
}
