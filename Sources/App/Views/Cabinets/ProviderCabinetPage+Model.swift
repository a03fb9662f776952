import Domain
import Foundation

/// The provider's cabinet (`/cabinet/provider`): the status in the registry, new applications, the issuing point, the card's
/// form and the staff.
enum ProviderCabinetPage {
    struct Model: Sendable {
        let provider: ProviderModel
        let municipalityName: String
        /// Applications waiting for the provider's answer.
        let newApplications: Int
        /// The signed-in staff member may confirm certificates (while the provider is an issuing point).
        let mayConfirmCertificates: Bool
        let staff: [UserModel]
    }

    /// Pure: the page for the model; `card` is the card's form (the stored card when nil).
    static func context(_ m: Model, card: ProviderInput? = nil, errors: [FieldError] = [], layout: LayoutContext) -> CabinetPage {
        let provider = m.provider
        var statusText = "Статус в реестре: " + provider.status.title + "."
        if let reason = provider.statusReason { statusText += " Причина: \(reason)" }
        if provider.status == .refused { statusText += " Исправьте карточку и сохраните её: она снова уйдёт на модерацию." }
        if provider.status == .new { statusText += " Оператор ПФДО проверяет карточку; до одобрения организация не видна в каталоге." }
        var sections = [Section(heading: "Статус", text: statusText,
                                facts: [Fact(label: "Муниципалитет", value: m.municipalityName),
                                        Fact(label: "Пункт выдачи сертификатов", value: provider.isIssuingPoint ? "да" : "нет")])]
        sections.append(Section(heading: "Заявки",
                                text: m.newApplications > 0 ? "Новых заявок, ждущих ответа: \(m.newApplications)." : "Новых заявок нет.",
                                links: [Cell("Заявки, списки групп и очереди", href: SiteRoute.providerApplications.url)]))
        if m.mayConfirmCertificates && provider.isIssuingPoint {
            sections.append(Section(heading: "Пункт выдачи сертификатов",
                                    text: "Ваша организация — пункт выдачи: вы подтверждаете личность детей при выдаче сертификатов.",
                                    links: [Cell("Подтверждение сертификатов", href: SiteRoute.certificates(query: nil).url)]))
        }
        if provider.status != .banned {
            sections.append(Section(heading: "Карточка организации", forms: [
                FormBlock(id: "card", action: SiteRoute.providerCard.url,
                          fields: ProgramForms.cardFields(card ?? ProviderInput(provider), errors: errors, formID: "card"), submit: "Сохранить карточку"),
            ]))
        }
        sections.append(Section(heading: "Сотрудники", tables: [
            Table(caption: "Сотрудники организации", headers: ["ФИО", "Электронная почта"], rows: m.staff.map { [Cell($0.fullName), Cell($0.email)] }),
        ]))
        return CabinetPage(layout: layout, heading: provider.shortName, lead: "Кабинет поставщика образовательных услуг.", sections: sections,
                           errors: errors)
    }
}
