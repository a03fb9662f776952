import Domain
import Foundation

/// Pure builders of program sections (shared by the provider's, the operator's and the municipality's pages).
enum ProgramViews {
    static func programTable(_ programs: [ProgramModel], link: (UUID) -> String, providers: [UUID: String]? = nil) -> Table {
        var headers = ["Программа", "Направленность", "Возраст", "Финансирование", "Статус"]
        if providers != nil { headers.insert("Поставщик", at: 1) }
        return Table(caption: "Программы", headers: headers, rows: programs.map { p in
            var row = [Cell(p.name, href: link(p.id!)),
                       Cell(Direction(rawValue: p.direction)?.title ?? p.direction),
                       Cell(ProgramInput.ageText(from: p.ageFrom, to: p.ageTo)),
                       Cell(p.funding.title), Cell(p.status.title)]
            if let providers { row.insert(Cell(providers[p.providerID] ?? "—"), at: 1) }
            return row
        }, empty: "Программ пока нет.")
    }

    static func programFacts(_ p: ProgramModel) -> [Fact] {
        [
            Fact(label: "Название", value: p.name),
            Fact(label: "Аннотация", value: p.annotation),
            Fact(label: "Направленность", value: Direction(rawValue: p.direction)?.title ?? p.direction),
            Fact(label: "Виды деятельности", value: p.kindCodes.compactMap { ActivityKinds.find($0)?.title }.joined(separator: ", ")),
            Fact(label: "Уровень", value: ProgramLevel(rawValue: p.level)?.title ?? p.level),
            Fact(label: "Форма обучения", value: (StudyForm(rawValue: p.form)?.title ?? p.form) + (p.distance ? ", с дистанционными технологиями" : "")),
            Fact(label: "Возраст", value: ProgramInput.ageText(from: p.ageFrom, to: p.ageTo)),
            Fact(label: "Подходит детям с ОВЗ", value: p.disabilityCodes.isEmpty ? "нет" :
                    p.disabilityCodes.compactMap { DisabilityCategory(rawValue: $0)?.title }.joined(separator: ", ")),
            Fact(label: "Финансирование", value: p.funding.title),
            Fact(label: "Статус", value: p.status.title + (p.statusReason.map { ". " + $0 } ?? "")),
        ]
    }

    static func moduleTable(_ modules: [ModuleModel], link: ((UUID) -> String)?) -> Table {
        Table(caption: "Модули", headers: ["Модуль", "Месяцев", "Часов", "Детей в группе", "Цена", "Нормативная стоимость"],
              rows: modules.map { m in
                  [Cell(m.name, href: link?(m.id!)), Cell(String(m.months)), Cell(String(m.hours)), Cell("\(m.minChildren)–\(m.maxChildren)"),
                   Cell(Money(kopecks: m.price).formatted), Cell(m.normative.map { Money(kopecks: $0).formatted } ?? "—")]
              }, empty: "Модулей пока нет.")
    }

    static func groupTable(_ groups: [GroupModel], modules: [ModuleModel], link: ((UUID) -> String)?) -> Table {
        let names = Dictionary(uniqueKeysWithValues: modules.map { ($0.id!, $0.name) })
        return Table(caption: "Группы", headers: ["Группа", "Модуль", "Педагог", "Даты", "Расписание", "Места", "Набор"],
                     rows: groups.map { g in
                         [Cell(g.name, href: link?(g.id!)), Cell(names[g.moduleID] ?? "—"), Cell(g.teacher),
                          Cell("\(LocalDate(iso: g.startsOn)?.russian ?? g.startsOn) – \(LocalDate(iso: g.endsOn)?.russian ?? g.endsOn)"),
                          Cell(ScheduleSlot.text(g.slots)), Cell("свободно \(g.capacity - g.taken) из \(g.capacity)"),
                          Cell(g.status.title)]
                     }, empty: "Групп пока нет.")
    }
}
