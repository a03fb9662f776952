import Foundation

/// How a program is paid for (domain.md §3).
public enum FundingKind: String, Sendable, Codable, CaseIterable {
    /// Certified: paid from a ПФ certificate (the parent pays only what exceeds it).
    case certificate
    /// Free for families, funded by the budget; an учёта certificate is enough.
    case free
    /// Paid by the parents only.
    case paid

    public var title: String {
        switch self {
        case .certificate: "по сертификату"
        case .free: "бесплатно"
        case .paid: "платно"
        }
    }
}

/// The status of a group of children.
public enum GroupStatus: String, Sendable, Codable, CaseIterable {
    case open, closed

    public var title: String {
        switch self {
        case .open: "набор открыт"
        case .closed: "набор закрыт"
        }
    }
}

/// Вид деятельности under a direction; codes are stable (stored, and in the API).
public struct ActivityKind: Sendable, Hashable, Codable {
    public let code: String
    public let title: String
    public let direction: Direction
}

public enum ActivityKinds {
    public static let all: [ActivityKind] = {
        let list: [(Direction, [(String, String)])] = [
            (.technical, [("robotics", "робототехника"), ("programming", "программирование"), ("modeling", "техническое моделирование"),
                          ("3d", "3D-моделирование и прототипирование"), ("electronics", "электроника и радиотехника"),
                          ("aviamodeling", "авиамоделирование"), ("drones", "беспилотные летательные аппараты")]),
            (.science, [("ecology", "экология"), ("biology", "биология"), ("chemistry", "химия"), ("physics", "физика"),
                        ("astronomy", "астрономия"), ("math", "математика")]),
            (.sport, [("football", "футбол"), ("volleyball", "волейбол"), ("basketball", "баскетбол"), ("swimming", "плавание"),
                      ("chess", "шахматы"), ("wrestling", "борьба"), ("athletics", "лёгкая атлетика"), ("skiing", "лыжные гонки"),
                      ("gymnastics", "гимнастика"), ("hockey", "хоккей"), ("tennis", "настольный теннис")]),
            (.art, [("choreography", "хореография"), ("vocal", "вокал"), ("painting", "изобразительное искусство"),
                    ("theatre", "театр"), ("music", "музыка"), ("crafts", "декоративно-прикладное творчество"),
                    ("photo", "фото и видео"), ("design", "дизайн")]),
            (.tourism, [("hiking", "спортивный туризм"), ("local-history", "краеведение"), ("orienteering", "спортивное ориентирование"),
                        ("museum", "музейное дело")]),
            (.social, [("languages", "иностранные языки"), ("journalism", "журналистика и медиа"), ("leadership", "лидерство и волонтёрство"),
                       ("preschool", "подготовка к школе"), ("psychology", "психология общения"), ("finance", "финансовая грамотность"),
                       ("patriotic", "военно-патриотическое воспитание")]),
        ]
        return list.flatMap { d, kinds in kinds.map { ActivityKind(code: $0.0, title: $0.1, direction: d) } }
    }()

    private static let byCode: [String: ActivityKind] = Dictionary(uniqueKeysWithValues: all.map { ($0.code, $0) })

    public static func find(_ code: String) -> ActivityKind? { byCode[code] }
    public static func of(_ d: Direction) -> [ActivityKind] { all.filter { $0.direction == d } }
}

/// A day of the week, 1 = Monday … 7 = Sunday.
public enum Weekday {
    public static let short = ["пн", "вт", "ср", "чт", "пт", "сб", "вс"]
    public static let titles = ["понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"]

    public static func parse(_ s: String) -> Int? {
        let t = s.lowercased().trimmingCharacters(in: .whitespaces)
        if let n = Int(t), (1...7).contains(n) { return n }
        if let i = short.firstIndex(of: t) { return i + 1 }
        if let i = titles.firstIndex(where: { $0.hasPrefix(t) && t.count >= 2 }) { return i + 1 }
        return nil
    }
}

/// Part of the day a lesson starts in (a catalogue filter).
public enum DayPart: String, Sendable, Codable, CaseIterable {
    case morning, afternoon, evening

    public var title: String {
        switch self {
        case .morning: "утро (до 12:00)"
        case .afternoon: "день (12:00–17:00)"
        case .evening: "вечер (после 17:00)"
        }
    }

    public static func of(minutes: Int) -> DayPart { minutes < 12 * 60 ? .morning : (minutes < 17 * 60 ? .afternoon : .evening) }
}

/// One lesson a week: a day and a time span in minutes after midnight.
public struct ScheduleSlot: Sendable, Hashable, Codable, Comparable {
    public let day: Int
    public let start: Int
    public let end: Int

    public init(day: Int, start: Int, end: Int) {
        self.day = day
        self.start = start
        self.end = end
    }

    public static func < (a: ScheduleSlot, b: ScheduleSlot) -> Bool { (a.day, a.start) < (b.day, b.start) }

    /// «09:05» for minutes after midnight.
    public static func time(_ m: Int) -> String { LocalDate.pad(m / 60, 2) + ":" + LocalDate.pad(m % 60, 2) }

    /// «пн 15:00–16:30»
    public var text: String { "\(Weekday.short[day - 1]) \(Self.time(start))–\(Self.time(end))" }

