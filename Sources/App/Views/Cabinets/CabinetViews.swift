import Domain
import Foundation

/// Pure builders of cabinet sections from loaded rows (no database, no request), shared by the cabinets.
enum CabinetViews {
    static func providerFacts(_ p: ProviderModel, municipality: String) -> [Fact] {
        let kind = ProviderKind(rawValue: p.kind)
        var facts = [
            Fact(label: "Полное наименование", value: p.fullName),
            Fact(label: "Краткое наименование", value: p.shortName),
            Fact(label: "Тип", value: kind?.title ?? p.kind),
            Fact(label: "Форма собственности", value: Ownership(rawValue: p.ownership)?.title ?? p.ownership),
            Fact(label: "ИНН", value: p.inn),
            Fact(label: kind?.isSoleProprietor == true ? "ОГРНИП" : "ОГРН", value: p.ogrn),
        ]
        if let kpp = p.kpp { facts.append(Fact(label: "КПП", value: kpp)) }
        if let n = p.licenceNumber {
            let date = p.licenceDate.flatMap(LocalDate.init(iso:))?.russian ?? ""
            facts.append(Fact(label: "Лицензия", value: date.isEmpty ? n : "№ \(n) от \(date)"))
        }
        facts += [
            Fact(label: "Муниципалитет", value: municipality),
            Fact(label: "Адрес", value: p.actualAddress),
            Fact(label: "Телефон", value: p.phone ?? "—"),
            Fact(label: "Электронная почта", value: p.email ?? "—"),
            Fact(label: "Статус в реестре", value: p.status.title),
            Fact(label: "Пункт выдачи сертификатов", value: p.isIssuingPoint ? "да" : "нет"),
        ]
        return facts
    }


    static func childRow(_ c: ChildModel, today: LocalDate) -> [Cell] {
        let birth = LocalDate(iso: c.birthDate)
        let age = birth.map { String($0.age(on: today)) } ?? "—"
        return [Cell(c.fullName, href: c.id.map { SiteRoute.familyChild($0).url }),
                Cell(birth?.russian ?? c.birthDate), Cell(age), Cell(Identifiers.formatSNILS(c.snils))]
    }

    static func childFacts(_ c: ChildModel, municipality: String, today: LocalDate) -> [Fact] {
        let birth = LocalDate(iso: c.birthDate)
        var facts = [
            Fact(label: "Фамилия, имя, отчество", value: c.fullName),
            Fact(label: "Дата рождения", value: birth?.russian ?? c.birthDate),
            Fact(label: "Возраст", value: birth.map { "\($0.age(on: today)) лет" } ?? "—"),
            Fact(label: "Пол", value: c.sex == "male" ? "мужской" : "женский"),
            Fact(label: "СНИЛС", value: Identifiers.formatSNILS(c.snils)),
            Fact(label: "Муниципалитет", value: municipality),
        ]
        if let s = c.birthCertificateSeries, let n = c.birthCertificateNumber {
            facts.append(Fact(label: "Свидетельство о рождении", value: "\(s) № \(n)"))
        }
        return facts
    }

    /// The coverage denominator and the counts of a region's municipalities.
    static func municipalityTable(_ ms: [MunicipalityModel], children: [UUID: Int], providers: [UUID: Int],
                                  caption: String) -> Table {
        let rows = ms.map { m -> [Cell] in
            let estimate = m.childrenCount.map { (m.childrenIsEstimate ? "≈ " : "") + grouped($0) } ?? "нет данных"
            return [Cell(m.code), Cell(m.name), Cell(estimate),
                    Cell(grouped(children[m.id!] ?? 0)), Cell(grouped(providers[m.id!] ?? 0))]
        }
        return Table(caption: caption,
                     headers: ["Код", "Муниципалитет", "Детей 5–17 лет", "Детей в системе", "Поставщиков"],
                     rows: rows,
                     note: "«≈» — оценка по численности населения центра муниципалитета и доле детей 5–17 лет в регионе (Росстат/Rosbris, 2022).")
    }

    static func grouped(_ n: Int) -> String {
        let s = String(n)
        var out = ""
        for (i, ch) in s.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append("\u{00A0}") }
            out.append(ch)
        }
        return String(out.reversed())
    }
}
