import Domain
import Foundation

/// Assisted issuance (`/certificates/assisted`): the parent's and the child's data, checked against the documents
/// at an issuing point or the municipality. Nothing to read.
enum AssistedIssuancePage {
    /// Pure: the form with what was typed (never the password) and the errors to show.
    static func context(_ f: AssistedIssuanceInput, errors: [FieldError], layout: LayoutContext) -> CabinetPage {
        let id = "assisted"
        let parent: [FormBlock.Field] = [
            .init("parentSurname", "Фамилия родителя", value: f.parentSurname, required: true, errors: errors, formID: id),
            .init("parentName", "Имя родителя", value: f.parentName, required: true, errors: errors, formID: id),
            .init("parentPatronymic", "Отчество родителя", value: f.parentPatronymic, errors: errors, formID: id),
            .init("parentEmail", "Электронная почта родителя", type: "email", value: f.parentEmail,
                  hint: "Если учётная запись с этим адресом уже есть, ребёнок будет добавлен в неё.", required: true, errors: errors, formID: id),
            .init("parentPhone", "Телефон родителя", type: "tel", value: f.parentPhone, errors: errors, formID: id),
            .init("parentPassword", "Временный пароль для новой учётной записи", type: "password",
                  hint: "Сообщите его родителю: он сменит пароль при первом входе. Для существующей учётной записи не нужен.",
                  autocomplete: "new-password", errors: errors, formID: id),
        ]
        return CabinetPage(layout: layout, heading: "Оформление сертификата при личном обращении",
                           lead: "Проверьте документы родителя и ребёнка: сертификат будет подтверждён сразу.",
                           sections: [Section(heading: "Семья и ребёнок", forms: [
                               FormBlock(id: id, action: SiteRoute.certificateAssisted.url,
                                         fields: parent + ChildFormPage.fields(f.child, errors: errors, formID: id),
                                         submit: "Оформить и подтвердить сертификат"),
                           ])], errors: errors)
    }
}
