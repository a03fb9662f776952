import Domain
import Foundation

/// Pieces the enrollment pages share: pure builders from plain values to page parts.
enum EnrollmentViews {
    static func money(_ k: Int64) -> String { Money(kopecks: k).formatted }

    static func zone(_ region: String) -> TimeZone {
        TimeZone(identifier: ReferenceData.region(code: region)?.timeZone ?? "Asia/Novokuznetsk")!
    }

    static func monthsTable(_ parts: [MonthPart], caption: String = "Оплата по месяцам") -> Table {
        Table(caption: caption, headers: ["Месяц", "Из сертификата", "Родитель"],
              rows: parts.map { [Cell($0.title), Cell(money($0.certificate)), Cell(money($0.parent))] },
              note: "Первый месяц может отличаться на копейки: части по месяцам в сумме дают точно итог.")
    }

    /// What a group is, for the parent choosing it and on a contract's page.
    struct GroupSummary: Sendable {
        let programName: String
        let provider: String
        let moduleName: String
        let moduleMonths: Int
        let moduleHours: Int
        let groupName: String
        let teacher: String
        let address: String
        let startsOn: String
        let endsOn: String
        let slots: [ScheduleSlot]
        let capacity: Int
        let taken: Int
        let funding: FundingKind

        init(group g: GroupModel, module: ModuleModel, program: ProgramModel, provider: String) {
            programName = program.name
            self.provider = provider
            moduleName = module.name
            moduleMonths = module.months
            moduleHours = module.hours
            groupName = g.name
            teacher = g.teacher
            address = g.address
            startsOn = g.startsOn
            endsOn = g.endsOn
            slots = g.slots
            capacity = g.capacity
            taken = g.taken
            funding = program.funding
        }

        var facts: [Fact] {
            let dates = [startsOn, endsOn].compactMap(LocalDate.init(iso:)).map(\.russian).joined(separator: " – ")
            return [
                Fact(label: "Программа", value: programName),
                Fact(label: "Поставщик", value: provider),
                Fact(label: "Модуль", value: "\(moduleName) (\(moduleMonths) мес., \(moduleHours) ч.)"),
                Fact(label: "Группа", value: groupName),
                Fact(label: "Педагог", value: teacher),
                Fact(label: "Адрес", value: address),
                Fact(label: "Даты занятий", value: dates),
                Fact(label: "Расписание", value: ScheduleSlot.text(slots)),
                Fact(label: "Свободных мест", value: "\(max(0, capacity - taken)) из \(capacity)"),
                Fact(label: "Оплата", value: funding.title),
            ]
        }
    }

    /// The names a list of contracts shows.
    struct Names: Sendable {
        var children: [UUID: String] = [:]
        var programs: [UUID: String] = [:]
        var groups: [UUID: String] = [:]
        var providers: [UUID: String] = [:]
    }

    static let contractHeaders = ["Номер", "Ребёнок", "Программа", "Группа", "Статус", "Срок", "Сертификат", "Родитель"]

    static func contractRows(_ list: [ContractModel], _ n: Names, link: (UUID) -> String) -> [[Cell]] {
        list.map { c in
            let dates = [c.startsOn, c.endsOn].compactMap(LocalDate.init(iso:)).map(\.russian).joined(separator: " – ")
            return [Cell(c.number, href: link(c.id!)), Cell(n.children[c.childID] ?? "—"), Cell(n.programs[c.programID] ?? "—"),
                    Cell(n.groups[c.groupID] ?? "—"), Cell(c.status.title), Cell(dates),
                    Cell(money(c.certificateAmount)), Cell(money(c.parentAmount))]
        }
    }

    static func refusalError(_ e: Refusal) -> FieldError { FieldError(field: e.field, message: e.message) }
}
