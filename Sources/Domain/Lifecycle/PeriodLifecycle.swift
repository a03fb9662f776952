import Foundation

/// A municipality's period (domain.md §4): the next one is defined ahead, becomes current when it opens
/// (the nominal is granted), and is closed (leftovers expire).
public enum PeriodStatus: String, StoredStatus {
    case next, current, closed

    public var title: String {
        switch self {
        case .next: "следующий"
        case .current: "текущий"
        case .closed: "закрыт"
        }
    }
}

public enum PeriodEvent: Sendable, Hashable {
    /// The next period becomes current.
    case open
    /// The current period ends: what is left available expires.
    case close
    /// The municipality allows or stops contracting in the period.
    case contracting(open: Bool)
}

/// The other periods of the municipality a step looks at.
public struct PeriodContext: Sendable, Hashable {
    /// The municipality has a current period (other than this one).
    public var hasCurrent: Bool
    /// The municipality has a next period (other than this one).
    public var hasNext: Bool

    public init(hasCurrent: Bool, hasNext: Bool) {
        self.hasCurrent = hasCurrent
        self.hasNext = hasNext
    }
}

public enum PeriodLifecycle: Lifecycle {
    /// A new period is current when the municipality has none, otherwise the next one.
    public static func start(hasCurrent: Bool) -> PeriodStatus { hasCurrent ? .next : .current }

    public static func next(_ s: PeriodStatus, _ event: PeriodEvent, by actor: Actor, _ c: PeriodContext) -> Result<PeriodStatus, Refusal> {
        guard actor == .municipality || actor == .system else { return .failure(.forbidden()) }
        switch event {
        case .open:
            switch s {
            case .next:
                guard !c.hasCurrent else { return .failure(Refusal("current_open", "Сначала закройте текущий период.")) }
                return .success(.current)
            case .current:
                // An interrupted opening is finished by opening again.
                guard !c.hasNext else { return .failure(Refusal("current_open", "Сначала закройте текущий период.")) }
                return .success(.current)
            case .closed:
                return .failure(Refusal("closed", "Период закрыт."))
            }
        case .close:
            guard s == .current else { return .failure(Refusal("no_current_period", "Закрыть можно только текущий период.")) }
            return .success(.closed)
        case .contracting:
            guard s != .closed else { return .failure(Refusal("closed", "Период закрыт.")) }
            return .success(s)
        }
    }
}
