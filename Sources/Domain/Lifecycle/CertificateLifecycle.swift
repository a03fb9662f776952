import Foundation

/// A certificate's status (domain.md §4): applied for online, confirmed in person, closed at 18.
public enum CertificateStatus: String, StoredStatus {
    case pending, active, rejected, closed

    public var title: String {
        switch self {
        case .pending: "ждёт подтверждения"
        case .active: "действует"
        case .rejected: "отклонён"
        case .closed: "закрыт"
        }
    }
}

/// учёта (enrolls in free programs only) or ПФ (carries a balance for certified programs).
public enum CertificateKind: String, StoredStatus {
    case accounting, financing

    public var title: String {
        switch self {
        case .accounting: "учёта"
        case .financing: "ПФ (персонифицированного финансирования)"
        }
    }
}

/// Everything of a certificate a step can change.
public struct CertificateState: Sendable, Hashable {
    public var status: CertificateStatus
    public var kind: CertificateKind
    public var frozen: Bool

    public init(status: CertificateStatus, kind: CertificateKind, frozen: Bool) {
        self.status = status
        self.kind = kind
        self.frozen = frozen
    }

    /// It can pay or enroll: confirmed and not frozen.
    public var usable: Bool { status == .active && !frozen }
}

public enum CertificateEvent: Sendable, Hashable {
    /// The parent applies (again, after a rejection).
    case apply
    /// The child's identity is confirmed in person.
    case confirm
    case reject(reason: String)
    case freeze
    case unfreeze
    /// учёта → ПФ, when a certificate group has a vacancy (the service checks the caps).
    case toFinancing
    /// ПФ → учёта: not used in time (use-it-or-lose-it).
    case toAccounting
    /// The child turned 18.
    case close
}

public enum CertificateLifecycle: Lifecycle {
    public static let reasonLength = 1...500

    /// Who may take each step. Confirming is further limited to the municipality of the certificate and its
    /// issuing points (a scope the service checks).
    public static func allowed(_ event: CertificateEvent) -> Set<Actor> {
        switch event {
        case .apply: [.parent]
        case .confirm, .reject: [.municipality, .provider]
        case .freeze, .unfreeze: [.municipality]
        case .toFinancing: [.parent, .system]
        case .toAccounting, .close: [.system]
        }
    }

    /// `nil`: the child has no certificate yet.
    public static func next(_ s: CertificateState?, _ event: CertificateEvent, by actor: Actor, _ context: Void = ()) -> Result<CertificateState, Refusal> {
        guard allowed(event).contains(actor) else { return .failure(.forbidden()) }
        guard let s else {
            guard event == .apply else { return .failure(Refusal("no_certificate", "У ребёнка нет сертификата.")) }
            return .success(CertificateState(status: .pending, kind: .accounting, frozen: false))
        }
        var n = s
        switch event {
        case .apply:
            guard s.status == .rejected else {
                return .failure(Refusal("certificate_exists", s.status == .pending
                    ? "Заявление на сертификат уже подано и ждёт подтверждения."
                    : "У ребёнка уже есть сертификат: он выдаётся один раз."))
            }
            n.status = .pending
        case .confirm:
            guard s.status == .pending else {
                return .failure(Refusal("not_pending", "Сертификат не ждёт подтверждения (статус: \(s.status.title))."))
            }
            n.status = .active
        case .reject(let raw):
            let reason = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard reasonLength.contains(reason.count), !Validation.hasControlCharacters(reason) else {
                return .failure(Refusal("invalid_reason", field: "reason", "Укажите причину отказа (до 500 символов).", kind: .invalid))
            }
            guard s.status == .pending else { return .failure(Refusal("not_pending", "Сертификат не ждёт подтверждения.")) }
            n.status = .rejected
        case .freeze, .unfreeze:
            guard s.status == .active else { return .failure(Refusal("not_active", "Заморозить можно только действующий сертификат.")) }
            n.frozen = event == .freeze
        case .toFinancing:
            guard s.status == .active else { return .failure(Refusal("not_active", "Сертификат ещё не подтверждён или закрыт.")) }
            guard !s.frozen else { return .failure(Refusal("frozen", "Сертификат заморожен.")) }
            n.kind = .financing
        case .toAccounting:
            guard s.kind == .financing else { return .failure(Refusal("not_financing", "Сертификат уже сертификат учёта.")) }
            n.kind = .accounting
        case .close:
            guard s.status == .active else { return .failure(Refusal("not_active", "Закрыть можно только действующий сертификат.")) }
            n.status = .closed
        }
        return .success(n)
    }
}
