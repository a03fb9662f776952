import Foundation

/// The life of an enrollment (domain.md §7):
///
///     applied ──provider accepts──▶ offered ──parent accepts──▶ active ──notice──▶ terminating ──end of month──▶ terminated
///        │ rejected / withdrawn / expired       │ withdrawn / expired
///
/// One row is the application, then the offer, then the contract: the place and the hold are taken when
/// it is created and given back when it leaves the live statuses.
public enum ContractStatus: String, StoredStatus {
    case applied, offered, active, terminating, terminated, rejected, withdrawn, expired

    public var title: String {
        switch self {
        case .applied: "заявка подана"
        case .offered: "оферта направлена"
        case .active: "договор действует"
        case .terminating: "договор расторгается"
        case .terminated: "договор завершён"
        case .rejected: "заявка отклонена"
        case .withdrawn: "заявка отозвана"
        case .expired: "срок ответа истёк"
        }
    }

    /// Statuses that hold a place in the group (and the certificate's money).
    public static let live: [ContractStatus] = [.applied, .offered, .active, .terminating]
    /// Statuses still waiting for an answer (with a deadline).
    public static let awaitingAnswer: [ContractStatus] = [.applied, .offered]
    /// Statuses of a contract that runs (it is paid month by month).
    public static let running: [ContractStatus] = [.active, .terminating]

    public var isLive: Bool { Self.live.contains(self) }
    public var mayWithdraw: Bool { self == .applied || self == .offered }
    public var mayGiveNotice: Bool { self == .active }
    /// No step leads out of it.
    public var isFinal: Bool { !isLive }
}

/// What happens to an enrollment.
public enum ContractEvent: Sendable, Hashable {
    /// The provider accepts the application: the offer goes to the parent.
    case offer
    /// The provider rejects the application.
    case reject(reason: String)
    /// The parent withdraws an application or declines an offer.
    case withdraw
    /// The parent accepts the offer: the contract is in force.
    case accept
    /// Either side gives notice: the contract ends on the last day of this month.
    case notice
    /// The answer's deadline passed (the sweep).
    case expire
    /// The contract's last day passed (the sweep).
    case finish
    /// The period rollover continues it with a contract of the next period, which takes over its place.
    case prolong
}

/// Where a new enrollment comes from.
public enum ContractOrigin: Sendable, Hashable {
    /// A parent applies: the provider answers.
    case application
    /// A place freed in a full group: the first child of the waiting list gets an offer.
    case waitingList
    /// The rollover continues a contract into the next period; `consent`: the parent's part grew, so the
    /// parent must accept it.
    case prolongation(consent: Bool)
}

/// The facts a step of an enrollment looks at.
public struct ContractContext: Sendable, Hashable {
    /// Now, and today in the contract's region.
    public var now: Date
    public var today: LocalDate
    /// The deadline of the answer awaited (an application's or an offer's).
    public var answerDue: Date?
    /// The contract's first and (current) last day.
    public var start: LocalDate
    public var end: LocalDate

    public init(now: Date, today: LocalDate, answerDue: Date?, start: LocalDate, end: LocalDate) {
        self.now = now
        self.today = today
        self.answerDue = answerDue
        self.start = start
        self.end = end
    }
}

/// What a step does besides changing the status.
public struct ContractTransition: Sendable, Hashable {
    /// What goes back to the certificate.
    public enum Release: Sendable, Hashable {
        case nothing
        /// Everything still held.
        case all
        /// The months after the one `end` lies in (all of them when `end` is nil), at most what is still held.
        case monthsAfter(LocalDate?)
    }

    /// What becomes of the place in the group.
    public enum Place: Sendable, Hashable {
        case kept
        /// Back to the group (and on to its waiting list).
        case freed
        /// To the contract that continues this one.
        case passedOn
    }

    /// The answer deadline after the step.
    public enum Deadline: Sendable, Hashable {
        case unchanged
        case cleared
        case due(Date)
    }

