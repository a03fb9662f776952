import Foundation

/// What the checks at application look at; the service loads it (with the rows locked) and the rules decide.
public struct ApplicationFacts: Sendable, Hashable {
    public var today: LocalDate
    public var start: LocalDate
    // The program and its group.
    public var programStatus: ProgramStatus
    public var providerActive: Bool
    public var funding: FundingKind
    public var ageFromMonths: Int
    public var ageToMonths: Int
    public var normative: Int64?
    public var groupOpen: Bool
    public var groupStart: LocalDate
    public var groupEnd: LocalDate
    public var enrollFrom: LocalDate?
    public var enrollUntil: LocalDate?
    // The child and the certificate.
    public var birth: LocalDate
    /// Nil: the child has no certificate.
    public var certificateStatus: CertificateStatus?
    public var certificateFrozen: Bool
    public var certificateFinancing: Bool
    public var hasLiveContractInModule: Bool
    // The period of the certificate's municipality.
    public var periodStart: LocalDate?
    public var periodEnd: LocalDate?
    public var contractingOpen: Bool
    /// A certificate pays only within its own region.
    public var sameRegion: Bool = true
    /// The certificate's municipality has an active agreement with the provider (needed for a certified program).
    public var hasAgreement: Bool = true

    public init(today: LocalDate, start: LocalDate, programStatus: ProgramStatus, providerActive: Bool, funding: FundingKind,
                ageFromMonths: Int, ageToMonths: Int, normative: Int64?, groupOpen: Bool, groupStart: LocalDate, groupEnd: LocalDate,
                enrollFrom: LocalDate?, enrollUntil: LocalDate?, birth: LocalDate, certificateStatus: CertificateStatus?, certificateFrozen: Bool,
                certificateFinancing: Bool, hasLiveContractInModule: Bool, periodStart: LocalDate?, periodEnd: LocalDate?,
                contractingOpen: Bool) {
        self.today = today
        self.start = start
        self.programStatus = programStatus
        self.providerActive = providerActive
        self.funding = funding
        self.ageFromMonths = ageFromMonths
        self.ageToMonths = ageToMonths
        self.normative = normative
        self.groupOpen = groupOpen
        self.groupStart = groupStart
        self.groupEnd = groupEnd
        self.enrollFrom = enrollFrom
        self.enrollUntil = enrollUntil
        self.birth = birth
        self.certificateStatus = certificateStatus
        self.certificateFrozen = certificateFrozen
        self.certificateFinancing = certificateFinancing
        self.hasLiveContractInModule = hasLiveContractInModule
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.contractingOpen = contractingOpen
    }
}

public enum EnrollmentRules {

    /// Full months of age on `date`. A month is complete on the birth day's number, or on the last day of a
    /// shorter month (born on the 31st: complete on 30 April, 28 February), as terms in months are counted.
    public static func ageInMonths(birth: LocalDate, on date: LocalDate) -> Int {
        let months = (date.year - birth.year) * 12 + (date.month - birth.month)
        let lastDay = LocalDate.daysIn(year: date.year, month: date.month)
        let complete = date.day >= birth.day || date.day == lastDay
        return complete ? months : months - 1
    }

    /// «7 лет 3 мес.»
    public static func ageText(months: Int) -> String {
        let y = months / 12, m = months % 12
        return m == 0 ? "\(y) \(CertificateRules.years(y))" : "\(y) \(CertificateRules.years(y)) \(m) мес."
    }

    public static func firstOfMonth(_ d: LocalDate) -> LocalDate { LocalDate(year: d.year, month: d.month, day: 1)! }

    public static func lastOfMonth(_ d: LocalDate) -> LocalDate {
        LocalDate(year: d.year, month: d.month, day: LocalDate.daysIn(year: d.year, month: d.month))!
    }

    /// A contract lies inside one period: it ends on the earlier of the group's end and the period's end.
    public static func contractEnd(groupEnd: LocalDate, periodEnd: LocalDate) -> LocalDate { min(groupEnd, periodEnd) }

    /// The start a form proposes: the later of the group's start and today.
    public static func defaultStart(groupStart: LocalDate, today: LocalDate) -> LocalDate { max(groupStart, today) }

