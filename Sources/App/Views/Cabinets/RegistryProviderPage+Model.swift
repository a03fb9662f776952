import Domain
import Foundation

/// A provider's card in the registry (`/registry/providers/:id`), with the operator's moderation and the municipality's
/// issuing point.
enum RegistryProviderPage {
    struct Model: Sendable {
        let provider: ProviderModel
        let municipalityName: String
        /// The reader's role: the operator moderates, the municipality names issuing points, others read.
        let role: Role
    }

    /// Pure: the page for the model.
    static func context(_ m: Model, layout: LayoutContext) -> CabinetPage {
        let provider = m.provider, id = provider.id!
        var forms: [FormBlock] = []
        func decision(_ d: RegistryService.Decision) -> FormBlock.Hidden { .init(name: "decision", value: d.rawValue) }
        if m.role == .operator_ {
            if provider.status == .new || provider.status == .refused {
                forms.append(FormBlock(id: "approve", action: SiteRoute.registryModerate(id).url, hidden: [decision(.approve)], submit: "Одобрить"))
            }
            if provider.status == .new {
                forms.append(FormBlock(id: "refuse", action: SiteRoute.registryModerate(id).url, heading: "Отказ",
                                       fields: [.init("reason", "Причина отказа", type: "textarea", required: true, formID: "refuse")],
                                       hidden: [decision(.refuse)], submit: "Отказать", danger: true))
            }
            if provider.status != .banned {
                forms.append(FormBlock(id: "ban", action: SiteRoute.registryModerate(id).url, heading: "Исключение из реестра",
                                       fields: [.init("reason", "Причина исключения", type: "textarea", required: true, formID: "ban")],
                                       hidden: [decision(.ban)], submit: "Исключить из реестра", danger: true))
            }
        }
        if m.role == .municipality && provider.status == .active {
            forms.append(FormBlock(id: "issuing", action: SiteRoute.registryIssuingPoint(id).url,
                                   hidden: [.init(name: "value", value: provider.isIssuingPoint ? "0" : "1")],
                                   submit: provider.isIssuingPoint ? "Снять статус пункта выдачи сертификатов" : "Назначить пунктом выдачи сертификатов"))
        }
        var facts = CabinetViews.providerFacts(provider, municipality: m.municipalityName)
        if let reason = provider.statusReason { facts.append(Fact(label: "Причина", value: reason)) }
        return CabinetPage(layout: layout, heading: provider.shortName, lead: "Карточка поставщика в реестре.",
                           sections: [Section(heading: "Карточка организации", facts: facts, forms: forms)])
    }
}