    public let from: ContractStatus
    public let to: ContractStatus
    public var release: Release = .nothing
    public var place: Place = .kept
    public var deadline: Deadline = .unchanged
    /// The contract's new last day (notice).
    public var endsOn: LocalDate? = nil
    /// Why an application closed, kept with it.
    public var reason: String? = nil
    /// What becomes of the waiting-list entry whose offer this contract is.
    public var waitlist: WaitlistStatus? = nil

    public init(from: ContractStatus, to: ContractStatus) {
        self.from = from
        self.to = to
    }
}

public enum ContractLifecycle: Lifecycle {
    /// The provider answers an application within 5 days; the parent accepts an offer within 10.
    public static let providerAnswerDays = 5
    public static let parentAnswerDays = 10
    /// An offer made from a waiting list waits for the parent this long before the next child gets it.
    public static let waitlistOfferDays = 5
    /// A rejection's reason, in characters.
    public static let reasonLength = 3...500

    public static func deadline(_ now: Date, days: Int) -> Date { now.addingTimeInterval(TimeInterval(days) * 86_400) }

    /// The status and deadline a new enrollment starts with.
    public static func start(_ origin: ContractOrigin, now: Date) -> (status: ContractStatus, answerDue: Date?) {
        switch origin {
        case .application: (.applied, deadline(now, days: providerAnswerDays))
        case .waitingList: (.offered, deadline(now, days: waitlistOfferDays))
        case .prolongation(consent: true): (.offered, deadline(now, days: parentAnswerDays))
        case .prolongation(consent: false): (.active, nil)
        }
    }

    /// Who may take each step.
    public static func allowed(_ event: ContractEvent) -> Set<Actor> {
        switch event {
        case .offer, .reject: [.provider]
        case .withdraw, .accept: [.parent]
        case .notice: [.parent, .provider]
        case .expire, .finish, .prolong: [.system]
        }
    }

    public static func next(_ s: ContractStatus, _ event: ContractEvent, by actor: Actor, _ c: ContractContext) -> Result<ContractTransition, Refusal> {
        guard allowed(event).contains(actor) else { return .failure(.forbidden()) }
        var t: ContractTransition
        switch event {
        case .offer:
            guard s == .applied else { return wrong("Принять можно только поданную заявку: сейчас «\(s.title)».") }
            if let due = c.answerDue, due < c.now { return .failure(Refusal("expired", "Срок ответа на заявку истёк.")) }
            t = ContractTransition(from: s, to: .offered)
            t.deadline = .due(deadline(c.now, days: parentAnswerDays))
        case .reject(let raw):
            guard s == .applied else { return wrong("Отклонить можно только поданную заявку: сейчас «\(s.title)».") }
            let reason = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard reasonLength.contains(reason.count) else {
                return .failure(Refusal("invalid_reason", field: "reason", "Укажите причину отказа (от 3 до 500 символов).", kind: .invalid))
            }
            t = closing(s, .rejected, waitlist: .dropped)
            t.reason = reason
        case .withdraw:
            guard s.mayWithdraw else { return wrong("Отозвать можно заявку или оферту: сейчас «\(s.title)».") }
            t = closing(s, .withdrawn, waitlist: .left)
        case .accept:
            guard s == .offered else { return wrong("Принять можно только оферту: сейчас «\(s.title)».") }
            if let due = c.answerDue, due < c.now { return .failure(Refusal("expired", "Срок принятия оферты истёк.")) }
            t = ContractTransition(from: s, to: .active)
            t.deadline = .cleared
            t.waitlist = .enrolled
        case .notice:
            guard s.mayGiveNotice else { return wrong("Расторгнуть можно только действующий договор: сейчас «\(s.title)».") }
            let end = EnrollmentRules.noticeEnd(day: c.today, start: c.start, end: c.end)
            if let end {
                t = ContractTransition(from: s, to: .terminating)
                t.endsOn = end
            } else {
                // Notice before the first day: the contract ends without a single month.
                t = closing(s, .terminated, waitlist: .enrolled)
                t.endsOn = c.start
                t.reason = "расторгнут до начала занятий"
            }
            t.release = .monthsAfter(end)
        case .expire:
            guard ContractStatus.awaitingAnswer.contains(s) else { return wrong("Срок ответа истекает только у заявки или оферты: сейчас «\(s.title)».") }
            guard let due = c.answerDue, due < c.now else { return .failure(Refusal("not_due", "Срок ответа ещё не истёк.")) }
            t = closing(s, .expired, waitlist: .dropped)
            t.reason = s == .applied ? "поставщик не ответил в срок" : "оферта не принята в срок"
        case .finish:
            guard ContractStatus.running.contains(s) else { return wrong("Завершить можно только действующий договор: сейчас «\(s.title)».") }
            guard c.end < c.today else { return .failure(Refusal("not_over", "Договор ещё не закончился: последний день — \(c.end.russian).")) }
            t = closing(s, .terminated, waitlist: .enrolled)
        case .prolong:
            guard s == .active else { return wrong("Продлить можно только действующий договор: сейчас «\(s.title)».") }
            t = ContractTransition(from: s, to: .terminated)
            t.place = .passedOn
            t.deadline = .cleared
        }
        return .success(t)
    }

