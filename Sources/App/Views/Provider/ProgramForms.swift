import Domain
import Foundation

/// Pure builders of the registry's forms (programs, modules, groups, a provider's card). A form shows the Domain input:
/// the values typed (again, with the errors, after a refusal) or those of the stored row (`init(_ row:)`).
enum ProgramForms {
    static func programFields(_ f: ProgramInput, errors: [FieldError], formID: String) -> [FormBlock.Field] {
        let kinds = ActivityKinds.all.map { k in
            FormBlock.Option(value: k.code, label: "\(k.title) (\(k.direction.title))", selected: f.activityKinds.contains(k.code))
        }
        let dis = DisabilityCategory.allCases.map { d in
            FormBlock.Option(value: d.rawValue, label: d.title, selected: f.disabilities.contains(d.rawValue))
        }
        return [
            .init("name", "Название программы", value: f.name, required: true, errors: errors, formID: formID),
            .init("annotation", "Аннотация", type: "textarea", value: f.annotation, hint: "Чему научится ребёнок, как проходят занятия. До 5000 символов.",
                  required: true, errors: errors, formID: formID),
            .init("direction", "Направленность", type: "select", required: true,
                  options: FormBlock.choices(Direction.allCases, { (d: Direction) in d.title }, f.direction), errors: errors, formID: formID),
            .init("activityKinds", "Виды деятельности", type: "checkboxes", hint: "Только виды выбранной направленности.", required: true,
                  options: kinds, errors: errors, formID: formID),
            .init("level", "Уровень", type: "select", required: true,
                  options: FormBlock.choices(ProgramLevel.allCases, { (l: ProgramLevel) in l.title }, f.level), errors: errors, formID: formID),
            .init("form", "Форма обучения", type: "select", required: true,
                  options: FormBlock.choices(StudyForm.allCases, { (s: StudyForm) in s.title }, f.form), errors: errors, formID: formID),
            .init("distance", "С применением дистанционных технологий", type: "checkbox", checked: f.distance, errors: errors, formID: formID),
            .init("ageFromYears", "Возраст с, лет", type: "number", value: f.ageFromYears, required: true, errors: errors, formID: formID),
            .init("ageFromMonths", "и месяцев", type: "number", value: f.ageFromMonths, errors: errors, formID: formID),
            .init("ageToYears", "Возраст по, лет", type: "number", value: f.ageToYears, required: true, errors: errors, formID: formID),
            .init("ageToMonths", "и месяцев", type: "number", value: f.ageToMonths, hint: "Например, «по 17 лет 11 месяцев» — до 18-летия.",
                  errors: errors, formID: formID),
            .init("disabilities", "Подходит детям с ОВЗ", type: "checkboxes", options: dis, errors: errors, formID: formID),
            .init("funding", "Вид финансирования", type: "select", required: true,
                  options: FormBlock.choices(FundingKind.allCases, { (k: FundingKind) in k.title }, f.funding), errors: errors, formID: formID),
        ]
    }

    static func moduleFields(_ f: ModuleInput, errors: [FieldError], formID: String) -> [FormBlock.Field] {
        [
            .init("name", "Название модуля", value: f.name, hint: "Например, «Первый год обучения».", required: true, errors: errors, formID: formID),
            .init("months", "Продолжительность, месяцев", type: "number", value: f.months, required: true, errors: errors, formID: formID),
            .init("hours", "Объём, часов", type: "number", value: f.hours, required: true, errors: errors, formID: formID),
            .init("minChildren", "Детей в группе: не меньше", type: "number", value: f.minChildren, required: true, errors: errors, formID: formID),
            .init("maxChildren", "Детей в группе: не больше", type: "number", value: f.maxChildren, required: true, errors: errors, formID: formID),
            .init("price", "Цена модуля, ₽", value: f.price, hint: "За весь модуль, например 18 000,00. Для бесплатной программы оставьте пустым.",
                  errors: errors, formID: formID),
        ]
    }

    static func groupFields(_ f: GroupInput, modules: [ModuleModel], errors: [FieldError], formID: String) -> [FormBlock.Field] {
        let moduleOptions = [FormBlock.Option(value: "", label: "— выберите —", selected: f.module == nil)] +
            modules.map { FormBlock.Option(value: $0.id!.lowercasedString, label: $0.name, selected: f.module == $0.id) }
        return [
            .init("module", "Модуль", type: "select", required: true, options: moduleOptions, errors: errors, formID: formID),
            .init("name", "Название группы", value: f.name, required: true, errors: errors, formID: formID),
            .init("teacher", "Педагог", value: f.teacher, required: true, errors: errors, formID: formID),
            .init("address", "Адрес занятий", value: f.address, required: true, errors: errors, formID: formID),
            .init("latitude", "Широта", value: f.latitude, hint: "Необязательно, например 53,5990", errors: errors, formID: formID),
            .init("longitude", "Долгота", value: f.longitude, hint: "Необязательно, например 87,3366", errors: errors, formID: formID),
            .init("startsOn", "Начало занятий", type: "date", value: f.startsOn, required: true, errors: errors, formID: formID),
            .init("endsOn", "Окончание занятий", type: "date", value: f.endsOn, required: true, errors: errors, formID: formID),
            .init("capacity", "Мест в группе", type: "number", value: f.capacity, required: true, errors: errors, formID: formID),
            .init("schedule", "Расписание", value: f.schedule, hint: "Например: пн 15:00-16:30; ср 15:00-16:30", required: true,
                  errors: errors, formID: formID),
            .init("enrollFrom", "Приём заявок с", type: "date", value: f.enrollFrom, errors: errors, formID: formID),
            .init("enrollUntil", "Приём заявок по", type: "date", value: f.enrollUntil, errors: errors, formID: formID),
            .init("status", "Набор", type: "select", required: true,
                  options: GroupStatus.allCases.map { .init(value: $0.rawValue, label: $0.title, selected: f.status == $0.rawValue) },
                  errors: errors, formID: formID),
        ]
    }

