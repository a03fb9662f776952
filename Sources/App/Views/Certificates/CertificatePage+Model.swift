import Domain
import Foundation

/// One certificate for the staff who confirm (`/certificates/{id}`): the child's data to compare with the documents,
/// the certificate and its money, and the steps: confirm or reject an application, freeze or unfreeze (municipality).
enum CertificatePage {
    struct Model: Sendable {
        let certificate: CertificateModel
        let child: ChildModel
        let municipality: String
        let today: LocalDate
        let ledger: CertificateViews.Ledger
        /// The viewer is the municipality (an issuing point does not freeze).
        let mayFreeze: Bool
    }

    /// The staff's steps for the certificate's state.
    static func forms(_ m: Model, errors: [FieldError]) -> [FormBlock] {
        let cert = m.certificate, id = cert.id!
        var forms: [FormBlock] = []
        if cert.status == .pending {
            forms.append(FormBlock(id: "confirm", action: SiteRoute.certificateConfirm(id).url,
                                   heading: "Документы проверены", submit: "Подтвердить личность и выдать сертификат"))
            forms.append(FormBlock(id: "reject", action: SiteRoute.certificateReject(id).url, heading: "Отказ",
                                   fields: [.init("reason", "Причина отказа", type: "textarea", required: true, errors: errors, formID: "reject")],
                                   submit: "Отклонить заявление", danger: true))
        }
        if m.mayFreeze && cert.status == .active {
            forms.append(FormBlock(id: "freeze", action: SiteRoute.certificateFreeze(id).url,
                                   hidden: [.init(name: "frozen", value: cert.frozen ? "0" : "1")],
                                   submit: cert.frozen ? "Разморозить сертификат" : "Заморозить сертификат", danger: !cert.frozen))
        }
        return forms
    }

    static func context(_ m: Model, errors: [FieldError], layout: LayoutContext) -> CabinetPage {
        var certSections = CertificateViews.sections(childID: m.child.id!, certificate: m.certificate, ledger: m.ledger, forFamily: false)
        if let first = certSections.first {
            certSections[0] = Section(heading: first.heading, text: first.text, facts: first.facts, tables: first.tables, forms: forms(m, errors: errors))
        }
        return CabinetPage(layout: layout, heading: "Сертификат: \(m.child.fullName)", lead: "Сверьте свидетельство о рождении и СНИЛС с данными ниже.",
                           sections: [Section(heading: "Ребёнок", facts: CabinetViews.childFacts(m.child, municipality: m.municipality, today: m.today))]
                               + certSections,
                           errors: errors)
    }
}
