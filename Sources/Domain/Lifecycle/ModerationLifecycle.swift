import Foundation

/// The life of a program in the registry (domain.md §3): draft → on certification → certified | refused;
/// → archived. A change of money (funding kind, price or volume) of a certified program sends it back to
/// certification.
public enum ProgramStatus: String, StoredStatus {
    case draft, certification, certified, refused, archived

    public var title: String {
        switch self {
        case .draft: "черновик"
        case .certification: "на сертификации"
        case .certified: "сертифицирована"
        case .refused: "отказано в сертификации"
        case .archived: "в архиве"
        }
    }

    /// What the provider may do next.
    public var mayEdit: Bool { self != .archived }
    public var maySubmit: Bool { self == .draft || self == .refused }
}

public enum ProgramEvent: Sendable, Hashable {
    /// The provider sends a draft (or a refused program, fixed) to certification.
    case submit
    case certify
    case refuse(reason: String)
    /// The money of a certified program (or one on certification) changed: certification again.
    case moneyChanged
    case archive
}

public enum ProgramLifecycle: Lifecycle {
    /// `hasModules`: a program is certified module by module, so it needs at least one to be submitted.
    public static func next(_ s: ProgramStatus, _ event: ProgramEvent, by actor: Actor, _ hasModules: Bool) -> Result<ProgramStatus, Refusal> {
        switch event {
        case .submit:
            guard actor == .provider else { return .failure(.forbidden()) }
            guard s.maySubmit else {
                return .failure(Refusal("bad_status", "Отправить на сертификацию можно только черновик или программу, получившую отказ."))
            }
            guard hasModules else {
                return .failure(Refusal("no_modules", "Добавьте хотя бы один модуль с ценой и объёмом, затем отправьте программу на сертификацию.", kind: .invalid))
            }
            return .success(.certification)
        case .certify:
            guard actor == .operator_ else { return .failure(.forbidden()) }
            guard s == .certification else {
                return .failure(Refusal("bad_status", "Сертифицировать можно только программу, отправленную на сертификацию."))
            }
            return .success(.certified)
        case .refuse(let raw):
            guard actor == .operator_ else { return .failure(.forbidden()) }
            guard s == .certification else {
                return .failure(Refusal("bad_status", "Отказать можно только в сертификации программы, отправленной на сертификацию."))
            }
            if let r = ModerationRules.reasonRefusal(raw, message: "Укажите причину отказа (до 500 символов).") { return .failure(r) }
            return .success(.refused)
        case .moneyChanged:
            guard actor == .provider || actor == .system else { return .failure(.forbidden()) }
            guard s.mayEdit else { return .failure(Refusal("archived", "Программа в архиве: её нельзя изменить.")) }
            return .success(s == .certified || s == .certification ? .certification : s)
        case .archive:
            guard actor == .provider || actor == .operator_ else { return .failure(.forbidden()) }
            return .success(.archived)
        }
    }
}

/// A provider in the registry (domain.md §3): new → active | refused (with a reason) → banned.
public enum ProviderStatus: String, StoredStatus {
    case new, active, refused, banned

    public var title: String {
        switch self {
        case .new: "на модерации"
        case .active: "действует"
        case .refused: "отказано"
        case .banned: "исключён из реестра"
        }
    }
}

public enum ProviderEvent: Sendable, Hashable {
    case approve
    case refuse(reason: String)
    case ban(reason: String)
    /// The provider edits its card (a refused card goes back to moderation).
    case edit
}

public enum ProviderLifecycle: Lifecycle {
    public static func next(_ s: ProviderStatus, _ event: ProviderEvent, by actor: Actor, _ context: Void = ()) -> Result<ProviderStatus, Refusal> {
        switch event {
        case .approve:
            guard actor == .operator_ else { return .failure(.forbidden()) }
            guard s == .new || s == .refused else { return .failure(Refusal("not_on_moderation", "Поставщик не ждёт модерации.")) }
            return .success(.active)
        case .refuse(let raw), .ban(let raw):
            guard actor == .operator_ else { return .failure(.forbidden()) }
            if let r = ModerationRules.reasonRefusal(raw, message: "Укажите причину (до 500 символов).") { return .failure(r) }
            if case .refuse = event {
                guard s == .new else { return .failure(Refusal("not_on_moderation", "Отказать можно только поставщику на модерации.")) }
                return .success(.refused)
            }
            return .success(.banned)
        case .edit:
            guard actor == .provider || actor == .operator_ else { return .failure(.forbidden()) }
            guard s != .banned else { return .failure(Refusal("banned", "Поставщик исключён из реестра: карточку изменить нельзя.")) }
            return .success(s == .refused ? .new : s)
        }
    }
}

/// An agreement between a municipality and a provider (domain.md §3): a certificate contract needs an active one.
public enum AgreementStatus: String, StoredStatus {
    case active, terminated

    public var title: String {
        switch self {
        case .active: "действует"
        case .terminated: "расторгнуто"
        }
    }
}

public enum AgreementEvent: Sendable, Hashable {
    case conclude
    case terminate
}

public enum AgreementLifecycle: Lifecycle {
    /// `nil`: no agreement between them yet.
    public static func next(_ s: AgreementStatus?, _ event: AgreementEvent, by actor: Actor, _ context: Void = ()) -> Result<AgreementStatus, Refusal> {
        guard actor == .municipality || actor == .system else { return .failure(.forbidden()) }
        switch event {
        case .conclude:
            guard s != .active else { return .failure(Refusal("already_active", field: "provider", "Соглашение с этим поставщиком уже действует.")) }
            return .success(.active)
        case .terminate:
            guard s == .active else { return .failure(Refusal("not_active", "Соглашение уже расторгнуто.")) }
            return .success(.terminated)
        }
    }
}

public enum ModerationRules {
    /// A reason of a refusal or a ban: 1 to 500 characters after trimming, line breaks allowed, no other
    /// control characters.
    public static func reasonRefusal(_ raw: String, message: String) -> Refusal? {
        let reason = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 500, !Validation.hasControlCharacters(reason) else {
            return Refusal("invalid_reason", field: "reason", message, kind: .invalid)
        }
        return nil
    }

    public static func reason(_ raw: String) -> String { raw.trimmingCharacters(in: .whitespacesAndNewlines) }
}
