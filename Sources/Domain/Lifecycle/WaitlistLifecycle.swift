import Foundation

/// A child on a full group's waiting list (domain.md §7): waits in the order of applications, gets an
/// offer when a place frees, and then enrolls, declines or lets it lapse.
public enum WaitlistStatus: String, StoredStatus {
    case waiting, offered, enrolled, left, dropped

    public var title: String {
        switch self {
        case .waiting: "в очереди"
        case .offered: "предложено место"
        case .enrolled: "зачислен"
        case .left: "покинул очередь"
        case .dropped: "исключён из очереди"
        }
    }
}

public enum WaitlistEvent: Sendable, Hashable {
    /// A place freed: the child gets an offer.
    case offer
    /// The parent leaves the list.
    case leave
    /// The child can no longer enroll (certificate, age): out of the list.
    case drop
    /// The offer's contract moved on: enrolled, declined (left) or lapsed (dropped) — see `ContractTransition.waitlist`.
    case settle(WaitlistStatus)
}

public enum WaitlistLifecycle: Lifecycle {
    public static func next(_ s: WaitlistStatus, _ event: WaitlistEvent, by actor: Actor, _ context: Void = ()) -> Result<WaitlistStatus, Refusal> {
        switch event {
        case .leave:
            guard actor == .parent else { return .failure(.forbidden()) }
            guard s == .waiting else { return .failure(Refusal("wrong_status", "Покинуть можно только очередь, в которой ребёнок ждёт места.")) }
            return .success(.left)
        case .offer, .drop:
            guard actor == .system else { return .failure(.forbidden()) }
            guard s == .waiting else { return .failure(Refusal("wrong_status", "Ребёнок уже не ждёт места в очереди.")) }
            return .success(event == .offer ? .offered : .dropped)
        case .settle(let to):
            guard actor == .system else { return .failure(.forbidden()) }
            guard s == .offered, [.enrolled, .left, .dropped].contains(to) else {
                return .failure(Refusal("wrong_status", "Предложение места уже не действует."))
            }
            return .success(to)
        }
    }
}