    /// Every check of §7 at application except the free place (taken atomically by the service); the first
    /// refusal, or the contract's end date.
    public static func check(_ f: ApplicationFacts) -> Result<LocalDate, Refusal> {
        guard f.providerActive, f.programStatus == .certified else {
            return .failure(.init("program_unavailable", field: "group", "Программа не опубликована в каталоге: записаться на неё нельзя."))
        }
        guard f.groupOpen else {
            return .failure(.init("group_closed", field: "group", "Набор в эту группу закрыт."))
        }
        if let from = f.enrollFrom, f.today < from {
            return .failure(.init("enrollment_not_started", field: "group", "Запись в группу начнётся \(from.russian)."))
        }
        if let until = f.enrollUntil, f.today > until {
            return .failure(.init("enrollment_over", field: "group", "Запись в группу закончилась \(until.russian)."))
        }
        if f.funding == .certificate && f.normative == nil {
            return .failure(.init("program_unavailable", field: "group", "У модуля не установлена нормативная стоимость: запись по сертификату невозможна."))
        }
        guard f.certificateStatus == .active else {
            return .failure(.init("certificate_not_active", field: "child",
                                  f.certificateStatus == .pending
                                      ? "Сертификат ребёнка ещё не подтверждён: подтвердите его в пункте выдачи сертификатов."
                                      : "У ребёнка нет действующего сертификата дополнительного образования."))
        }
        guard f.sameRegion else {
            return .failure(.init("other_region", field: "child", "Сертификат действует только в своём регионе: эта программа — в другом."))
        }
        guard !f.certificateFrozen else {
            return .failure(.init("certificate_frozen", field: "child", "Сертификат ребёнка заморожен: обратитесь в муниципалитет."))
        }
        if f.funding == .certificate && !f.certificateFinancing {
            return .failure(.init("certificate_kind", field: "child",
                                  "Сертифицированная программа оплачивается сертификатом ПФ, а у ребёнка сертификат учёта."))
        }
        if f.hasLiveContractInModule {
            return .failure(.duplicate)
        }
        guard let periodStart = f.periodStart, let periodEnd = f.periodEnd else {
            return .failure(.init("no_period", field: "start", "В муниципалитете не открыт период: запись временно невозможна.", kind: .invalid))
        }
        guard f.contractingOpen else {
            return .failure(.init("contracting_closed", field: "start", "Муниципалитет приостановил заключение договоров в текущем периоде.", kind: .invalid))
        }
        if f.funding == .certificate && !f.hasAgreement {
            return .failure(.init("no_agreement", field: "group",
                                  "У муниципалитета, выдавшего сертификат, нет соглашения с этой организацией: записаться по сертификату нельзя. Выберите другую программу или обратитесь в муниципалитет."))
        }
        if f.start < firstOfMonth(f.today) {
            return .failure(.init("start_in_past", field: "start", "Договор не может начинаться раньше текущего месяца.", kind: .invalid))
        }
        if f.start < f.groupStart || f.start > f.groupEnd {
            return .failure(.init("start_outside_group", field: "start",
                                  "Дата начала должна лежать в датах группы: \(f.groupStart.russian) – \(f.groupEnd.russian).", kind: .invalid))
        }
        if f.start < periodStart || f.start > periodEnd {
            return .failure(.init("start_outside_period", field: "start",
                                  "Дата начала должна лежать в текущем периоде: \(periodStart.russian) – \(periodEnd.russian).", kind: .invalid))
        }
        let age = ageInMonths(birth: f.birth, on: f.start)
        if age < f.ageFromMonths || age > f.ageToMonths {
            return .failure(.init("age", field: "child",
                                  "Возраст ребёнка на дату начала (\(ageText(months: age))) не подходит программе: от \(ageText(months: f.ageFromMonths)) до \(ageText(months: f.ageToMonths)).", kind: .invalid))
        }
        return .success(contractEnd(groupEnd: f.groupEnd, periodEnd: periodEnd))
    }

    /// The checks of a prolongation into the next period (domain §7): those of an application, except what
    /// concerns a new enrollment — the group's enrollment window and switch, the municipality's contracting
    /// switch, the live contract in the module (the one being prolonged) and the start in a past month (the
    /// new contract starts on the first day of the new period, continuing the old one). The contract's end,
    /// or why it cannot be prolonged.
    public static func prolongation(_ facts: ApplicationFacts) -> Result<LocalDate, Refusal> {
        var f = facts
        f.groupOpen = true
        f.enrollFrom = nil
        f.enrollUntil = nil
        f.contractingOpen = true
        f.hasLiveContractInModule = false
        f.today = min(f.today, f.start)
        return check(f)
    }

