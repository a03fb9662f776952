import Foundation

/// Why a step of a lifecycle (or an application) is refused: a stable `code` for the API, the input `field`
/// it concerns, a Russian `message` for people, and the `kind` that decides the HTTP status.
public struct Refusal: Error, Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// The state does not allow it (409).
        case conflict
        /// The input is wrong (422).
        case invalid
        /// This actor may never do it (403).
        case forbidden
    }

    public let code: String
    public let field: String
    public let message: String
    public let kind: Kind

    public init(_ code: String, field: String = "status", _ message: String, kind: Kind = .conflict) {
        self.code = code
        self.field = field
        self.message = message
        self.kind = kind
    }

    /// A second live application or contract of a child in one module (the checks, and the write's unique index).
    public static let duplicate = Refusal("duplicate", field: "group", "У ребёнка уже есть заявка или договор по этому модулю программы.")

    /// This actor may not take this step at all.
    public static func forbidden(_ message: String = "Это действие недоступно для вашей роли.") -> Refusal {
        Refusal("forbidden", message, kind: .forbidden)
    }
}

/// Who takes a step of a lifecycle: a signed-in person in a role, or the system itself (the sweeps, the
/// period rollover, the waiting list).
public enum Actor: Sendable, Hashable {
    case person(Role)
    case system

    public var role: Role? {
        if case .person(let r) = self { return r }
        return nil
    }

    public static let parent = Actor.person(.parent)
    public static let provider = Actor.person(.provider)
    public static let municipality = Actor.person(.municipality)
    public static let operator_ = Actor.person(.operator_)

    /// The actor of a request: its principal's role, or the system when nobody signed in acts.
    public init(_ principal: Principal?) {
        self = principal.map { .person($0.role) } ?? .system
    }
}

/// A lifecycle: the statuses of one kind of record and the one pure function that moves them.
public protocol Lifecycle {
    associatedtype State: Sendable & Hashable
    associatedtype Event: Sendable
    associatedtype Context: Sendable
    associatedtype Transition: Sendable

    /// The next state for `event` taken by `actor` in `state`, or why it is refused. Pure: no clock, no
    /// database — everything it needs is in `context`.
    static func next(_ state: State, _ event: Event, by actor: Actor, _ context: Context) -> Result<Transition, Refusal>
}

/// Statuses kept in the database by their raw values.
public protocol StoredStatus: RawRepresentable, CaseIterable, Sendable, Hashable, Codable where RawValue == String {
    /// The Russian word for people.
    var title: String { get }
}
