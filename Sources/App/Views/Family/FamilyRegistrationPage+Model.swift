import Domain
import Foundation

/// A parent's registration (`/register`).
enum FamilyRegistrationPage {
    struct Model: Sendable {
        let municipalities: [(id: UUID, name: String, region: String)]
    }

    /// The select of municipalities, with «— выберите —» first; `selected`: an identifier in either case.
    static func municipalityOptions(_ m: Model, selected: String?) -> [FormBlock.Option] {
        let chosen = selected?.lowercased()
        return [FormBlock.Option(value: "", label: "— выберите —", selected: selected == nil)] + m.municipalities.map { x in
            FormBlock.Option(value: x.id.lowercasedString, label: "\(x.name) (\(x.region))", selected: chosen == x.id.lowercasedString)
        }
    }

    /// Pure: the form with what was typed (never the passwords) and the errors to show.
    static func context(_ m: Model, input f: FamilyRegistrationInput, errors: [FieldError], layout: LayoutContext) -> CabinetPage {
        let id = "register"
        let fields: [FormBlock.Field] = [
            .init("surname", "Фамилия", value: f.surname, required: true, autocomplete: "family-name", errors: errors, formID: id),
            .init("name", "Имя", value: f.name, required: true, autocomplete: "given-name", errors: errors, formID: id),
            .init("patronymic", "Отчество (если есть)", value: f.patronymic, autocomplete: "additional-name", errors: errors, formID: id),
            .init("email", "Электронная почта", type: "email", value: f.email, required: true, autocomplete: "email", errors: errors, formID: id),
            .init("phone", "Телефон", type: "tel", value: f.phone, hint: "Например, +7 913 123-45-67", autocomplete: "tel", errors: errors, formID: id),
            .init("municipality", "Муниципалитет, где живёт семья", type: "select", required: true,
                  options: municipalityOptions(m, selected: f.municipality?.lowercasedString), errors: errors, formID: id),
            .init("password", "Пароль", type: "password", hint: "Не менее 8 символов, хотя бы одна буква и одна цифра.", required: true,
                  autocomplete: "new-password", errors: errors, formID: id),
            .init("repeatPassword", "Пароль ещё раз", type: "password", required: true, autocomplete: "new-password", errors: errors, formID: id),
        ]
        return CabinetPage(layout: layout, heading: "Регистрация родителя",
                           lead: "Зарегистрируйтесь, чтобы добавить детей, получить сертификат и записываться на программы.",
                           sections: [Section(heading: "Данные родителя (законного представителя)",
                                              forms: [FormBlock(id: id, action: SiteRoute.register.url, fields: fields, submit: "Зарегистрироваться")])],
                           errors: errors)
    }
}