    /// Leaving the live statuses: the place goes back and, unless the contract ran, whatever is still held.
    private static func closing(_ s: ContractStatus, _ to: ContractStatus, waitlist: WaitlistStatus) -> ContractTransition {
        var t = ContractTransition(from: s, to: to)
        t.place = .freed
        t.release = to == .terminated ? .nothing : .all
        t.deadline = .cleared
        t.waitlist = waitlist
        return t
    }

    private static func wrong(_ message: String) -> Result<ContractTransition, Refusal> {
        .failure(Refusal("wrong_status", message))
    }
}

/// A contract's way into the next period (domain §7): the parent is told, may decline (and take it back),
/// and the rollover either continues it or leaves it.
public enum ProlongationMark: String, StoredStatus {
    case notified, declined, done, skipped

    public var title: String {
        switch self {
        case .notified: "семья уведомлена о продлении"
        case .declined: "родитель отказался от продления"
        case .done: "продлён"
        case .skipped: "не продлён"
        }
    }

    /// The rollover has dealt with it.
    public var isSettled: Bool { self == .done || self == .skipped }
}

public enum ProlongationEvent: Sendable, Hashable {
    /// The sweep tells the family.
    case announce
    /// The parent declines (`false`) or takes the refusal back (`true`).
    case choose(prolong: Bool)
    /// The rollover continued the contract.
    case carry
    /// The rollover could not continue it.
    case skip
}

public enum ProlongationLifecycle: Lifecycle {
    /// `nil`: the family has not been told yet. The result is the mark after the event (unchanged when the
    /// event changes nothing, as a parent choosing what is already chosen).
    public static func next(_ s: ProlongationMark?, _ event: ProlongationEvent, by actor: Actor, _ context: Void) -> Result<ProlongationMark?, Refusal> {
        switch event {
        case .announce:
            guard actor == .system else { return .failure(.forbidden()) }
            return .success(s ?? .notified)
        case .choose(let prolong):
            guard actor == .parent else { return .failure(.forbidden()) }
            if s?.isSettled == true {
                return .failure(Refusal("not_prolongable", "Период уже сменился: продление решено."))
            }
            if prolong { return .success(s == .declined ? .notified : s) }
            return .success(.declined)
        case .carry, .skip:
            guard actor == .system else { return .failure(.forbidden()) }
            if s == .declined && event == .carry { return .failure(Refusal("declined", "Родитель отказался от продления.")) }
            if s?.isSettled == true { return .failure(Refusal("settled", "Продление уже решено.")) }
            return .success(event == .carry ? .done : .skipped)
        }
    }
}