    /// Whether the parent must confirm a prolongation explicitly: the new balance does not cover what the
    /// certificate would pay (the lesser of the price and the normative cost), so the parent's part grows.
    public static func prolongationNeedsConsent(funding: FundingKind, quote: ContractArithmetic.Quote) -> Bool {
        funding == .certificate && quote.certificate < min(quote.full, quote.normative)
    }

    /// When notice is given on `day`, the contract ends on the last day of that month (never after its own
    /// end). Nil when that is before the contract starts: it ends without a single month.
    public static func noticeEnd(day: LocalDate, start: LocalDate, end: LocalDate) -> LocalDate? {
        let last = min(lastOfMonth(day), end)
        return last < start ? nil : last
    }

    /// The months the contract keeps when it ends on `end`: the parts of the months after it are released.
    public static func released(months: [MonthPart], end: LocalDate?) -> Int64 {
        guard let end else { return months.reduce(0) { $0 + $1.certificate } }
        let key = MonthPart.key(year: end.year, month: end.month)
        return months.filter { $0.month > key }.reduce(0) { $0 + $1.certificate }
    }

    /// Whether two weekly schedules share any time.
    public static func overlaps(_ a: [ScheduleSlot], _ b: [ScheduleSlot]) -> Bool {
        a.contains { x in b.contains { x.overlaps($0) } }
    }
}

/// One month of a contract's split, as stored with the contract («2026-09:131872:65936»).
public struct MonthPart: Sendable, Hashable, Codable {
    public let month: String
    public let certificate: Int64
    public let parent: Int64

    public init(month: String, certificate: Int64, parent: Int64) {
        self.month = month
        self.certificate = certificate
        self.parent = parent
    }

    public static func key(year: Int, month: Int) -> String {
        LocalDate.pad(year, 4) + "-" + LocalDate.pad(month, 2)
    }

    public static func from(_ q: ContractArithmetic.Quote) -> [MonthPart] {
        q.months.map { MonthPart(month: $0.key, certificate: $0.certificate.kopecks, parent: $0.parent.kopecks) }
    }

    public static func encode(_ parts: [MonthPart]) -> String {
        parts.map { "\($0.month):\($0.certificate):\($0.parent)" }.joined(separator: ";")
    }

    public static func decode(_ s: String) -> [MonthPart] {
        s.split(separator: ";").compactMap { item in
            let f = item.split(separator: ":")
            guard f.count == 3, let c = Int64(f[1]), let p = Int64(f[2]) else { return nil }
            return MonthPart(month: String(f[0]), certificate: c, parent: p)
        }
    }

    /// «сентябрь 2026»
    public var title: String {
        let names = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"]
        let parts = month.split(separator: "-")
        guard parts.count == 2, let y = Int(parts[0]), let m = Int(parts[1]), (1...12).contains(m) else { return month }
        return "\(names[m - 1]) \(y)"
    }
}

/// An application — or a place on a waiting list — as a family sends it, from the plan page's form or the API: the
/// group, the child and, when chosen, the first day.
public struct ApplicationInput: Sendable, Hashable {
    public var group: UUID?
    public var child: UUID?
    /// As typed: ISO (`2026-09-01`, the date input and the API) or `01.09.2026`; empty for the default.
    public var start: String

    public init(group: UUID? = nil, child: UUID? = nil, start: String = "") {
        self.group = group
        self.child = child
        self.start = start
    }

    public struct Valid: Sendable, Hashable {
        public let group: UUID
        public let child: UUID
        public let start: LocalDate?
    }

    /// The start date when one was typed and is a date.
    public var startDate: LocalDate? {
        let s = start.trimmingCharacters(in: .whitespaces)
        return LocalDate(iso: s) ?? LocalDate(russian: s)
    }

    public func validate() -> Result<Valid, ValidationFailure> {
        var errors: [FieldError] = []
        if group == nil { errors.append(FieldError(field: "group", message: "Укажите группу.")) }
        if child == nil { errors.append(FieldError(field: "child", message: "Выберите ребёнка.")) }
        let typed = !start.trimmingCharacters(in: .whitespaces).isEmpty
        if typed && startDate == nil { errors.append(FieldError(field: "start", message: "Дата начала — в формате ДД.ММ.ГГГГ.")) }
        guard errors.isEmpty, let group, let child else { return .failure(ValidationFailure(errors)) }
        return .success(Valid(group: group, child: child, start: typed ? startDate : nil))
    }
}
