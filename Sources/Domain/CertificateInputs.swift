import Foundation

/// The refusal of a certificate application by an issuing point or the municipality: the reason, as typed (the
/// lifecycle checks it: 1 to 500 characters, `CertificateLifecycle.reasonLength`).
public struct CertificateRejectionInput: Sendable, Hashable {
    public var reason: String

    public init(reason: String = "") { self.reason = reason }
}

/// The municipality freezes a certificate (`frozen` true) or takes the freeze back (false).
public struct CertificateFreezeInput: Sendable, Hashable {
    /// Nil when not given.
    public var frozen: Bool?

    public init(frozen: Bool? = nil) { self.frozen = frozen }

    /// The choice, or a refusal naming the field when none was given.
    public func validate() -> Result<Bool, FieldError> {
        guard let frozen else { return .failure(FieldError(field: "frozen", message: "Укажите frozen: true или false.")) }
        return .success(frozen)
    }
}
