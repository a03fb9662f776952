import Domain
import Foundation

/// The family's form of a child's data: a new child (`/family/children/new`) or a change (`…/edit`).
enum ChildFormPage {
    /// The child's fields, also part of the assisted issuance form.
    static func fields(_ f: ChildInput, errors: [FieldError], formID: String) -> [FormBlock.Field] {
        [
            .init("surname", "Фамилия ребёнка", value: f.surname, required: true, errors: errors, formID: formID),
            .init("name", "Имя", value: f.name, required: true, errors: errors, formID: formID),
            .init("patronymic", "Отчество (если есть)", value: f.patronymic, errors: errors, formID: formID),
            .init("birthDate", "Дата рождения", type: "date", value: f.birthDate, hint: "ДД.ММ.ГГГГ", required: true, errors: errors, formID: formID),
            .init("sex", "Пол", type: "select", required: true, options: [
                .init(value: "", label: "— выберите —", selected: f.sex.isEmpty),
                .init(value: "female", label: "женский", selected: f.sex == "female"),
                .init(value: "male", label: "мужской", selected: f.sex == "male"),
            ], errors: errors, formID: formID),
            .init("snils", "СНИЛС ребёнка", value: f.snils, hint: "11 цифр, например 123-456-789 64", required: true, errors: errors, formID: formID),
            .init("birthCertificateSeries", "Серия свидетельства о рождении", value: f.birthCertificateSeries, hint: "Например, I-ЛО", required: true,
                  errors: errors, formID: formID),
            .init("birthCertificateNumber", "Номер свидетельства о рождении", value: f.birthCertificateNumber, hint: "6 цифр", required: true,
                  errors: errors, formID: formID),
        ]
    }

    /// Pure: the form with the values and the errors; `action` and `heading` say whether the child is new.
    static func context(_ input: ChildInput, errors: [FieldError], action: String, heading: String, layout: LayoutContext) -> CabinetPage {
        CabinetPage(layout: layout, heading: heading, lead: "Данные нужны для сертификата: их проверят при подтверждении личности ребёнка.",
                    sections: [Section(heading: "Данные ребёнка",
                                       forms: [FormBlock(id: "child", action: action, fields: fields(input, errors: errors, formID: "child"), submit: "Сохранить")])],
                    errors: errors)
    }
}
