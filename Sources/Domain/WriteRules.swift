import Foundation

/// The conditions of the enrollment write (domain.md §5, §7): what must still hold, at the moment of writing,
/// for an application to take a place and a hold. Each is a pure predicate over the rows the write reads.
/// Every write path (the Swift statements, the PL/pgSQL functions, the batch) renders these as SQL from one
/// place in App (`RuleSQL`), and a test holds each rendering equal to its predicate on both databases.
public enum WriteRules {
    /// Free places of a group.
    public static func freePlaces(taken: Int, capacity: Int) -> Int { capacity - taken }

    /// The group takes one more child: it is open and has a free place.
    public static func placeFree(taken: Int, capacity: Int, status: GroupStatus) -> Bool {
        status == .open && freePlaces(taken: taken, capacity: capacity) > 0
    }

    /// The certificate can carry a new contract: confirmed, not frozen, and ПФ where the program is paid from it.
    public static func certificateUsable(status: CertificateStatus, frozen: Bool, kind: CertificateKind, requireFinancing: Bool) -> Bool {
        status == .active && !frozen && (!requireFinancing || kind == .financing)
    }

    /// The period takes new contracts: it is the current one and the municipality has not stopped contracting.
    public static func periodAllows(status: PeriodStatus, contractingOpen: Bool) -> Bool {
        status == .current && contractingOpen
    }

    /// What a certificate can still hold in a period: `granted − reserved − spent − expired` (domain §5).
    public static func available(_ b: LedgerBalance) -> Int64 { b.available }

    /// The balance covers a hold of `amount` (after `before` already held in the same write).
    public static func covers(_ b: LedgerBalance, amount: Int64, before: Int64 = 0) -> Bool { available(b) >= before + amount }

    /// Statuses in which a contract keeps a place and a hold; a child has at most one such contract per module.
    public static let live = ContractStatus.live

}
