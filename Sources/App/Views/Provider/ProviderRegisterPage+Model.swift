import Domain
import Foundation

/// The registration of a provider with its first staff account (`/providers/register`).
enum ProviderRegisterPage {
    struct Model: Sendable {
        /// Every municipality as the select lists it: «Осинники (Кемеровская область — Кузбасс)».
        let municipalities: [(id: UUID, label: String)]
    }

    /// Pure: the page for the model, with the values typed (never the password) and the errors after a refusal.
    static func context(_ m: Model, input: ProviderRegistration = ProviderRegistration(), errors: [FieldError] = [],
                        layout: LayoutContext) -> CabinetPage {
        let id = "provider"
        let options = [FormBlock.Option(value: "", label: "— выберите —", selected: input.municipality == nil)]
            + m.municipalities.map { FormBlock.Option(value: $0.id.lowercasedString, label: $0.label, selected: $0.id == input.municipality) }
        let fields = ProgramForms.cardFields(input.card, errors: errors, formID: id) + [
            .init("municipality", "Муниципалитет", type: "select", required: true, options: options, errors: errors, formID: id),
            .init("staffSurname", "Фамилия сотрудника", value: input.staffSurname, required: true, errors: errors, formID: id),
            .init("staffName", "Имя сотрудника", value: input.staffName, required: true, errors: errors, formID: id),
            .init("staffEmail", "Электронная почта для входа", type: "email", value: input.staffEmail, required: true, errors: errors, formID: id),
            .init("staffPassword", "Пароль", type: "password", hint: "Не менее 8 символов, хотя бы одна буква и одна цифра.", required: true,
                  autocomplete: "new-password", errors: errors, formID: id),
        ]
        return CabinetPage(layout: layout, heading: "Регистрация поставщика образовательных услуг",
                           lead: "Организации любой формы собственности и индивидуальные предприниматели. Карточку проверит оператор ПФДО.",
                           sections: [Section(heading: "Карточка организации", forms: [
                               FormBlock(id: id, action: SiteRoute.providerRegister.url, fields: fields, submit: "Зарегистрироваться"),
                           ])], errors: errors)
    }
}
