import Domain
import Foundation

/// The family's cabinet (`/family`): the children and their certificates, applications, notifications.
enum FamilyCabinetPage {
    struct Model: Sendable {
        let children: [ChildModel]
        /// By child.
        let certificates: [UUID: CertificateModel]
        let today: LocalDate
        let unread: Int
        /// Live applications and contracts, and the offers among them waiting for the parent.
        let live: Int
        let offers: Int
    }

    static func certificateText(_ cert: CertificateModel?) -> String {
        guard let cert else { return "не оформлен" }
        return cert.status == .active ? "№ \(cert.number ?? "") — \(cert.kind.title)\(cert.frozen ? ", заморожен" : "")" : cert.status.title
    }

    static func context(_ m: Model, layout: LayoutContext) -> CabinetPage {
        let rows = m.children.map { c in CabinetViews.childRow(c, today: m.today) + [Cell(certificateText(c.id.flatMap { m.certificates[$0] }))] }
        let table = Table(caption: "Мои дети", headers: ["Ребёнок", "Дата рождения", "Возраст", "СНИЛС", "Сертификат"],
                          rows: rows, empty: "Дети ещё не добавлены.")
        return CabinetPage(
            layout: layout, heading: "Кабинет родителя",
            lead: "Здесь вы видите своих детей, их сертификаты дополнительного образования, заявки и договоры.",
            sections: [
                Section(heading: "Дети", tables: [table], links: [Cell("Добавить ребёнка", href: SiteRoute.familyChildNew.url)]),
                Section(heading: "Заявки и договоры",
                        text: m.live == 0 ? "Заявок пока нет: найдите программу в каталоге и запишите ребёнка."
                            : "Действующих заявок и договоров: \(m.live)" + (m.offers > 0 ? ", из них ждут вашего согласия оферты: \(m.offers)." : "."),
                        links: [Cell("Заявки и договоры", href: SiteRoute.familyApplications.url),
                                Cell("Каталог программ", href: SiteRoute.catalog(query: nil).url)]),
                Section(heading: "Уведомления", text: m.unread > 0 ? "Непрочитанных уведомлений: \(m.unread)." : "Новых уведомлений нет.",
                        links: [Cell("Все уведомления", href: SiteRoute.familyNotifications.url)]),
            ])
    }
}