    /// Lessons overlap when they fall on the same day and their spans intersect.
    public func overlaps(_ o: ScheduleSlot) -> Bool { day == o.day && start < o.end && o.start < end }

    /// Parses «пн 15:00-16:30; ср 15:00-16:30» (also with «–», commas or new lines between slots).
    public static func parseList(_ raw: String, field: String = "schedule") -> Result<[ScheduleSlot], FieldError> {
        let bad = FieldError(field: field, message: "Расписание: укажите занятия в виде «пн 15:00-16:30; ср 15:00-16:30» (день недели, начало и конец).")
        let parts = raw.replacingOccurrences(of: "\n", with: ";").replacingOccurrences(of: ",", with: ";")
            .split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if parts.isEmpty || parts.count > 14 { return .failure(bad) }
        func minutes(_ s: Substring) -> Int? {
            let hm = s.split(separator: ":")
            guard hm.count == 2, let h = Int(hm[0]), let m = Int(hm[1]), (0...23).contains(h), (0...59).contains(m), hm[1].count == 2
            else { return nil }
            return h * 60 + m
        }
        var out: [ScheduleSlot] = []
        for p in parts {
            let norm = p.replacingOccurrences(of: "–", with: "-").replacingOccurrences(of: "—", with: "-").replacingOccurrences(of: " - ", with: "-")
            let words = norm.split(separator: " ", omittingEmptySubsequences: true)
            guard words.count == 2, let day = Weekday.parse(String(words[0])) else { return .failure(bad) }
            let span = words[1].split(separator: "-")
            guard span.count == 2, let a = minutes(span[0]), let b = minutes(span[1]) else { return .failure(bad) }
            guard a < b, b - a <= 6 * 60 else {
                return .failure(FieldError(field: field, message: "Расписание: занятие «\(p)» должно заканчиваться позже начала и длиться не больше 6 часов."))
            }
            let slot = ScheduleSlot(day: day, start: a, end: b)
            if out.contains(where: { $0.overlaps(slot) }) {
                return .failure(FieldError(field: field, message: "Расписание: занятия «\(p)» пересекаются с другими занятиями группы."))
            }
            out.append(slot)
        }
        return .success(out.sorted())
    }

    public static func text(_ slots: [ScheduleSlot]) -> String { slots.map(\.text).joined(separator: "; ") }
}

/// Checks shared by the registry inputs.
enum InputField {
    static func text(_ raw: String, _ field: String, _ label: String, max: Int, required: Bool, into errors: inout [FieldError]) -> String? {
        let s = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if s.isEmpty {
            if required { errors.append(FieldError(field: field, message: "Укажите \(label).")) }
            return nil
        }
        if s.count > max || Validation.hasControlCharacters(s.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")) {
            errors.append(FieldError(field: field, message: "Поле «\(label)» длиннее \(max) символов или содержит недопустимые символы."))
            return nil
        }
        return s
    }

    static func int(_ raw: String, _ field: String, _ message: String, _ range: ClosedRange<Int>, into errors: inout [FieldError]) -> Int? {
        guard let n = Int(raw.trimmingCharacters(in: .whitespaces)), range.contains(n) else {
            errors.append(FieldError(field: field, message: message))
            return nil
        }
        return n
    }

    static func date(_ raw: String, _ field: String, _ label: String, required: Bool, into errors: inout [FieldError]) -> LocalDate? {
        let s = raw.trimmingCharacters(in: .whitespaces)
        if s.isEmpty {
            if required { errors.append(FieldError(field: field, message: "Укажите \(label).")) }
            return nil
        }
        guard let d = LocalDate(iso: s) ?? LocalDate(russian: s), (2000...2100).contains(d.year) else {
            errors.append(FieldError(field: field, message: "\(label.prefix(1).uppercased() + label.dropFirst()): дата в виде ДД.ММ.ГГГГ."))
            return nil
        }
        return d
    }
}

extension LocalDate {
    /// «31.05.2027»
    public init?(russian s: String) {
        let p = s.split(separator: ".")
        guard p.count == 3, p[0].count == 2, p[1].count == 2, p[2].count == 4,
              let d = Int(p[0]), let m = Int(p[1]), let y = Int(p[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }
}

/// Money typed by a person: «18 000», «18 000,50», «18000.5». Kopecks, or nil.
public enum Roubles {
    public static func parse(_ raw: String) -> Int64? {
        let s = raw.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\u{00A0}", with: "")
            .replacingOccurrences(of: "\u{202F}", with: "").replacingOccurrences(of: ",", with: ".")
        guard !s.isEmpty, s.count <= 15 else { return nil }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, !parts[0].isEmpty, parts[0].allSatisfy({ ("0"..."9").contains($0) }), let rub = Int64(parts[0]) else { return nil }
        var kop: Int64 = 0
        if parts.count == 2 {
            guard (1...2).contains(parts[1].count), parts[1].allSatisfy({ ("0"..."9").contains($0) }), let k = Int64(parts[1]) else { return nil }
            kop = parts[1].count == 1 ? k * 10 : k
        }
        return rub * 100 + kop
    }

    /// «18 000,00» (what a form shows back).
    public static func text(_ kopecks: Int64) -> String {
        Money(kopecks: kopecks).formatted.replacingOccurrences(of: " ₽", with: "")
    }
}