    static func cardFields(_ f: ProviderInput, errors: [FieldError], formID: String) -> [FormBlock.Field] {
        [
            .init("fullName", "Полное наименование", value: f.fullName, required: true, errors: errors, formID: formID),
            .init("shortName", "Краткое наименование", value: f.shortName, required: true, errors: errors, formID: formID),
            .init("kind", "Тип поставщика", type: "select", required: true,
                  options: FormBlock.choices(ProviderKind.allCases, { (k: ProviderKind) in k.title }, f.kind), errors: errors, formID: formID),
            .init("ownership", "Форма собственности", type: "select", required: true,
                  options: FormBlock.choices(Ownership.allCases, { (o: Ownership) in o.title }, f.ownership), errors: errors, formID: formID),
            .init("inn", "ИНН", value: f.inn, hint: "10 цифр для организации, 12 — для ИП", required: true, errors: errors, formID: formID),
            .init("ogrn", "ОГРН или ОГРНИП", value: f.ogrn, hint: "13 цифр для организации, 15 — для ИП", required: true, errors: errors, formID: formID),
            .init("kpp", "КПП (для организаций)", value: f.kpp, errors: errors, formID: formID),
            .init("licenceNumber", "Номер лицензии на образовательную деятельность", value: f.licenceNumber, hint: "Не нужна ИП без наёмных работников",
                  errors: errors, formID: formID),
            .init("licenceDate", "Дата лицензии", type: "date", value: f.licenceDate, errors: errors, formID: formID),
            .init("legalAddress", "Юридический адрес", value: f.legalAddress, required: true, errors: errors, formID: formID),
            .init("actualAddress", "Фактический адрес", value: f.actualAddress, required: true, errors: errors, formID: formID),
            .init("phone", "Телефон", type: "tel", value: f.phone, errors: errors, formID: formID),
            .init("email", "Электронная почта организации", type: "email", value: f.email, errors: errors, formID: formID),
            .init("website", "Сайт", value: f.website, hint: "https://…", errors: errors, formID: formID),
            .init("bankName", "Банк", value: f.bankName, errors: errors, formID: formID),
            .init("bankBIK", "БИК", value: f.bankBIK, hint: "9 цифр", errors: errors, formID: formID),
            .init("bankAccount", "Расчётный счёт", value: f.bankAccount, hint: "20 цифр", errors: errors, formID: formID),
            .init("bankCorrespondentAccount", "Корреспондентский счёт", value: f.bankCorrespondentAccount, hint: "20 цифр", errors: errors, formID: formID),
        ]
    }
}

extension ProgramInput {
    /// The stored card, as its form shows it.
    init(_ p: ProgramModel) {
        self.init()
        name = p.name
        annotation = p.annotation
        direction = p.direction
        activityKinds = p.kindCodes
        level = p.level
        form = p.form
        distance = p.distance
        ageFromYears = String(p.ageFrom / 12)
        ageFromMonths = String(p.ageFrom % 12)
        ageToYears = String(p.ageTo / 12)
        ageToMonths = String(p.ageTo % 12)
        disabilities = p.disabilityCodes
        funding = p.funding.rawValue
    }
}

extension ModuleInput {
    /// The stored module, as its form shows it (the price in roubles).
    init(_ m: ModuleModel) {
        self.init()
        name = m.name
        months = String(m.months)
        hours = String(m.hours)
        minChildren = String(m.minChildren)
        maxChildren = String(m.maxChildren)
        price = Roubles.text(m.price)
    }
}

extension GroupInput {
    /// The stored group, as its form shows it.
    init(_ g: GroupModel) {
        self.init()
        module = g.moduleID
        name = g.name
        teacher = g.teacher
        address = g.address
        latitude = g.latitude.map { String($0) } ?? ""
        longitude = g.longitude.map { String($0) } ?? ""
        startsOn = g.startsOn
        endsOn = g.endsOn
        capacity = String(g.capacity)
        schedule = ScheduleSlot.text(g.slots)
        enrollFrom = g.enrollFrom ?? ""
        enrollUntil = g.enrollUntil ?? ""
        status = g.status.rawValue
    }
}

extension ProviderInput {
    /// The stored card, as its form shows it.
    init(_ p: ProviderModel) {
        self.init()
        fullName = p.fullName
        shortName = p.shortName
        kind = p.kind
        ownership = p.ownership
        inn = p.inn
        ogrn = p.ogrn
        kpp = p.kpp ?? ""
        licenceNumber = p.licenceNumber ?? ""
        licenceDate = p.licenceDate ?? ""
        legalAddress = p.legalAddress
        actualAddress = p.actualAddress
        phone = p.phone ?? ""
        email = p.email ?? ""
        website = p.website ?? ""
        bankName = p.bankName ?? ""
        bankBIK = p.bankBIK ?? ""
        bankAccount = p.bankAccount ?? ""
        bankCorrespondentAccount = p.bankCorrespondentAccount ?? ""
    }
}
