import Domain
import Foundation

/// The confirmation of certificates (`/certificates`) for an issuing point or the municipality: the applications
/// waiting, a search, and the way to assisted issuance.
enum CertificatesPage {
    struct Model: Sendable {
        /// The search as applied (trimmed, at most 100 characters); empty: the applications waiting.
        let search: String
        let rows: [(certificate: CertificateModel, child: ChildModel)]
        let municipality: String
    }

    static func context(_ m: Model, layout: LayoutContext) -> CabinetPage {
        let table = Table(caption: m.search.isEmpty ? "Заявления, ждущие подтверждения" : "Найдено",
                          headers: ["Ребёнок", "Дата рождения", "СНИЛС", "Сертификат", "Статус"],
                          rows: m.rows.map { c, ch in
                              [Cell(ch.fullName, href: SiteRoute.certificate(c.id!).url),
                               Cell(LocalDate(iso: ch.birthDate)?.russian ?? ch.birthDate), Cell(Identifiers.formatSNILS(ch.snils)),
                               Cell(c.number ?? "—"), Cell(c.status.title)]
                          },
                          empty: m.search.isEmpty ? "Новых заявлений нет." : "Ничего не найдено.")
        let search = FormBlock(id: "search", action: SiteRoute.certificates(query: nil).url,
                               fields: [.init("q", "Поиск по фамилии и имени, СНИЛС или номеру сертификата", type: "search", value: m.search,
                                              formID: "search")],
                               submit: "Найти", method: "get")
        return CabinetPage(layout: layout, heading: "Подтверждение сертификатов",
                           lead: "Муниципалитет: \(m.municipality). Найдите заявление, проверьте документы ребёнка и подтвердите или отклоните его.",
                           sections: [Section(heading: "Поиск", tables: [table], forms: [search],
                                              links: [Cell("Оформить сертификат при личном обращении", href: SiteRoute.certificateAssisted.url)])])
    }
}
