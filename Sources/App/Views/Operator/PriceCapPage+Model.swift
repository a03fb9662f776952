import Domain
import Foundation

/// The region's price cap refused (`POST /operator/settings`): its form again with the value typed and the errors.
enum PriceCapPage {
    static func form(_ input: PriceCapInput, errors: [FieldError]) -> FormBlock {
        FormBlock(id: "price-cap", action: SiteRoute.regionSettings.url,
                  fields: [.init("priceCapPercent", "Предельная цена, % нормативной стоимости", type: "number", value: input.percent,
                                 hint: "От 50 до 300. Уже сертифицированные цены не меняются.", required: true, errors: errors, formID: "price-cap")],
                  submit: "Сохранить")
    }

    /// Pure: the page of the refused form. It reads nothing from the database.
    static func context(_ input: PriceCapInput, errors: [FieldError], layout: LayoutContext) -> CabinetPage {
        CabinetPage(layout: layout, heading: "Предельная цена", lead: "",
                    sections: [Section(heading: "Предельная цена", forms: [form(input, errors: errors)])], errors: errors)
    }
}
