import Domain
import Foundation

/// A child's page (`/family/children/{id}`, also for the staff who may read it): the data, the certificate, its
/// money per period and the statement. The family may change or remove the data while there is no certificate.
enum ChildPage {
    struct Model: Sendable {
        let child: ChildModel
        let municipality: String
        let today: LocalDate
        let certificate: CertificateModel?
        let ledger: CertificateViews.Ledger
        /// The viewer is the family (with its actions), not staff.
        let forFamily: Bool
    }

    /// What a finished step says on the page (`?done=`).
    static func doneText(_ done: String?) -> String? {
        switch done {
        case "applied": "Заявление на сертификат подано. Подтвердите личность ребёнка в пункте выдачи сертификатов."
        case "financing": "Сертификат переведён в сертификат персонифицированного финансирования."
        default: nil
        }
    }

    static func context(_ m: Model, done: String?, layout: LayoutContext) -> CabinetPage {
        let child = m.child, id = child.id!
        let facts = CabinetViews.childFacts(child, municipality: m.municipality, today: m.today)
        var data = Section(heading: "Данные ребёнка", facts: facts)
        if m.forFamily && (m.certificate == nil || m.certificate?.status == .rejected) {
            data = Section(heading: data.heading, facts: facts,
                           forms: [FormBlock(id: "delete-child", action: SiteRoute.familyChildDelete(id).url, submit: "Удалить ребёнка", danger: true)],
                           links: [Cell("Изменить данные", href: SiteRoute.familyChildEdit(id).url)])
        }
        var page = CabinetPage(layout: layout, heading: child.fullName, lead: "Сведения о ребёнке и его сертификате.",
                               sections: [data] + CertificateViews.sections(childID: id, certificate: m.certificate, ledger: m.ledger,
                                                                            forFamily: m.forFamily))
        page.notice = doneText(done)
        return page
    }
}
